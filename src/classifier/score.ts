// Findings -> score -> action. Repeating the same thing (the same rule on the same normalised text) does not
// add to the score: "x" at the end of three paragraphs is one sign, not three.

import { SEVERITY_POINTS, type Action, type Finding, type Thresholds } from './types.js';

export type UnscoredFinding = Omit<Finding, 'score'>;

/** Gives each finding its score: its severity's points, or 0 for a repeat of a finding already counted. */
export function scoreFindings(findings: readonly UnscoredFinding[]): Finding[] {
  const best = new Map<string, number>();
  findings.forEach((finding, i) => {
    const key = repeatKey(finding);
    const current = best.get(key);
    const points = SEVERITY_POINTS[finding.severity];
    if (current === undefined || points > SEVERITY_POINTS[(findings[current] as UnscoredFinding).severity]) {
      best.set(key, i);
    }
  });
  const counted = new Set(best.values());
  return findings.map((finding, i) => ({ ...finding, score: counted.has(i) ? SEVERITY_POINTS[finding.severity] : 0 }));
}

export function repeatKey(finding: Pick<Finding, 'rule' | 'normalised' | 'text'>): string {
  return `${finding.rule}\u0000${finding.normalised ?? finding.text.toLowerCase()}`;
}

export function totalScore(findings: readonly Finding[]): number {
  return findings.reduce((sum, f) => sum + f.score, 0);
}

/** Problems (unreadable MIME, a bound hit) hold regardless of score: what was not screened is not passed. */
export function actionFor(score: number, thresholds: Thresholds, problems: readonly string[]): Action {
  if (problems.length > 0 || score >= thresholds.hold) return 'hold';
  return score >= thresholds.tag ? 'tag' : 'pass';
}
