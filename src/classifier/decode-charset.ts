// Bytes in a declared charset -> text, for the parts mailparser hands over undecoded (attachments).

import { TextDecoder } from 'node:util';

/**
 * Node 20's TextDecoder decodes windows-1252 (which the WHATWG Encoding Standard also makes of "latin1",
 * "iso-8859-1" and "us-ascii") as ISO-8859-1, so 0x80-0x9F come out as C1 controls: "Don\x92t" would not read as
 * "Don’t". These are those bytes in windows-1252, from the Encoding Standard's index-windows-1252
 * (https://encoding.spec.whatwg.org/index-windows-1252.txt); 0x81, 0x8D, 0x8F, 0x90 and 0x9D map to themselves.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]; // prettier-ignore

const C1_CONTROLS = /[\x80-\x9f]/g;

/** `bytes` read as `charset`; an unknown charset is read as UTF-8, so its words are still screened. */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  const text = decoder.decode(bytes);
  if (decoder.encoding !== 'windows-1252') return text;
  return text.replace(C1_CONTROLS, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!));
}
