// The classifier pipeline: message -> parts -> normalised text -> matchers -> context -> findings -> verdict.
// Synchronous and pure; every piece of work on the message is bounded by a named constant below.

import { excepted, isNegated, severityInContext } from './context.js';
import { extractPartsToScreen, type PartToScreen } from './extract-parts.js';
import { hiddenText } from './hidden-text.js';
import { htmlToText } from './html-text.js';
import { compose, toOriginalSpan, type MappedText } from './mapped-text.js';
import type { MatchContext } from './matchers/matcher.js';
import { NlpBudget, ScreenText, type ScanTables } from './matchers/screen-text.js';
import { normalise } from './normalise.js';
import { renderedSlice } from './rendered-slice.js';
import type { CompiledRule, CompiledRules } from './rules/compile.js';
import { ruleSelection, type KindRules } from './rule-selection.js';
import { actionFor, repeatKey, scoreFindings, totalScore, type UnscoredFinding } from './score.js';
import {
  CATEGORIES,
  DEFAULT_THRESHOLDS,
  type ClassifyOptions,
  type MessageInput,
  type MessagePart,
  type OrganisationSettings,
  type PartKind,
  type Verdict,
} from './types.js';

/** Findings kept per rule per message; a rule matching more often is a bound hit (a problem, so a hold). */
export const MAX_FINDINGS_PER_RULE = 50;

/**
 * Characters of one part that are screened. A 1 MB body screens in well under 300 ms; beyond that the rest is
 * not read and the message is held, so a 50 MB line costs no more than a 1 MB one.
 */
export const MAX_SCREENED_CHARS_PER_PART = 1_048_576;

/** Sentences one message may send to compromise (about 0.1-0.7 ms each): at most ~150 ms of NLP per message. */
export const MAX_NLP_SENTENCES = 200;

export const DEFAULT_ORGANISATION: OrganisationSettings = { domains: [], phones: [], accounts: [] };

/** Screens one message. Never throws on hostile input: what cannot be screened becomes a problem, which holds. */
export function classify(message: MessageInput | string, rules: CompiledRules, options: ClassifyOptions = {}): Verdict {
  return classifyWith(message, rules.rules, rules.tables, options);
}

/** classify() restricted to some of the compiled rules (used to run one rule's examples). */
export function classifyWith(
  message: MessageInput | string,
  rules: readonly CompiledRule[],
  tables: ScanTables,
  options: ClassifyOptions = {},
): Verdict {
  const input: MessageInput = typeof message === 'string' ? { text: message } : message;
  const recipientClass = options.recipientClass ?? 'pupil';
  const selection = ruleSelection(rules, recipientClass, options.categories);
  const organisation = options.organisation ?? DEFAULT_ORGANISATION;
  const problems = [...(input.problems ?? [])];
  const toScreen = partsOf(input, problems);
  const parts = toScreen.map(({ part }) => part);
  const budget = new NlpBudget(MAX_NLP_SENTENCES);
  const found: UnscoredFinding[] = [];

  // Plain-text parts' texts as read, with their rules' outcomes, for HTML alternatives that repeat them. Found by
  // comparing texts (a message has a handful of parts), not by hashing them.
  const readAlternatives: ReadAlternative[] = [];
  const hasAlternatives = parts.some((p) => p.source === 'html') && parts.some((p) => p.source === 'text');
  const context = { organisation, limit: MAX_FINDINGS_PER_RULE };
  const cleanSignatures = selection.cleanSignatures(tables, organisation);

  for (let partIndex = 0; partIndex < toScreen.length; partIndex++) {
    const { part, rendering } = toScreen[partIndex]!;
    if (part.kind === 'quoted') continue;
    const applicable = selection.forKind(part.kind);
    if (applicable.rules.length === 0) continue;
    const unreadable = `The ${describePart(part)} could not be read`;
    const read = attempt(() => readText(part, rendering), problems, unreadable);
    if (!read) continue;
    if (cleanSignatures.has(part)) {
      // Screened before in this context with nothing found (see clean-signatures.ts): every rule's outcome is clean.
      if (hasAlternatives && part.source === 'text') {
        readAlternatives.push({ text: read.text, ran: applicable, outcomes: new Map() });
      }
      continue;
    }
    const before = { findings: found.length, problems: problems.length, nlp: budget.requests };
    // Decided before normalising: an HTML alternative that reads as its plain text is neither normalised nor screened
    // again for the rules already run on it (see raiseProblems).
    const earlier =
      hasAlternatives && part.source === 'html' ? readAlternatives.find((a) => a.text === read.text) : undefined;
    const toRun = earlier ? applicable.hasRulesBeyond(earlier.ran) : true;
    const mapped = toRun ? attempt(() => normalisedText(read, tables.vocabulary), problems, unreadable) : undefined;
    if (toRun && !mapped) continue;
    if (read.truncated) {
      problems.push(
        `The ${describePart(part)} is too long to check in full (over ${MAX_SCREENED_CHARS_PER_PART.toLocaleString('en-GB')} characters); only the start was checked, so a person should read it.`,
      );
    }
    const screen = mapped && new ScreenText(mapped, tables, budget);
    const outcomes: RuleOutcomes | undefined = hasAlternatives && part.source === 'text' ? new Map() : undefined;
    for (const rule of applicable.rules) {
      const outcome = earlier?.ran.set.has(rule)
        ? (earlier.outcomes.get(rule) ?? CLEAN)
        : runRule(rule, screen!, part, partIndex, context, found);
      raiseProblems(problems, outcome, rule, part);
      if (outcomes && !isClean(outcome)) outcomes.set(rule, outcome);
    }
    if (outcomes) readAlternatives.push({ text: read.text, ran: applicable, outcomes });
    const clean =
      earlier === undefined &&
      found.length === before.findings &&
      problems.length === before.problems &&
      budget.requests === before.nlp;
    if (clean) cleanSignatures.remember(part);
  }
  if (budget.exhausted) {
    problems.push(
      `The message has more sentences to read closely than can be checked (over ${MAX_NLP_SENTENCES}), so a person should read it.`,
    );
  }

  found.sort((a, b) => a.partIndex - b.partIndex || a.start - b.start || a.end - b.end);
  const findings = scoreFindings(withoutAlternativeRepeats(found, parts));
  const score = totalScore(findings);
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  return {
    action: actionFor(score, thresholds, problems),
    score,
    categories: CATEGORIES.filter((c) => findings.some((f) => f.category === c)),
    findings,
    parts,
    problems,
  };
}

