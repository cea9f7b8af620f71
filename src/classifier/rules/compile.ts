// Rule packs -> CompiledRules, once at load: every pattern on re2 (and all of them in one RE2.Set), every word
// list in one token index, every phrase parsed with its anchors, every detector with its options checked.
// Nothing here runs per message.

import { compileContext, type CompiledContext } from '../context.js';
import { DetectorMatcher, detectorNames, findDetector } from '../matchers/detector.js';
import type { Matcher, SentenceTest } from '../matchers/matcher.js';
import { compilePattern, PATTERN_FLAGS, PatternMatcher, patternProblem } from '../matchers/pattern.js';
import { PhraseError, PhraseMatcher } from '../matchers/phrase.js';
import { PatternSets } from '../matchers/re2-set.js';
import type { ScanTables, ScreenText } from '../matchers/screen-text.js';
import { TokenIndex } from '../matchers/token-index.js';
import { WordsException, WordsMatcher } from '../matchers/words.js';
import type { Category, PartKind, RecipientClass, Severity } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import { loadPack, type RuleSource } from './load-pack.js';
import { mergePacks, type ActiveRule } from './merge.js';
import { RuleFileError } from './rule-file-error.js';
import { ruleVocabulary } from './vocabulary.js';
import type { ExceptionSpec, MatcherKind, RuleSpec } from './rule-schema.js';
import type { z } from 'zod';

export interface RulePackText {
  file: string;
  text: string;
}

export interface CompileOptions {
  /** The school's own packs (rules.local), merged over `packs` by rule id. */
  local?: readonly RulePackText[];
}

export interface RuleExample {
  text: string;
  file: string;
  line: number;
  column: number;
}

export interface CompiledRule {
  id: string;
  category: Category;
  severity: Severity;
  kind: MatcherKind;
  /** A short description of what the matcher looks for, for `chaperone rules list`. */
  summary: string;
  matcher: Matcher;
  context?: CompiledContext;
  unless: readonly SentenceTest[];
  /** Drop matches inside a negated clause ("I would never ask you to ..."). */
  skipNegated: boolean;
  recipients: ReadonlySet<RecipientClass>;
  parts: ReadonlySet<PartKind>;
  guidance: string;
  explain: string;
  advice: string;
  file: string;
  line: number;
  /** True when the rule comes from the school's local packs. */
  local: boolean;
  examples: { flag: readonly RuleExample[]; pass: readonly RuleExample[] };
}

export interface CompiledRules {
  rules: readonly CompiledRule[];
  tables: ScanTables;
  /** Not errors, but worth telling the admin (e.g. a local pack disables an id no pack has). */
  warnings: readonly string[];
}

/** Compiles shipped packs and optional local overrides. Throws RuleFileError for a mistake in a pack. */
export function compileRules(packs: readonly RulePackText[], options: CompileOptions = {}): CompiledRules {
  const shipped = packs.map((p) => loadPack(p.file, p.text));
  const local = (options.local ?? []).map((p) => loadPack(p.file, p.text));
  const merged = mergePacks(shipped, local);
  const words = new TokenIndex();
  const patternSources: string[] = [];
  const rules = merged.rules.map((active) => compileRule(active, words, patternSources));
  // The word index's gates are scanned with the patterns: the scan a part costs also says whether to tokenise it.
  const wordGates = new Map<number, number[]>();
  const gateSources: string[] = [];
  for (const gate of words.firstWordGates()) {
    const ofOwner = wordGates.get(gate.owner) ?? [];
    ofOwner[gate.tag] = patternSources.length + gateSources.push(gate.source) - 1;
    wordGates.set(gate.owner, ofOwner);
  }
  const patterns = PatternSets.build(patternSources, gateSources, PATTERN_FLAGS);
  const vocabulary = ruleVocabulary(merged.rules.map((active) => active.spec));
  return { rules, tables: { words, patterns, wordGates, vocabulary }, warnings: merged.warnings };
}

function compileRule(active: ActiveRule, words: TokenIndex, patternSources: string[]): CompiledRule {
  const { spec, source } = active;
  const { matcher, kind, summary } = compileMatcher(spec, source, words, patternSources);
  let context: CompiledContext | undefined;
  if (spec.context) {
    try {
      context = compileContext(spec.context);
    } catch (error) {
      throw located(source, ['context'], `rule "${spec.id}", context: ${(error as Error).message}`);
    }
  }
  const example = (kind: 'flag' | 'pass') => (text: string, i: number) => {
    const at = source.locate(['examples', kind, i]);
    return { text, file: source.file, line: at.line, column: at.column };
  };
  return {
    id: spec.id,
    category: spec.category,
    severity: spec.severity,
    kind,
    summary,
    matcher,
    context,
    unless: (spec.unless ?? []).map((exception, i) => compileException(spec.id, exception, source, i)),
    skipNegated: spec.negation === 'skip',
    recipients: new Set(spec.recipients),
    parts: new Set(spec.parts as PartKind[]),
    guidance: spec.guidance,
    explain: spec.explain,
    advice: spec.advice,
    file: source.file,
    line: source.line,
    local: active.local,
    examples: { flag: spec.examples.flag.map(example('flag')), pass: spec.examples.pass.map(example('pass')) },
  };
}

