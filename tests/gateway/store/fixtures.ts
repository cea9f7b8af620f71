// Held messages and users for the store tests: a realistic flagged message with findings in two categories.
import { randomBytes } from 'node:crypto';
import type { Finding, Verdict } from '../../../src/classifier/types.js';
import type { NewHold, User } from '../../../src/gateway/hold-store.js';
import { newHoldId } from '../../../src/gateway/ids.js';

function finding(rule: string, category: Finding['category'], text: string, start: number): Finding {
  return {
    rule,
    category,
    severity: 'high',
    text,
    start,
    end: start + text.length,
    part: 'body',
    partIndex: 1,
    score: 10,
    explain: 'Why it matters.',
    advice: 'What to do instead.',
    guidance: 'Communication with children (including the use of technology)',
  };
}

export function rawMessage(subject: string, body: string): Buffer {
  return Buffer.from(
    [
      'From: Mr Smith <j.smith@oakfield.sch.uk>',
      'To: Pupil <pupil1@pupils.oakfield.sch.uk>',
      `Subject: ${subject}`,
      'Message-ID: <abc@oakfield.sch.uk>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );
}

export interface HoldOptions {
  id?: string;
  receivedAt?: Date;
  sender?: string;
  recipients?: { address: string; class: 'pupil' | 'parent' | 'staff' | 'external' }[];
  subject?: string;
  rules?: { rule: string; category: Finding['category'] }[];
  raw?: Buffer;
}

export function makeHold(options: HoldOptions = {}): NewHold {
  const receivedAt = options.receivedAt ?? new Date();
  const subject = options.subject ?? 'Revision for Friday';
  const body = "Text me on 07700 900123, don't tell your parents.";
  const rules = options.rules ?? [
    { rule: 'personal-mobile', category: 'contact-details' },
    { rule: 'secrecy-dont-tell-parents', category: 'personal-content' },
  ];
  const findings = rules.map((r, i) => finding(r.rule, r.category, i === 0 ? '07700 900123' : "don't tell", 11));
  const categories = (['contact-details', 'personal-content', 'suggestive'] as const).filter((c) =>
    findings.some((f) => f.category === c),
  );
  const verdict: Verdict = {
    action: 'hold',
    score: findings.length * 10,
    categories,
    findings,
    parts: [
      { kind: 'subject', source: 'subject', offset: 0, text: subject },
      { kind: 'body', source: 'text', offset: 0, text: body },
    ],
    problems: [],
  };
  const sender = options.sender ?? 'j.smith@oakfield.sch.uk';
  const recipients = options.recipients ?? [{ address: 'pupil1@pupils.oakfield.sch.uk', class: 'pupil' }];
  return {
    id: options.id ?? newHoldId(receivedAt),
    receivedAt,
    envelope: { mailFrom: sender, rcptTo: recipients.map((r) => r.address), remoteAddress: '127.0.0.1' },
    recipients,
    from: `Mr Smith <${sender}>`,
    subject,
    reason: 'flagged',
    verdict,
    severity: 'high',
    raw: options.raw ?? rawMessage(subject, body),
  };
}

export function makeUser(email: string, roles: User['roles'] = ['dsl']): User {
  return {
    email,
    roles,
    passwordHash: `$scrypt$ln=15,r=8,p=1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`,
    createdAt: new Date('2025-01-06T09:00:00Z'),
    failedLogins: 0,
    disabled: false,
  };
}
