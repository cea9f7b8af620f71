// `phrase:` rules: compromise match expressions ({lemma} roots, (a|b) choices, optional words, #Tags,
// contractions), with the NLP cost kept in hand. compromise costs milliseconds per e-mail where a regex costs
// microseconds, so each phrase is gated: its anchor words (with their inflections, worked out here once) are
// looked up in the message's tokens, and compromise runs only on the sentences that hold every anchor,
// once per sentence however many phrases want it.

import nlp from 'compromise';
import RE2 from 're2';
import { COMMON_WORDS } from './common-words.js';
import { expandContraction } from './contractions.js';
import type { Matcher, MatchContext, SentenceTest, Span } from './matcher.js';
import type { ScreenText } from './screen-text.js';
import { entryWords, type TokenIndex } from './token-index.js';

/** One term of compromise's parsed match syntax (the subset of fields the compiler reads or rewrites). */
interface MatchTerm {
  word?: string;
  root?: string;
  tag?: string;
  regex?: RegExp | RE2;
  choices?: MatchTerm[][];
  fastOr?: Set<string>;
  operator?: string;
  optional?: boolean;
  negative?: boolean;
  min?: number;
  [other: string]: unknown;
}

/** At most this many anchor positions gate one phrase (one bit each in a per-sentence mask). */
const MAX_GATES = 30;

const TAGGING_KEYS = ['tag', 'chunk', 'switch', 'pos', 'sense'];

export class PhraseError extends Error {}

interface Inflector {
  two: { transform: Record<'verb' | 'noun' | 'adjective', { all(word: string, model: unknown): string[] }> };
}

/** A word and the forms compromise reads as the same root: "meet" -> meet, meets, meeting, met. */
export function inflections(root: string): string[] {
  const methods = nlp.methods() as unknown as Inflector;
  const model = nlp.model();
  const forms = new Set([root]);
  for (const kind of ['verb', 'noun', 'adjective'] as const) {
    for (const form of methods.two.transform[kind].all(root, model)) forms.add(form.toLowerCase());
  }
  return [...forms];
}

export class PhraseMatcher implements Matcher, SentenceTest {
  private constructor(
    readonly expression: string,
    private readonly program: MatchTerm[],
    private readonly tagged: boolean,
    /** Owner of this phrase's anchors in the token index, and how many gates there are (-1: ungated). */
    private readonly owner: number,
    private readonly gates: number,
  ) {}

  /**
   * Compiles a phrase. With an index, the phrase is gated on its anchors (a rule's matcher); without one
   * it is ungated (an `unless` exception, only ever run on the sentence of a match). Throws PhraseError.
   */
  static compile(expression: string, index?: TokenIndex): PhraseMatcher {
    const program = parse(expression);
    const tagged = usesTags(program);
    if (!index) return new PhraseMatcher(expression, program, tagged, -1, 0);
    const gates = gatePositions(expression, program);
    const owner = index.newOwner();
    gates.forEach((anchors, gate) => {
      for (const anchor of anchors) index.add(owner, [anchor], gate);
    });
    return new PhraseMatcher(expression, program, tagged, owner, gates.length);
  }

  find(screen: ScreenText, context: MatchContext): Span[] {
    const spans: Span[] = [];
    for (const sentence of this.candidateSentences(screen)) {
      const doc = screen.nlpDoc(sentence, this.tagged);
      if (!doc) break;
      const base = (screen.sentences[sentence] as { start: number }).start;
      const found = doc.match(this.program as object[]).json({ offset: true, text: false }) as {
        offset: { start: number; length: number };
      }[];
      for (const match of found) {
        if (spans.length >= context.limit) return spans;
        const span = trimmed(screen.text, base + match.offset.start, base + match.offset.start + match.offset.length);
        if (span) spans.push(span);
      }
    }
    return spans;
  }

  test(screen: ScreenText, sentence: number): boolean {
    const doc = screen.nlpDoc(sentence, this.tagged);
    return doc !== undefined && doc.has(this.program as object[]);
  }

  /** Sentences holding a hit for every gate of this phrase, in order. */
  private candidateSentences(screen: ScreenText): number[] {
    // A phrase needs every anchor position in one sentence: when one has no anchor word in the text, skip tokenising.
    if (!screen.mayHitEveryTag(this.owner)) return [];
    const hits = screen.tokenHits(this.owner);
    if (hits.length === 0) return [];
    const full = (1 << this.gates) - 1;
    // A gate with no hit in the whole text has none in any sentence: spare the sentences and their tokens.
    let anywhere = 0;
    for (const hit of hits) anywhere |= 1 << hit.entry.tag;
    if (anywhere !== full) return [];
    const ofToken = screen.sentenceOfTokens();
    const masks = new Map<number, number>();
    for (const hit of hits) {
      const sentence = ofToken[hit.first] as number;
      if (sentence >= 0) masks.set(sentence, (masks.get(sentence) ?? 0) | (1 << hit.entry.tag));
    }
    return [...masks]
      .filter(([, mask]) => mask === full)
      .map(([sentence]) => sentence)
      .sort((a, b) => a - b);
  }
}

