// Letters from other scripts that look like Latin letters, folded to the Latin letter they imitate, so
// "snаpchat" written with a Cyrillic 'а' reads as "snapchat".
// Source: Unicode Technical Standard #39, confusables.txt (https://www.unicode.org/Public/security/latest/confusables.txt),
// the entries whose prototype is a single Latin letter, for the Cyrillic, Greek, Armenian and Latin-extension
// letters that are used for evasion in practice. Mathematical and full-width forms are not listed: NFKC folds them.

// prettier-ignore
const PAIRS: readonly (readonly [string, string])[] = [
  // Cyrillic, lower case
  ['а', 'a'], ['е', 'e'], ['о', 'o'], ['р', 'p'], ['с', 'c'], ['у', 'y'], ['х', 'x'], ['і', 'i'], ['ј', 'j'],
  ['ѕ', 's'], ['һ', 'h'], ['ԁ', 'd'], ['ԛ', 'q'], ['ԝ', 'w'], ['ӏ', 'l'], ['ь', 'b'], ['ѵ', 'v'], ['ɡ', 'g'],
  ['ү', 'y'], ['ո', 'n'],
  // Cyrillic, upper case (folded before lower-casing, so their own shapes count)
  ['А', 'a'], ['В', 'b'], ['Е', 'e'], ['К', 'k'], ['М', 'm'], ['Н', 'h'], ['О', 'o'], ['Р', 'p'], ['С', 'c'],
  ['Т', 't'], ['Х', 'x'], ['У', 'y'], ['І', 'i'], ['Ј', 'j'], ['Ѕ', 's'], ['Ԁ', 'd'], ['Ԛ', 'q'], ['Ԝ', 'w'],
  ['Ӏ', 'l'], ['Ү', 'y'], ['Ѵ', 'v'],
  // Greek
  ['α', 'a'], ['ο', 'o'], ['ν', 'v'], ['ι', 'i'], ['κ', 'k'], ['ρ', 'p'], ['τ', 't'], ['υ', 'u'], ['χ', 'x'],
  ['ϲ', 'c'], ['ϳ', 'j'], ['Α', 'a'], ['Β', 'b'], ['Ε', 'e'], ['Ζ', 'z'], ['Η', 'h'], ['Ι', 'i'], ['Κ', 'k'],
  ['Μ', 'm'], ['Ν', 'n'], ['Ο', 'o'], ['Ρ', 'p'], ['Τ', 't'], ['Υ', 'y'], ['Χ', 'x'], ['Ϲ', 'c'], ['Ϳ', 'j'],
  // Armenian
  ['օ', 'o'], ['ս', 'u'], ['հ', 'h'], ['ք', 'p'], ['Օ', 'o'], ['Ս', 'u'],
  // Latin letters outside ASCII that pass for ASCII ones
  ['ı', 'i'], ['ȷ', 'j'], ['ɑ', 'a'], ['ɩ', 'i'], ['ʏ', 'y'], ['ɪ', 'i'], ['ᴏ', 'o'], ['ᴄ', 'c'], ['ᴠ', 'v'],
  ['ᴡ', 'w'], ['ᴢ', 'z'],
  // Latin letter small capitals (Unicode's Phonetic Extensions and Latin Extended-D blocks, by their names "LATIN
  // LETTER SMALL CAPITAL X"): "fancy text" generators write whole words in them ("ꜱɴᴀᴘᴄʜᴀᴛ"), and NFKC leaves them be.
  ['ᴀ', 'a'], ['ʙ', 'b'], ['ᴅ', 'd'], ['ᴇ', 'e'], ['ꜰ', 'f'], ['ɢ', 'g'], ['ʜ', 'h'], ['ᴊ', 'j'], ['ᴋ', 'k'],
  ['ʟ', 'l'], ['ᴍ', 'm'], ['ɴ', 'n'], ['ᴘ', 'p'], ['ǫ', 'q'], ['ʀ', 'r'], ['ꜱ', 's'], ['ᴛ', 't'], ['ᴜ', 'u'],
];

/** Look-alike letter -> the lower-case Latin letter(s) it imitates. */
export const CONFUSABLE_LETTERS: ReadonlyMap<string, string> = new Map(PAIRS);