function compileMatcher(
  spec: RuleSpec,
  source: RuleSource,
  words: TokenIndex,
  patternSources: string[],
): { matcher: Matcher; kind: MatcherKind; summary: string } {
  const rule = `rule "${spec.id}"`;
  if (spec.pattern !== undefined) {
    const re = attempt(
      () => compilePattern(spec.pattern as string),
      source,
      ['pattern'],
      (e) => {
        return `${rule}: re2 cannot compile the pattern: ${patternProblem(e)}`;
      },
    );
    patternSources.push(spec.pattern);
    return { matcher: new PatternMatcher(re, patternSources.length - 1), kind: 'pattern', summary: spec.pattern };
  }
  if (spec.phrase !== undefined) {
    const phrase = spec.phrase;
    const matcher = attempt(
      () => PhraseMatcher.compile(phrase, words),
      source,
      ['phrase'],
      (e) => {
        return `${rule}: ${e instanceof PhraseError ? e.message : `compromise cannot read the phrase: ${String(e)}`}`;
      },
    );
    return { matcher, kind: 'phrase', summary: phrase };
  }
  if (spec.words !== undefined) {
    const list = spec.words;
    const matcher = attempt(
      () => WordsMatcher.compile(list, words),
      source,
      ['words'],
      (e) => {
        return `${rule}, words: ${(e as Error).message}`;
      },
    );
    return { matcher, kind: 'words', summary: list.slice(0, 4).join(', ') + (list.length > 4 ? ', ...' : '') };
  }
  const { name, ...options } = spec.detector as { name: string };
  const detector = findDetector(name);
  if (!detector) {
    const known = detectorNames();
    throw located(
      source,
      ['detector', 'name'],
      `${rule}: there is no detector "${name}"${didYouMean(name, known)}; detectors: ${known.join(', ')}`,
    );
  }
  const parsed = detector.optionsSchema.safeParse(options);
  if (!parsed.success) throw detectorOptionError(rule, name, detector.optionsSchema, parsed.error.issues, source);
  const optionText = Object.keys(options).length > 0 ? ` ${JSON.stringify(options)}` : '';
  return { matcher: new DetectorMatcher(detector, parsed.data), kind: 'detector', summary: `${name}${optionText}` };
}

function detectorOptionError(
  rule: string,
  name: string,
  schema: unknown,
  issues: readonly z.core.$ZodIssue[],
  source: RuleSource,
): RuleFileError {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  const known = Object.keys((schema as { _zod?: { def?: { shape?: object } } })._zod?.def?.shape ?? {});
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] as string;
    const choices = known.length > 0 ? `; its options are ${known.join(', ')}` : '; it takes no options';
    return located(
      source,
      ['detector', key],
      `${rule}: detector ${name} has no option "${key}"${didYouMean(key, known)}${choices}`,
    );
  }
  const key = issue?.path[0];
  const where = issue && issue.path.length > 0 ? ` ${issue.path.join('.')}` : '';
  let problem = issue?.message.replace(/^Invalid input: /, '') ?? 'invalid options';
  if (issue?.code === 'invalid_value') {
    const values = issue.values.map(String);
    problem = `must be one of ${values.join(', ')}`;
  }
  return located(
    source,
    key === undefined ? ['detector'] : ['detector', key],
    `${rule}, detector ${name}${where}: ${problem}`,
  );
}

function compileException(id: string, exception: ExceptionSpec, source: RuleSource, i: number): SentenceTest {
  const test = compileExceptionTest(id, exception, source, i);
  return exception.before > 0 ? new ReachingBack(test, exception.before) : test;
}

/** An exception that also holds when it matches one of the few sentences just before the match's own. */
class ReachingBack implements SentenceTest {
  constructor(
    private readonly inner: SentenceTest,
    private readonly before: number,
  ) {}

  test(screen: ScreenText, sentence: number): boolean {
    for (let s = sentence; s >= 0 && s >= sentence - this.before; s--) {
      if (this.inner.test(screen, s)) return true;
    }
    return false;
  }
}

function compileExceptionTest(id: string, exception: ExceptionSpec, source: RuleSource, i: number): SentenceTest {
  const path = ['unless', i];
  if (exception.pattern !== undefined) {
    const pattern = exception.pattern;
    const re = attempt(
      () => compilePattern(pattern),
      source,
      [...path, 'pattern'],
      (e) => {
        return `rule "${id}", unless: re2 cannot compile the pattern: ${patternProblem(e)}`;
      },
    );
    return new PatternMatcher(re);
  }
  if (exception.phrase !== undefined) {
    const phrase = exception.phrase;
    return attempt(
      () => PhraseMatcher.compile(phrase),
      source,
      [...path, 'phrase'],
      (e) => {
        return `rule "${id}", unless: compromise cannot read the phrase: ${(e as Error).message}`;
      },
    );
  }
  const list = exception.words ?? [];
  return attempt(
    () => new WordsException(list),
    source,
    [...path, 'words'],
    (e) => {
      return `rule "${id}", unless: ${(e as Error).message}`;
    },
  );
}

function attempt<T>(
  build: () => T,
  source: RuleSource,
  path: readonly PropertyKey[],
  message: (e: unknown) => string,
): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof RuleFileError) throw error;
    throw located(source, path, message(error));
  }
}

function located(source: RuleSource, path: readonly PropertyKey[], problem: string): RuleFileError {
  const at = source.locate(path);
  return new RuleFileError(source.file, at.line, at.column, problem, at.snippet);
}
