// A screening thread: compiles rule sets and screens messages for the relay's main thread (screening-threads.ts).
// It keeps each rule set it is asked to load until told to retire it, so messages in flight during a reload are
// screened with the set that was current when their DATA ended.
import { parentPort } from 'node:worker_threads';
import { classify } from '../classifier/index.js';
import { RuleFileError } from '../classifier/rules/rule-file-error.js';
import { compileScreenSettings, ruleSummaries, screen, type ScreenSettings } from './screen.js';
import type { MessagePolicy } from './policy.js';
import { unscreenedProblem, type ScreenResult } from './screen-result.js';
import type { FromScreeningThread, ToScreeningThread } from './screening-messages.js';

if (parentPort === null) throw new Error('screening-worker.js runs only as a worker thread of the relay');
const port = parentPort;
const sets = new Map<number, ScreenSettings>();

/**
 * Screened once after each load, before the thread says it is ready: the first message a fresh thread screens is
 * otherwise ~15 times slower (24 ms against 1.5 ms, measured) while V8 compiles the classifier, and would count
 * against screening.timeoutSeconds.
 */
const WARM_UP_TEXT =
  'Hi Sam, please read pages 42 to 48 before Monday. The worksheet is on www.example.org/homework, and ' +
  'questions can go to office@example.org or 01632 960000. Many thanks, Mr Jones';

function reply(message: FromScreeningThread): void {
  port.postMessage(message);
}

function load(generation: number, input: Parameters<typeof compileScreenSettings>[0]): void {
  try {
    const settings = compileScreenSettings(input);
    classify(WARM_UP_TEXT, settings.rules, { organisation: settings.organisation, thresholds: settings.thresholds });
    sets.set(generation, settings);
    reply({ type: 'loaded', generation, rules: ruleSummaries(settings), warnings: [...settings.rules.warnings] });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const ruleFile =
      error instanceof RuleFileError
        ? { file: error.file, line: error.line, column: error.column, problem: error.problem, snippet: error.snippet }
        : undefined;
    reply({ type: 'load-failed', generation, message, ...(ruleFile === undefined ? {} : { ruleFile }) });
  }
}

async function screenOne(id: number, generation: number, raw: Uint8Array, policy: MessagePolicy) {
  const settings = sets.get(generation);
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const result =
    settings === undefined
      ? unscreenedProblem(
          'Screening failed with an internal error, so the message was held to be safe',
          `rule set ${generation} is not loaded on the screening thread`,
        )
      : await screen(bytes, policy, settings);
  reply({ type: 'screened', id, result: withoutUnusedParts(result) });
}

/**
 * A clean verdict (nothing found, no problem) is only ever relayed, and the relay never reads its parts: they are
 * left out of the reply rather than copied across threads (a 3 KB message's parts are ~4.7 KB of the ~4.8 KB
 * reply, and cloning them cost ~8 us a message, measured). Anything held or tagged keeps them for the review app.
 */
function withoutUnusedParts(result: ScreenResult): ScreenResult {
  const { verdict } = result;
  const clean =
    result.problem === undefined &&
    verdict.action === 'pass' &&
    verdict.findings.length === 0 &&
    verdict.problems.length === 0;
  return clean ? { ...result, verdict: { ...verdict, parts: [] } } : result;
}

port.on('message', (message: ToScreeningThread) => {
  switch (message.type) {
    case 'load':
      load(message.generation, message.input);
      break;
    case 'retire':
      sets.delete(message.generation);
      break;
    case 'screen':
      void screenOne(message.id, message.generation, message.raw, message.policy);
      break;
  }
});
