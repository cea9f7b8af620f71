// Contractions in phrase expressions. compromise expands "don't" in the text it reads, and matches a bare
// "don't" in an expression, but not one inside an alternation "(don't|never)"; spelling the expanded form
// there ("do not") matches "don't", "dont" and "do not" alike.

const IRREGULAR: Record<string, string[]> = {
  "won't": ['will', 'not'],
  "can't": ['can', 'not'],
  "shan't": ['shall', 'not'],
  "let's": ['let', 'us'],
  "ain't": ['is', 'not'],
};

const SUFFIXES: [string, string][] = [
  ["n't", 'not'],
  ["'re", 'are'],
  ["'ll", 'will'],
  ["'ve", 'have'],
  ["'m", 'am'],
  ["'d", 'would'],
];

/** The words a contraction stands for, or undefined when the word is not one. */
export function expandContraction(word: string): string[] | undefined {
  const w = word.toLowerCase().replace(/’/g, "'");
  const irregular = IRREGULAR[w];
  if (irregular) return irregular;
  for (const [suffix, expansion] of SUFFIXES) {
    if (w.endsWith(suffix) && w.length > suffix.length) return [w.slice(0, -suffix.length), expansion];
  }
  return undefined;
}
