// `pattern:` rules: an admin-supplied regular expression, run only on re2 (linear time, no backtracking),
// case-insensitive and Unicode-aware, over the normalised text.

import RE2 from 're2';
import type { Matcher, MatchContext, SentenceTest, Span } from './matcher.js';
import type { ScreenText } from './screen-text.js';

export const PATTERN_FLAGS = 'iu';

/** Compiles a rule pattern; throws Error with re2's reason (e.g. "invalid perl operator: (?=") when re2 refuses it. */
export function compilePattern(source: string): RE2 {
  const re = new RE2(source, PATTERN_FLAGS + 'g');
  if (re.test('')) throw new Error('the pattern matches empty text, so it would match everywhere');
  return re;
}

/** re2's own message for a pattern it cannot compile, with a hint for the features it leaves out on purpose. */
export function patternProblem(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const hint = /\\[1-9]|\(\?[=!<]|perl operator|escape sequence/.test(reason)
    ? ' (rule patterns run on re2, which has no backreferences or lookaround, so they always run in linear time)'
    : '';
  return `${reason}${hint}`;
}

export class PatternMatcher implements Matcher, SentenceTest {
  constructor(
    private readonly re: RE2,
    /** Index in the rule set's RE2.Set, or -1 when this pattern is not in it. */
    readonly setIndex = -1,
  ) {}

  get source(): string {
    return this.re.source;
  }

  find(screen: ScreenText, context: MatchContext): Span[] {
    if (this.setIndex >= 0 && !screen.patternMayMatch(this.setIndex)) return [];
    return execAll(this.re, screen.text, context.limit);
  }

  test(screen: ScreenText, sentence: number): boolean {
    this.re.lastIndex = 0;
    return this.re.test(screen.sentenceText(sentence));
  }
}

function execAll(re: RE2, text: string, limit: number): Span[] {
  const spans: Span[] = [];
  re.lastIndex = 0;
  while (spans.length < limit) {
    const m = re.exec(text);
    if (m === null) break;
    const end = m.index + m[0].length;
    if (end === m.index) {
      // An empty match (possible inside alternations) is not a finding; step past it.
      re.lastIndex = m.index + 1;
      continue;
    }
    spans.push({ start: m.index, end });
  }
  return spans;
}
