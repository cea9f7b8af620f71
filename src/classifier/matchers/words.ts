// `words:` rules: whole words and multi-word phrases, matched token by token through the rule set's shared
// token index (one hash lookup per word of the message, however many words rules are loaded).

import type { Matcher, SentenceTest, Span, MatchContext } from './matcher.js';
import type { ScreenText } from './screen-text.js';
import { entryWords, TokenIndex } from './token-index.js';
import { firstTokenAfter, type Token } from './tokens.js';

export class WordsMatcher implements Matcher, SentenceTest {
  private constructor(private readonly owner: number) {}

  /** Adds the entries to the index; throws when an entry has no word in it (e.g. only punctuation). */
  static compile(entries: readonly string[], index: TokenIndex): WordsMatcher {
    const owner = index.newOwner();
    addEntries(index, owner, entries);
    return new WordsMatcher(owner);
  }

  find(screen: ScreenText, context: MatchContext): Span[] {
    const spans: Span[] = [];
    const tokens = screen.tokens;
    for (const hit of screen.tokenHits(this.owner)) {
      if (spans.length >= context.limit) break;
      spans.push({ start: (tokens[hit.first] as Token).start, end: (tokens[hit.last - 1] as Token).end });
    }
    return spans;
  }

  test(screen: ScreenText, sentence: number): boolean {
    const ofToken = screen.sentenceOfTokens();
    return screen.tokenHits(this.owner).some((hit) => ofToken[hit.first] === sentence);
  }
}

/** An `unless: words` exception: its own small index, looked up only on the sentence of a match. */
export class WordsException implements SentenceTest {
  private readonly index = new TokenIndex();

  constructor(entries: readonly string[]) {
    addEntries(this.index, this.index.newOwner(), entries);
  }

  test(screen: ScreenText, sentence: number): boolean {
    const s = screen.sentences[sentence];
    if (!s) return false;
    const tokens = screen.tokens;
    const from = firstTokenAfter(tokens, s.start);
    const to = firstTokenAfter(tokens, s.end);
    return this.index.scan(tokens.slice(from, to)).size > 0;
  }
}

function addEntries(index: TokenIndex, owner: number, entries: readonly string[]): void {
  for (const entry of entries) {
    const words = entryWords(entry);
    if (words.length === 0) {
      throw new Error(`"${entry}" has no letters, digits or emoji to match as a word; use a pattern for punctuation`);
    }
    index.add(owner, words);
  }
}
