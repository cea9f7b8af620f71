// Encodes text as ISO-8859-1 or windows-1252 bytes, for corpus messages that test the engine's charset decoding.
// Built by hand rather than through a transitive dependency: both are single-byte tables.

/**
 * windows-1252 bytes 0x80-0x9F, which ISO-8859-1 leaves as C1 controls.
 * Source: WHATWG Encoding Standard, index-windows-1252.txt (https://encoding.spec.whatwg.org/index-windows-1252.txt).
 * 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned there (decoders map them to C1 controls).
 */
const WINDOWS_1252_HIGH: Record<number, number> = {
  0x20ac: 0x80, // €
  0x201a: 0x82, // ‚
  0x0192: 0x83, // ƒ
  0x201e: 0x84, // „
  0x2026: 0x85, // …
  0x2020: 0x86, // †
  0x2021: 0x87, // ‡
  0x02c6: 0x88, // ˆ
  0x2030: 0x89, // ‰
  0x0160: 0x8a, // Š
  0x2039: 0x8b, // ‹
  0x0152: 0x8c, // Œ
  0x017d: 0x8e, // Ž
  0x2018: 0x91, // ‘
  0x2019: 0x92, // ’
  0x201c: 0x93, // “
  0x201d: 0x94, // ”
  0x2022: 0x95, // •
  0x2013: 0x96, // –
  0x2014: 0x97, // —
  0x02dc: 0x98, // ˜
  0x2122: 0x99, // ™
  0x0161: 0x9a, // š
  0x203a: 0x9b, // ›
  0x0153: 0x9c, // œ
  0x017e: 0x9e, // ž
  0x0178: 0x9f, // Ÿ
};

export type LegacyCharset = 'iso-8859-1' | 'windows-1252';

export class UnencodableTextError extends Error {
  constructor(
    readonly charset: LegacyCharset,
    readonly character: string,
  ) {
    super(
      `"${character}" (U+${character.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}) cannot be written in ${charset}`,
    );
  }
}

/** The text as bytes of `charset`; throws UnencodableTextError naming the first character the charset lacks. */
export function encodeLegacy(text: string, charset: LegacyCharset): Buffer {
  const bytes = Buffer.alloc(text.length);
  let length = 0;
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    const high = charset === 'windows-1252' ? WINDOWS_1252_HIGH[code] : undefined;
    if (high !== undefined) {
      bytes[length++] = high;
    } else if (code <= 0x7f || (code >= 0xa0 && code <= 0xff) || (charset === 'iso-8859-1' && code <= 0xff)) {
      bytes[length++] = code;
    } else {
      throw new UnencodableTextError(charset, character);
    }
  }
  return bytes.subarray(0, length);
}