/** The message's parts; a fault of ours in cutting them holds the message rather than throwing. */
function partsOf(input: MessageInput, problems: string[]): PartToScreen[] {
  return attempt(() => extractPartsToScreen(input), problems, 'The message could not be cut into parts') ?? [];
}

function attempt<T>(step: () => T, problems: string[], what: string): T | undefined {
  try {
    return step();
  } catch (error) {
    problems.push(`${what} (internal error: ${(error as Error).message}), so a person should read it.`);
    return undefined;
  }
}

/**
 * A part's text as the matchers read it: rendered (HTML), normalised, cut at the screening bound. `rendering` is the
 * whole HTML body's (extractPartsToScreen); without it an HTML-sourced part is rendered from its own source.
 */
export function screenedText(
  part: MessagePart,
  rendering?: MappedText,
  vocabulary?: ReadonlySet<string>,
): { mapped: MappedText; truncated: boolean } {
  const read = readText(part, rendering);
  return { mapped: normalisedText(read, vocabulary), truncated: read.truncated };
}

/** A part's text as its reader reads it, before normalising: what the rules' outcomes depend on. */
interface ReadText {
  text: string;
  /** For an HTML-sourced part, the map of `text` to offsets in the part's text (made when it is normalised). */
  rendered?: () => MappedText;
  truncated: boolean;
}

function readText(part: MessagePart, rendering: MappedText | undefined): ReadText {
  const truncated = part.text.length > MAX_SCREENED_CHARS_PER_PART;
  const length = truncated ? MAX_SCREENED_CHARS_PER_PART : part.text.length;
  // HTML-sourced parts (the html body, and signatures or quotes cut from HTML) are rendered before reading;
  // a hidden part is read for the text its reader cannot see.
  if (part.source !== 'html') return { text: part.text.slice(0, length), truncated };
  if (rendering !== undefined) {
    const { text, mapped } = renderedSlice(rendering, { start: part.offset, end: part.offset + length });
    return { text, rendered: mapped, truncated };
  }
  const rendered = renderOwnSource(part, part.text.slice(0, length));
  return { text: rendered.text, rendered: () => rendered, truncated };
}

function renderOwnSource(part: MessagePart, html: string): MappedText {
  return part.kind === 'hidden' ? hiddenText(html) : htmlToText(html);
}

function normalisedText(read: ReadText, vocabulary: ReadonlySet<string> | undefined): MappedText {
  const normalised = normalise(read.text, undefined, vocabulary);
  return read.rendered ? compose(normalised, read.rendered()) : normalised;
}

/** Runs one rule on one part: its findings go into `found`, what else it raised into the outcome. */
function runRule(
  rule: CompiledRule,
  screen: ScreenText,
  part: MessagePart,
  partIndex: number,
  context: MatchContext,
  found: UnscoredFinding[],
): RuleOutcome {
  const outcome: RuleOutcome = { limitHit: false };
  const mark = found.length;
  try {
    findingsOf(rule, screen, part, partIndex, context, outcome, found);
  } catch (error) {
    // A fault of ours in one rule must neither pass the message unscreened nor stop the other rules: the findings it
    // gave before failing are dropped with it.
    found.length = mark;
    outcome.error = (error as Error).message;
  }
  return outcome;
}

