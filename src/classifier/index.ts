// The classifier's one entry point: compile rules once, classify messages many times.

export { classify, MAX_FINDINGS_PER_RULE, MAX_NLP_SENTENCES, MAX_SCREENED_CHARS_PER_PART } from './classify.js';
export { compileRules } from './rules/compile.js';
export type { CompiledRule, CompiledRules, CompileOptions, RuleExample, RulePackText } from './rules/compile.js';
export { RuleFileError } from './rules/rule-file-error.js';
export { runRuleExamples, runAllExamples } from './rule-examples.js';
export type { ExampleFailure, ExampleRun } from './rule-examples.js';
export { parseDocument, parseMime } from './parse-mime.js';
export { extractParts } from './extract-parts.js';
export * from './types.js';
