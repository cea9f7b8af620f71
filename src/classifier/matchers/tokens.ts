// Words and sentences of a normalised text, with their offsets: the units that words, phrase and context rules count in.

export interface Token {
  start: number;
  end: number;
  /** The token as written (the text is already lower-cased by normalise). */
  text: string;
}

export interface Sentence {
  start: number;
  end: number;
}

/** A word: letters, digits and marks, with inner apostrophes ("don't", "mum's"); or one pictograph (an emoji). */
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|\p{Extended_Pictographic}/gu;

/**
 * Sentences longer than this are cut at the next space. Mail without punctuation would otherwise make one
 * "sentence" of a whole body, and a phrase rule would send all of it to the NLP layer at once.
 */
export const MAX_SENTENCE_CHARS = 600;

export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    tokens.push({ start, end: start + m[0].length, text: m[0].replace(/’/g, "'") });
  }
  return tokens;
}

/** The forms of a token looked up in word lists: itself and, for "mum's" or "you're", the word before the apostrophe. */
export function lookupForms(token: string): string[] {
  const apostrophe = token.indexOf("'");
  return apostrophe > 0 ? [token, token.slice(0, apostrophe)] : [token];
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\u00a0';
}

const SENTENCE_END = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', "'", '’', '”', ')', ']']);

/**
 * Splits text into sentences: at . ! ? followed by a space, and at blank lines. A single line break does not end
 * a sentence: plain-text mail is often hard-wrapped, and a sender could otherwise split "meet me\nafter school"
 * over two lines to keep a phrase rule from seeing it whole.
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text[s] as string)) s++;
    while (e > s && isSpace(text[e - 1] as string)) e--;
    if (e > s) sentences.push({ start: s, end: e });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      if (nextLineIsBlank(text, i + 1)) push(i + 1);
      continue;
    }
    if (SENTENCE_END.has(c)) {
      let j = i + 1;
      while (j < text.length && (SENTENCE_END.has(text[j] as string) || CLOSERS.has(text[j] as string))) j++;
      if (j >= text.length || isSpace(text[j] as string)) {
        push(j);
        i = j - 1;
        continue;
      }
    }
    if (i - start >= MAX_SENTENCE_CHARS && isSpace(c)) push(i + 1);
  }
  push(text.length);
  return sentences;
}

function nextLineIsBlank(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') return true;
    if (!isSpace(c)) return false;
  }
  return true;
}

/** Index of the sentence containing offset (binary search); -1 when the offset lies between sentences. */
export function sentenceAt(sentences: readonly Sentence[], offset: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid] as Sentence;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Index of the first token whose end is after offset. */
export function firstTokenAfter(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as Token).end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
