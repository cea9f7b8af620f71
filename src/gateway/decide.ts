// Turns the policy and the screening result into what happens to the message: pass, tag (deliver marked) or hold.
import type { Action, Severity, Verdict } from '../classifier/types.js';
import type { HoldReason } from './hold-store.js';
import type { MessagePolicy } from './policy.js';
import type { ScreenResult } from './screen.js';

export type Decision =
  | { action: 'pass'; screened: false }
  | { action: 'pass' | 'tag'; screened: true; verdict: Verdict }
  | { action: 'hold'; screened: true; verdict: Verdict; reason: HoldReason; severity: Severity };

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

/** Highest severity among the findings; mail held because it could not be read or screened counts as high. */
export function holdSeverity(verdict: Verdict, reason: HoldReason): Severity {
  if (reason !== 'flagged') return 'high';
  let highest: Severity = 'low';
  for (const finding of verdict.findings) {
    if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[highest]) highest = finding.severity;
  }
  return highest;
}

/**
 * screen: the verdict's action; unreadable or unscreenable mail is held whatever it scored.
 * monitor: never holds; anything that would have been held (or could not be screened) is delivered tagged.
 */
export function decide(policy: MessagePolicy, screened: ScreenResult | undefined): Decision {
  if (policy.mode === 'off' || screened === undefined) return { action: 'pass', screened: false };
  const { verdict, problem } = screened;
  const wouldHold = problem !== undefined || verdict.action === 'hold';
  if (policy.mode === 'monitor') {
    const action: Action = wouldHold || verdict.action === 'tag' ? 'tag' : 'pass';
    return { action: action === 'tag' ? 'tag' : 'pass', screened: true, verdict };
  }
  if (wouldHold) {
    const reason: HoldReason = problem ?? 'flagged';
    return { action: 'hold', screened: true, verdict, reason, severity: holdSeverity(verdict, reason) };
  }
  return { action: verdict.action === 'tag' ? 'tag' : 'pass', screened: true, verdict };
}