function findingsOf(
  rule: CompiledRule,
  screen: ScreenText,
  part: MessagePart,
  partIndex: number,
  context: MatchContext,
  outcome: RuleOutcome,
  findings: UnscoredFinding[],
): void {
  const spans = rule.matcher.find(screen, context);
  outcome.limitHit = spans.length >= context.limit;
  for (const span of spans) {
    if (rule.skipNegated && isNegated(screen, span)) continue;
    if (excepted(screen, span, rule.unless)) continue;
    const severity = severityInContext(screen, span, rule.severity, rule.context);
    if (severity === undefined) continue;
    const original = toOriginalSpan(screen.mapped, span.start, span.end);
    const text = part.text.slice(original.start, original.end);
    const normalised = screen.text.slice(span.start, span.end);
    findings.push({
      rule: rule.id,
      category: rule.category,
      severity,
      text,
      start: original.start,
      end: original.end,
      part: part.kind,
      partIndex,
      // Only worth showing when it says more than the text itself: "07700900123" for "o77oo nine...".
      ...(normalised !== text.toLowerCase() ? { normalised } : {}),
      ...(span.detail ? { detail: span.detail } : {}),
      explain: rule.explain,
      advice: rule.advice,
      guidance: rule.guidance,
    });
  }
}

/**
 * What running one rule on one part added besides findings: the problems it raised, kept apart from the part's
 * name so they can be raised again, in the same words, for an HTML alternative that is not screened again.
 */
interface RuleOutcome {
  /** The rule matched the part MAX_FINDINGS_PER_RULE times or more. */
  limitHit: boolean;
  /** A fault of ours while the rule ran (after limitHit was known when it is set). */
  error?: string;
}

/** What most rules give: no finding limit hit, no fault. Never changed (runRule makes a new outcome per run). */
const CLEAN: RuleOutcome = Object.freeze({ limitHit: false });

function isClean(outcome: RuleOutcome): boolean {
  return !outcome.limitHit && outcome.error === undefined;
}

/** Outcomes that are not clean, by rule; a rule that ran and is not here was clean. */
type RuleOutcomes = Map<CompiledRule, RuleOutcome>;

/** A plain-text part as read, the rules that ran on it, and those of their outcomes that were not clean. */
interface ReadAlternative {
  text: string;
  ran: KindRules;
  outcomes: RuleOutcomes;
}

/**
 * Why an HTML part that reads as a plain-text part does (ReadText.text: rendered, before normalising, both cut where
 * they are screened) is neither normalised nor run through the rules the plain-text part ran. normalise() reads
 * nothing but the text, so both parts would get the same screened text; only the maps back to their sources differ.
 * A matcher's spans depend only on the screened text (ScreenText.text; detectors read MappedText.text, not its map),
 * the shared scan tables, the per-message match context and the message's NLP budget, whose documents are cached by
 * sentence text, so asking again for a sentence the plain-text part asked for neither spends budget nor changes the
 * answer. The same rule on the same text therefore gives the same spans, kept or dropped by negation, `unless` and
 * `context` alike (those read the same ScreenText), with the same severity and the same normalised text. A finding's
 * repeat key (score.ts) is its rule and its normalised text (normalised is only left out when it equals the
 * lower-cased text), so every finding the HTML part would give is a repeat of one from a 'text' part and
 * withoutAlternativeRepeats would drop it. What the run would add besides findings, the problems, are raised again
 * from the plain-text part's outcome, in the HTML part's words and in the same order. Rules that apply to the HTML
 * part but did not run on the plain-text part (appliesToPart differs by part kind) still run. A part over
 * MAX_SCREENED_CHARS_PER_PART is compared as cut there (its start is all either part screens), and raises its own
 * truncation problem whether or not it is screened again.
 */
function raiseProblems(problems: string[], outcome: RuleOutcome, rule: CompiledRule, part: MessagePart): void {
  if (outcome.limitHit) {
    problems.push(
      `Rule ${rule.id} matched the ${describePart(part)} more than ${MAX_FINDINGS_PER_RULE} times; only the first ${MAX_FINDINGS_PER_RULE} are listed.`,
    );
  }
  if (outcome.error !== undefined) {
    problems.push(
      `Rule ${rule.id} could not check the ${describePart(part)} (internal error: ${outcome.error}), so a person should read it.`,
    );
  }
}

/**
 * A multipart/alternative message says the same thing twice (text/plain and HTML): a finding in the HTML
 * that repeats one from the plain text (same rule, same normalised text) is the same finding.
 */
function withoutAlternativeRepeats(findings: UnscoredFinding[], parts: readonly MessagePart[]): UnscoredFinding[] {
  // Only the plain-text alternative says the same as the HTML: the subject and attachments are other text.
  const fromText = new Set(findings.filter((f) => parts[f.partIndex]?.source === 'text').map(repeatKey));
  return findings.filter((f) => parts[f.partIndex]?.source !== 'html' || !fromText.has(repeatKey(f)));
}

/** A part in words for problems a DSL reads ("The hidden text is too long to check in full"). */
const PART_WORDS: Partial<Record<PartKind, string>> = {
  'attachment-name': 'attachment name',
  hidden: 'hidden text',
  html: 'message',
};

function describePart(part: MessagePart): string {
  return PART_WORDS[part.kind] ?? part.kind;
}
