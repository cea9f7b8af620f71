// The classifier's public vocabulary: what goes in, what comes out.
// Shared by the engine, the rule compiler, the gateway and the review app.

export const CATEGORIES = ['contact-details', 'personal-content', 'suggestive'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RECIPIENT_CLASSES = ['pupil', 'parent', 'staff', 'external'] as const;
export type RecipientClass = (typeof RECIPIENT_CLASSES)[number];

export const ACTIONS = ['pass', 'tag', 'hold'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Where in the message a piece of text sits. 'attachment' is the text of something the reader opens from the message
 * (a text attachment, a forwarded message, a calendar invitation). 'hidden' is HTML text styled so the reader cannot
 * see it (display:none, zero size, white on white) and pictures' descriptions (alt text): its part has the same
 * source as the html part it sits in, but is read for that text only, so filler cannot split a visible phrase and is
 * still screened.
 */
export const PART_KINDS = [
  'subject',
  'body',
  'quoted',
  'signature',
  'html',
  'attachment-name',
  'attachment',
  'hidden',
] as const;
export type PartKind = (typeof PART_KINDS)[number];

/** Which original string a part was cut from. */
export type SourceKind = 'subject' | 'text' | 'html' | 'attachments' | 'attached';

/** Text the reader can open from a message besides its body, as they would read it. */
export interface AttachedText {
  /** What it is, in the reader's words: its file name, or "Calendar invitation", "Forwarded message". */
  name: string;
  /** Its text (HTML rendered, a calendar's fields picked out). */
  text: string;
}

/**
 * A message as the classifier receives it: already MIME-decoded (see parseMime),
 * or plain text (treated as the body of a message with no subject).
 */
export interface MessageInput {
  subject?: string;
  /** The decoded text/plain body, if any. */
  text?: string;
  /** The decoded text/html body, if any (HTML source). */
  html?: string;
  attachmentNames?: string[];
  /** Text attachments, forwarded messages and calendar invitations, each screened as an 'attachment' part. */
  attachedTexts?: AttachedText[];
  /** Set by parseMime when the MIME could not be fully read; the engine turns it into a hold. */
  problems?: string[];
}

/**
 * One stretch of text the classifier screens. `text` is an exact substring of the
 * source string: sources[source].slice(offset, offset + text.length) === text.
 * For html parts `text` is HTML source; detectors see its rendered text.
 */
export interface MessagePart {
  kind: PartKind;
  source: SourceKind;
  offset: number;
  text: string;
  /** For an 'attachment' part: the attachment's name (AttachedText.name). */
  name?: string;
}

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  /** The offending text exactly as it stands in the part (original, not normalised). */
  text: string;
  /** Offsets into parts[partIndex].text (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  part: PartKind;
  partIndex: number;
  /** What the text was read as after normalisation (e.g. "07700900123" for "o77oo nine..."). */
  normalised?: string;
  /** Detector detail, e.g. { numberType: 'mobile', e164: '+447700900123' }. */
  detail?: Record<string, string>;
  /** This finding's contribution to the score. */
  score: number;
  explain: string;
  advice: string;
  guidance: string;
}

export interface Verdict {
  action: Action;
  score: number;
  /** Categories with at least one finding, in CATEGORIES order. */
  categories: Category[];
  findings: Finding[];
  parts: MessagePart[];
  /** Why the engine held regardless of score (unreadable MIME, a bound hit). Empty when none. */
  problems: string[];
}

export interface OrganisationSettings {
  name?: string;
  /** Staff and official mail domains: addresses here are not personal contact details. */
  domains: string[];
  /** Official numbers staff may share (any format; compared as E.164). */
  phones: string[];
  /** Official social-media accounts and URLs staff may share ("@oakfieldschool", "facebook.com/oakfieldschool"). */
  accounts: string[];
}

export interface Thresholds {
  /** Score at or above which the message is tagged (delivered, marked). */
  tag: number;
  /** Score at or above which the message is held for the DSL. */
  hold: number;
}

export interface ClassifyOptions {
  /** The strictest recipient class of the message; rules not applying to it are skipped. Default 'pupil'. */
  recipientClass?: RecipientClass;
  organisation?: OrganisationSettings;
  thresholds?: Thresholds;
  /** Categories screened; default all. */
  categories?: readonly Category[];
}

export const DEFAULT_THRESHOLDS: Thresholds = { tag: 2, hold: 5 };

/** Points a finding of each severity adds to the score. */
export const SEVERITY_POINTS: Record<Severity, number> = { low: 2, medium: 5, high: 10 };
