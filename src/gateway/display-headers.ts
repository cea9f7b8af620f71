// The From and Subject a DSL sees in the queue, read straight from the raw header block so that even mail the MIME
// parser cannot read shows who sent it. RFC 2047 encoded words are decoded; anything undecodable is shown as is.

/** The header block of a real message is a few KB; a longer one is read only this far for display. */
const MAX_HEADER_BYTES = 256 * 1024;
/** Display values are cut to this many characters: enough for any real subject line. */
const MAX_DISPLAY_CHARS = 998;
/** Encoded words decoded per value; more is not a real header (RFC 2047 allows 75-character words). */
const MAX_ENCODED_WORDS = 200;

export interface DisplayHeaders {
  from: string;
  subject: string;
}

function headerBlock(raw: Buffer): string {
  const limit = Math.min(raw.length, MAX_HEADER_BYTES);
  let end = limit;
  for (let i = 0; i < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a || (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a)) {
      end = i;
      break;
    }
  }
  // 8-bit headers (RFC 6532) are UTF-8; a legacy 8-bit header that is not valid UTF-8 shows replacement characters.
  return raw.subarray(0, end).toString('utf8');
}

function fieldValue(block: string, name: string): string | undefined {
  const lines = block.split(/\r?\n/);
  const prefix = `${name.toLowerCase()}:`;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.toLowerCase().startsWith(prefix)) continue;
    let value = line.slice(prefix.length);
    for (let j = i + 1; j < lines.length && /^[ \t]/.test(lines[j] ?? ''); j++) value += lines[j];
    return value;
  }
  return undefined;
}

function decodeQ(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(bytes);
}

function decodeWord(charset: string, encoding: string, text: string): string | undefined {
  try {
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQ(text);
    // RFC 2231 language suffix: charset*lang.
    return new TextDecoder(charset.split('*')[0]?.trim() || 'utf-8').decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes RFC 2047 encoded words; whitespace between two adjacent encoded words is dropped, as the RFC says. */
export function decodeEncodedWords(value: string): string {
  let count = 0;
  const decoded = value.replace(
    /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=(\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=))?/g,
    (match: string, charset: string, encoding: string, text: string) => {
      if (++count > MAX_ENCODED_WORDS) return match;
      return decodeWord(charset, encoding, text) ?? match;
    },
  );
  return decoded;
}

function clean(value: string | undefined): string {
  if (value === undefined) return '';
  const text = decodeEncodedWords(value)
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_DISPLAY_CHARS ? `${text.slice(0, MAX_DISPLAY_CHARS)}...` : text;
}

export function readDisplayHeaders(raw: Buffer): DisplayHeaders {
  const block = headerBlock(raw);
  return { from: clean(fieldValue(block, 'from')), subject: clean(fieldValue(block, 'subject')) };
}
