// One part's normalised text as the matchers see it, with everything derived from it computed at most once
// (tokens, sentences, word-list hits, pattern-set hits, NLP documents per sentence), however many rules ask.

import nlp from 'compromise';
import { utf8Of, type PatternSets } from './re2-set.js';
import type { MappedText } from '../mapped-text.js';
import { gatesOf } from '../normalise.js';
import { scanGates, type GateHits } from '../text-gates.js';
import type { TokenHit, TokenIndex } from './token-index.js';
import { sentenceAt, splitSentences, tokenise, type Sentence, type Token } from './tokens.js';

type NlpView = ReturnType<typeof nlp>;

const LINE_BREAKS = /[\r\n\f\v\u2028\u2029]/g;

/** The tables compiled once for a rule set that every part is scanned against. */
export interface ScanTables {
  words: TokenIndex;
  /** All rule patterns in a few RE2.Sets: a clean part costs a scan per set, not one per pattern rule. */
  patterns?: PatternSets | undefined;
  /**
   * For each owner of `words`, the index in `patterns` of each tag's first-word gate (TokenIndex.firstWordGates);
   * an owner without gates here is always looked up.
   */
  wordGates?: ReadonlyMap<number, readonly number[]>;
  /** The words the rules spell, by which normalise reads a stretched word ("misss" as "miss"). */
  vocabulary?: ReadonlySet<string>;
}

/**
 * The NLP work of one message. compromise costs about 0.1 ms (tokenise) to 0.7 ms (full tagging) per sentence
 * on this hardware, so a hostile body with thousands of anchor words is capped here rather than taking seconds;
 * running out is reported as a problem, which holds the message. Documents are shared by sentence text across
 * the message's parts, so the HTML alternative repeating the plain text costs nothing more.
 */
export class NlpBudget {
  used = 0;
  /** Documents asked for, whether parsed, found in the cache or refused: 0 for a part that needs no NLP at all. */
  requests = 0;
  exhausted = false;
  private readonly docs = new Map<string, NlpView>();

  constructor(readonly sentences: number) {}

  /** The sentence as a compromise document, from the message's cache or parsed now; undefined when spent. */
  doc(text: string, tagged: boolean): NlpView | undefined {
    this.requests++;
    const key = (tagged ? 'T' : 't') + text;
    const cached = this.docs.get(key);
    if (cached) return cached;
    if (this.used >= this.sentences) {
      this.exhausted = true;
      return undefined;
    }
    this.used++;
    const doc = tagged ? nlp(text) : nlp.tokenize(text);
    doc.compute('root');
    this.docs.set(key, doc);
    return doc;
  }
}

export class ScreenText {
  private tokenList?: Token[];
  private sentenceList?: Sentence[];
  private sentenceOfToken?: Int32Array;
  private wordHits?: Map<number, TokenHit[]>;
  private patternHits?: Set<number>;
  private gateHits?: GateHits;
  private readonly memo = new Map<object, unknown>();

  constructor(
    readonly mapped: MappedText,
    private readonly tables: ScanTables,
    readonly budget: NlpBudget,
  ) {}

  get text(): string {
    return this.mapped.text;
  }

  get tokens(): Token[] {
    this.tokenList ??= tokenise(this.text);
    return this.tokenList;
  }

  get sentences(): Sentence[] {
    this.sentenceList ??= splitSentences(this.text);
    return this.sentenceList;
  }

  sentenceAt(offset: number): number {
    return sentenceAt(this.sentences, offset);
  }

  /** The sentence each token is in (-1 for none). */
  sentenceOfTokens(): Int32Array {
    if (this.sentenceOfToken) return this.sentenceOfToken;
    const tokens = this.tokens;
    const sentences = this.sentences;
    const out = new Int32Array(tokens.length).fill(-1);
    let s = 0;
    for (let i = 0; i < tokens.length; i++) {
      const start = (tokens[i] as Token).start;
      while (s < sentences.length && (sentences[s] as Sentence).end <= start) s++;
      const sentence = sentences[s];
      if (sentence && sentence.start <= start) out[i] = s;
    }
    this.sentenceOfToken = out;
    return out;
  }

  /**
   * Hits of one compiled word list (a words rule, a phrase's anchors) on this text. The text is tokenised and every
   * list looked up at once, the first time a list whose gates find a first word asks.
   */
  tokenHits(owner: number): readonly TokenHit[] {
    const gates = this.tables.wordGates?.get(owner);
    if (gates !== undefined && !gates.some((gate) => this.patternMayMatch(gate))) return [];
    this.wordHits ??= this.tables.words.scan(this.tokens);
    return this.wordHits.get(owner) ?? [];
  }

  /** Whether each tag of the list (each anchor position of a phrase) may have a hit: its gate matches somewhere. */
  mayHitEveryTag(owner: number): boolean {
    const gates = this.tables.wordGates?.get(owner);
    return gates === undefined || gates.every((gate) => this.patternMayMatch(gate));
  }

  /** What the text gates found in this text: normalise read them already (and compose keeps them). */
  get gates(): GateHits {
    this.gateHits ??= gatesOf(this.mapped) ?? scanGates(this.text);
    return this.gateHits;
  }

  /** Whether the pattern with this index in the rule set's RE2.Set can match anywhere in the text. */
  patternMayMatch(setIndex: number): boolean {
    if (!this.tables.patterns) return true;
    if (this.patternHits === undefined) {
      // The bytes normalise's gate scan encoded, when it read this very text: one conversion for both scans.
      const utf8 = (this.gateHits ?? gatesOf(this.mapped))?.utf8 ?? utf8Of(this.text);
      this.patternHits = new Set(this.tables.patterns.match(utf8));
    }
    return this.patternHits.has(setIndex);
  }

  /** `compute`'s result for this part, computed the first time `key` is asked for (detector scans shared by rules). */
  once<T>(key: object, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  sentenceText(sentence: number): string {
    const s = this.sentences[sentence];
    return s ? this.text.slice(s.start, s.end) : '';
  }

  /**
   * The sentence as a compromise document, parsed once and shared by every phrase that needs it.
   * `tagged` asks for full part-of-speech tagging (phrases using #Tags); otherwise tokenising plus roots
   * is enough for words, {lemma} matches and contractions, at a seventh of the cost.
   * Undefined when the message's NLP budget is spent.
   */
  nlpDoc(sentence: number, tagged: boolean): NlpView | undefined {
    // compromise ends a sentence at every line break; ours do not (see splitSentences). Same length, same offsets.
    return this.budget.doc(this.sentenceText(sentence).replace(LINE_BREAKS, ' '), tagged);
  }
}
