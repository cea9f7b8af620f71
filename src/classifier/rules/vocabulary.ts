// The words a rule set spells out, for normalise to read a stretched word by ("misss" is "miss" because a rule says
// "miss"). Taken loosely from every pattern, phrase, word list, exception and context word: a stray fragment in the
// set only ever makes a stretched word read as that fragment, which no rule would have matched stretched either.

import type { RuleSpec } from './rule-schema.js';

/** Escapes such as \b, \w and \p{L}: their letters are not words. */
const ESCAPE = /\\(?:[pP]\{[^}]*\}|[a-zA-Z])/g;
const WORD = /[a-z]{2,}/g;

export function ruleVocabulary(specs: readonly RuleSpec[]): ReadonlySet<string> {
  const words = new Set<string>();
  const add = (source: string | readonly string[] | undefined): void => {
    if (source === undefined) return;
    for (const text of typeof source === 'string' ? [source] : source) {
      for (const word of text.replace(ESCAPE, ' ').toLowerCase().match(WORD) ?? []) words.add(word);
    }
  };
  for (const spec of specs) {
    add(spec.pattern);
    add(spec.phrase);
    add(spec.words);
    for (const exception of spec.unless ?? []) {
      add(exception.pattern);
      add(exception.phrase);
      add(exception.words);
    }
    add(spec.context?.raise);
    add(spec.context?.lower);
  }
  return words;
}