const EDGE_PUNCTUATION = /[\s.,!?;:"'“”‘’()[\]{}…-]/;

/** compromise's offsets include punctuation next to the words ("school."); a finding is the words alone. */
function trimmed(text: string, start: number, end: number): Span | undefined {
  while (start < end && EDGE_PUNCTUATION.test(text[start] as string)) start++;
  while (end > start && EDGE_PUNCTUATION.test(text[end - 1] as string)) end--;
  return end > start ? { start, end } : undefined;
}

function parse(expression: string): MatchTerm[] {
  const program = nlp.parseMatch(expression) as MatchTerm[];
  if (program.length === 0) throw new PhraseError('the phrase has no words to match');
  checkSyntax(program);
  return program.map(rewrite);
}

const SYNTAX_CHARS = /[()[\]{}|]/;

/** compromise reads a stray bracket or bar as part of a word, which would then never match: say so instead. */
function checkSyntax(terms: readonly MatchTerm[]): void {
  let groups = 0;
  for (const term of terms) {
    if (term.word !== undefined && SYNTAX_CHARS.test(term.word)) {
      throw new PhraseError(`"${term.word}" has an unmatched bracket or a stray "|": check the ( ), [ ] and { } pairs`);
    }
    if (term.groupStart === true) groups++;
    if (term.groupEnd === true) groups--;
    for (const alternative of term.choices ?? []) checkSyntax(alternative);
  }
  if (groups !== 0) throw new PhraseError('a [ has no matching ]');
}

/** Expands contractions inside alternations and moves term regexes onto re2 (no backtracking engine on rule text). */
function rewrite(term: MatchTerm): MatchTerm {
  const out: MatchTerm = { ...term };
  if (out.regex !== undefined && !(out.regex instanceof RE2)) {
    const source = out.regex.source;
    try {
      out.regex = new RE2(source, 'iu');
    } catch (error) {
      throw new PhraseError(`the /${source}/ in the phrase is not a valid re2 expression: ${String(error)}`);
    }
  }
  // compromise's fast (a|b|c) compares only a word's root ("are" and "were" read as "is") or its text (empty for
  // the "are" hidden in "you're"), so "(are|were)" would miss both; word by word, each choice is matched like a
  // plain word (contraction, text or normal form). Its anchors are the listed words either way.
  if (out.fastOr) {
    out.choices = [...out.fastOr].map((w) => [{ word: w }]);
    delete out.fastOr;
  }
  if (out.choices) {
    out.choices = out.choices.map((alternative) => {
      const only = alternative.length === 1 ? alternative[0] : undefined;
      const expanded = only?.word !== undefined ? expandContraction(only.word) : undefined;
      return expanded ? expanded.map((word) => ({ word })) : alternative.map(rewrite);
    });
  }
  return out;
}

function usesTags(terms: readonly MatchTerm[]): boolean {
  return terms.some((t) => TAGGING_KEYS.some((k) => t[k] !== undefined) || (t.choices ?? []).some(usesTags));
}

function isRequired(term: MatchTerm): boolean {
  return term.optional !== true && term.negative !== true && term.min !== 0;
}

/** Words of which at least one must be in a sentence for the term to match; undefined when not anchorable. */
function anchorsOf(term: MatchTerm): string[] | undefined {
  if (term.choices) {
    const words: string[] = [];
    for (const alternative of term.choices) {
      const best = bestAnchors(alternative);
      if (!best) return undefined;
      words.push(...best);
    }
    return tokenForms(words);
  }
  if (term.fastOr && term.fastOr.size > 0) return tokenForms([...term.fastOr]);
  if (term.root !== undefined) return tokenForms(inflections(term.root.toLowerCase()));
  if (term.word !== undefined) return tokenForms([term.word]);
  return undefined;
}

/** Anchor words as the tokeniser will see them in text: lower-case, one token each (the longest piece). */
function tokenForms(words: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const word of words) {
    const pieces = entryWords(word);
    const longest = pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest) forms.add(longest);
  }
  return [...forms];
}

const isCommon = (anchors: readonly string[]): boolean => anchors.some((a) => COMMON_WORDS.has(a));

/** The rarest required, anchorable term of a sequence. */
function bestAnchors(terms: readonly MatchTerm[]): string[] | undefined {
  let best: string[] | undefined;
  for (const term of terms) {
    if (!isRequired(term)) continue;
    const anchors = anchorsOf(term);
    if (!anchors) continue;
    if (
      !best ||
      (isCommon(best) && !isCommon(anchors)) ||
      (isCommon(best) === isCommon(anchors) && anchors.length < best.length)
    ) {
      best = anchors;
    }
  }
  return best;
}

/** Every required term whose anchors are all uncommon words gates the phrase. */
function gatePositions(expression: string, program: readonly MatchTerm[]): string[][] {
  const anchored = program
    .filter(isRequired)
    .map(anchorsOf)
    .filter((a): a is string[] => a !== undefined);
  if (anchored.length === 0) {
    throw new PhraseError(
      'the phrase has no required word to look for (only #Tags, wildcards or optional words), so it would send every sentence to the NLP layer; add a required word',
    );
  }
  const gates = anchored.filter((anchors) => !isCommon(anchors)).slice(0, MAX_GATES);
  if (gates.length === 0) {
    const common = [...new Set(anchored.flat().filter((w) => COMMON_WORDS.has(w)))].slice(0, 6);
    throw new PhraseError(
      `every required word of "${expression}" is very common (${common.join(', ')}), so it would send nearly every sentence to the NLP layer; make a rarer word required, or use a pattern`,
    );
  }
  return gates;
}
