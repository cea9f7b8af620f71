// One lookup table for every word list of the loaded rules (words matchers, phrase anchors, context words),
// so a message's tokens are looked up once however many rules there are.

import { lookupForms, type Token } from './tokens.js';

export interface TokenEntry {
  /** Which list the entry belongs to (a words matcher, a phrase rule's anchor position...). */
  owner: number;
  /** The words of the entry, in order; a hit needs them on consecutive tokens. */
  words: readonly string[];
  /** Free for the owner: e.g. the anchor position of a phrase rule. */
  tag: number;
}

export interface TokenHit {
  entry: TokenEntry;
  /** First and last+1 token index of the hit. */
  first: number;
  last: number;
}

export class TokenIndex {
  private readonly byFirstWord = new Map<string, TokenEntry[]>();
  private owners = 0;

  /** Reserves an owner number for a new word list. */
  newOwner(): number {
    return this.owners++;
  }

  get ownerCount(): number {
    return this.owners;
  }

  add(owner: number, words: readonly string[], tag = 0): void {
    const first = words[0];
    if (first === undefined) return;
    const list = this.byFirstWord.get(first);
    const entry: TokenEntry = { owner, words, tag };
    if (list) list.push(entry);
    else this.byFirstWord.set(first, [entry]);
  }

  /**
   * For each owner and tag, a re2 pattern that matches wherever a token could be looked up as the first word of one
   * of its entries: a text it does not match in holds no hit of that owner and tag, so it need not be tokenised for
   * them. It reads word bounds more loosely than tokenise, which only adds matches: a token starts after a character
   * that is no word character, and ends (or reaches the apostrophe lookupForms cuts at) before one, and every ASCII
   * letter and digit is a word character.
   */
  firstWordGates(): { owner: number; tag: number; source: string }[] {
    const groups = new Map<string, { owner: number; tag: number; words: Set<string> }>();
    for (const [word, entries] of this.byFirstWord) {
      for (const { owner, tag } of entries) {
        const key = `${owner} ${tag}`;
        const group = groups.get(key) ?? { owner, tag, words: new Set<string>() };
        group.words.add(word);
        groups.set(key, group);
      }
    }
    return [...groups.values()].map(({ owner, tag, words }) => ({
      owner,
      tag,
      source: wordsGate([...words]),
    }));
  }

  /** Every entry found in the tokens, grouped by owner. */
  scan(tokens: readonly Token[]): Map<number, TokenHit[]> {
    const hits = new Map<number, TokenHit[]>();
    for (let i = 0; i < tokens.length; i++) {
      // The forms of lookupForms, without an array per token: the token, and for "mum's" the word before the "'".
      const text = (tokens[i] as Token).text;
      this.scanForm(text, tokens, i, hits);
      const apostrophe = text.indexOf("'");
      if (apostrophe > 0) this.scanForm(text.slice(0, apostrophe), tokens, i, hits);
    }
    return hits;
  }

  private scanForm(form: string, tokens: readonly Token[], at: number, hits: Map<number, TokenHit[]>): void {
    const entries = this.byFirstWord.get(form);
    if (!entries) return;
    for (const entry of entries) {
      if (!followsOn(tokens, at, entry.words)) continue;
      const hit = { entry, first: at, last: at + entry.words.length };
      const list = hits.get(entry.owner);
      if (list) list.push(hit);
      else hits.set(entry.owner, [hit]);
    }
  }
}

const ASCII_WORD_CHAR = /^[A-Za-z0-9]$/;
const BEFORE_WORD = '(?:^|[^A-Za-z0-9])';
const AFTER_WORD = '(?:$|[^A-Za-z0-9])';

/**
 * First words as one gate: each bounded on a side only where it has an ASCII letter or digit (not a pictograph);
 * the words bounded on both sides share their bounds, which keeps the automaton small.
 */
function wordsGate(words: readonly string[]): string {
  const bounded: string[] = [];
  const others: string[] = [];
  for (const word of words) {
    const literal = word.replace(/[\\^$.|?*+()[\]{}-]/g, '\\$&').replace(/'/g, "['’]");
    const before = ASCII_WORD_CHAR.test(word[0]!);
    const after = ASCII_WORD_CHAR.test(word[word.length - 1]!);
    if (before && after) bounded.push(literal);
    else others.push((before ? BEFORE_WORD : '') + literal + (after ? AFTER_WORD : ''));
  }
  if (bounded.length > 0) others.unshift(`${BEFORE_WORD}(?:${bounded.join('|')})${AFTER_WORD}`);
  return others.join('|');
}

function followsOn(tokens: readonly Token[], at: number, words: readonly string[]): boolean {
  for (let k = 1; k < words.length; k++) {
    const token = tokens[at + k];
    if (token === undefined || !lookupForms(token.text).includes(words[k] as string)) return false;
  }
  return true;
}

/** Splits a word-list entry ("mature for your age", "😘") into the tokens it must match, lower-cased. */
export function entryWords(entry: string): string[] {
  return [...entry.normalize('NFKC').toLowerCase().matchAll(ENTRY_TOKEN)].map((m) => m[0].replace(/’/g, "'"));
}

const ENTRY_TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|\p{Extended_Pictographic}/gu;
