// The words a DSL sees for the classifier's and the store's vocabulary, in one place.
import type { Category, PartKind, RecipientClass, Severity } from '../../classifier/types.js';
import type { HoldReason, HoldState, Role } from '../hold-store.js';

export const CATEGORY_LABELS: Record<Category, string> = {
  'contact-details': 'Personal contact details',
  'personal-content': 'Not professional',
  suggestive: 'Suggestive language',
};

export const CATEGORY_HINTS: Record<Category, string> = {
  'contact-details': 'a personal phone number, e-mail address, social-media account or website',
  'personal-content': 'secrecy, meeting up, lifts, gifts, private channels or personal disclosures',
  suggestive: 'comments on appearance, flirting, kisses or intimate language',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  high: 'High concern',
  medium: 'Medium concern',
  low: 'Low concern',
};

export const STATE_LABELS: Record<HoldState, string> = {
  held: 'Waiting for a decision',
  released: 'Released (sent)',
  rejected: 'Rejected (not sent)',
  escalated: 'Escalated',
};

export const REASON_LABELS: Record<HoldReason, string> = {
  flagged: 'Flagged by the safeguarding rules',
  unreadable: 'Could not be read, so it was held to be safe',
  'screening-failed': 'Could not be checked, so it was held to be safe',
};

export const RECIPIENT_CLASS_LABELS: Record<RecipientClass, string> = {
  pupil: 'pupil',
  parent: 'parent',
  staff: 'staff',
  external: 'outside school',
};

export const PART_LABELS: Record<PartKind, string> = {
  subject: 'Subject line',
  body: 'Message',
  quoted: 'Quoted earlier message',
  signature: 'Signature',
  html: 'Message',
  'attachment-name': 'Attachment name',
  attachment: 'Attachment',
  hidden: 'Hidden text or picture description',
};

export const ROLE_LABELS: Record<Role, string> = {
  dsl: 'DSL (reviews and decides)',
  admin: 'Administrator (users and settings)',
  auditor: 'Auditor (read-only)',
};

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'hold.created': 'Message held',
  'hold.viewed': 'Message opened',
  'hold.released': 'Released',
  'hold.rejected': 'Rejected',
  'hold.escalated': 'Escalated',
  'hold.delivered': 'Delivered to the recipients',
  'hold.delivery-failed': 'Delivery failed',
  'hold.downloaded': 'Original message downloaded',
  'hold.purged': 'Removed after retention period',
  'retention.purged': 'Old decided messages removed',
  'finding.feedback': 'Marked "not a concern"',
  'notice.sent': 'Notification sent',
  login: 'Signed in',
  logout: 'Signed out',
  'login.failed': 'Failed sign-in',
  'login.locked': 'Account locked after failed sign-ins',
  'user.created': 'User added',
  'user.disabled': 'User disabled',
  'user.enabled': 'User enabled',
  'user.updated': 'User changed',
  'user.roles-changed': 'User roles changed',
  'user.password-reset': 'Password reset',
  'user.unlocked': 'User unlocked',
  'queue.listed': 'Queue listed on the command line',
};

export function auditActionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABELS, action) ? (AUDIT_ACTION_LABELS[action] as string) : action;
}

/** Names for the details audit entries carry; unknown keys are shown as they are. */
export const AUDIT_DETAIL_LABELS: Record<string, string> = {
  reason: 'Reason',
  score: 'Score (5 or more holds)',
  categories: 'Concerns',
  rules: 'Rules',
  sender: 'Sender',
  recipients: 'Recipients',
  from: 'Status before',
  attempt: 'Attempt',
  response: 'Mail server reply',
  permanent: 'Refused for good',
  kind: 'Notice',
  finding: 'Finding',
  rule: 'Rule',
  verdict: 'Feedback',
  email: 'User',
  roles: 'Roles',
  failedLogins: 'Failed sign-ins in a row',
  lockedUntil: 'Locked until',
  count: 'Messages removed',
  decidedBefore: 'Decided before',
  retentionDays: 'Kept for (days)',
  sessionsEnded: 'Sessions ended',
  user: 'User',
  to: 'Now',
  via: 'Where',
};

export function auditDetailLabel(key: string): string {
  return Object.hasOwn(AUDIT_DETAIL_LABELS, key) ? (AUDIT_DETAIL_LABELS[key] as string) : key;
}
