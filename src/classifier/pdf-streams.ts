// How much a PDF's streams decode to, found before pdf.js opens it. pdf.js keeps every byte it decodes (a page's
// content stream whole) in buffers outside the JavaScript heap, which the screening thread's heap limit does not
// cover: a 1 MB PDF whose one stream inflates to 1 GiB took the relay to 2.3 GB. So every stream pdf.js could read
// is found, its filters followed as pdf.js follows them, and what they decode to counted without decoding it
// (pdf-flate-size.ts, pdf-filters.ts); past a bound, or where a stream cannot be followed, the PDF is not read.
// Each stream's data is read from its start to wherever its compression ends, not to where its /Length says, so a
// false length cannot hide data from the count.

import { Buffer } from 'node:buffer';
import { streamDecryption, type StreamDecryption } from './pdf-decrypt.js';
import { flateSize } from './pdf-flate-size.js';
import {
  ascii85Bytes,
  asciiHexBytes,
  lzwSize,
  predictorSize,
  runLengthSize,
  type PredictorParameters,
} from './pdf-filters.js';
import { entry, isRegular, isWhiteSpace, PdfReader, type PdfDict, type PdfValue } from './pdf-syntax.js';

/**
 * Bytes all of a PDF's streams may decode to, together. pdf.js holds what it decodes, so this bounds the memory one
 * PDF costs a screening thread (about twice it, as pdf.js's buffers double); a PDF of many images compressed
 * without loss can pass it, and is held unread.
 */
export const MAX_PDF_DECODED_BYTES = 64 * 1024 * 1024;
/**
 * Bytes searched back from a stream for the header of its object ("12 0 obj"): a stream's dictionary is short, and
 * this bounds the search for each `stream` keyword in the file.
 */
const MAX_STREAM_DICTIONARY_BYTES = 64 * 1024;
/** Object headers tried for one stream: a string in its dictionary may hold the word "obj". */
const MAX_HEADERS_TRIED = 4;
/**
 * Bytes read for all the streams and dictionaries, as a multiple of the file's size. A PDF's streams do not overlap,
 * so a legitimate file reads each byte about once; streams made to start inside one another would each read the
 * rest again, and that quadratic cost is refused.
 */
const MAX_READ_PER_FILE_BYTE = 2;
/** Bytes read besides, for small files with many streams (each read stops a few bytes past its end). */
const READ_ALLOWANCE = 1024 * 1024;

/** Why a PDF is not read (worded for the DSL), or undefined when its streams are within bounds. */
export function pdfStreamsProblem(bytes: Uint8Array): string | undefined {
  const scan = new StreamScan(bytes);
  try {
    scan.run();
    return undefined;
  } catch (error) {
    if (error instanceof NotRead) return error.message;
    throw error;
  }
}

class NotRead extends Error {}

const TOO_LARGE = `its contents expand to more than ${MAX_PDF_DECODED_BYTES / 1024 / 1024} MB when decompressed, too much to check`;
const DAMAGED = 'its contents are damaged';
const UNUSUAL = 'it is compressed in a way that is not checked';

/** What the filter before hands on: the stream's own bytes from an offset, bytes it decoded, or only their size. */
type Input = { kind: 'raw'; start: number } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'size'; size: number };

interface FoundStream {
  dict: PdfDict;
  /** The object's number and generation (an encrypted stream's key depends on them). */
  num: number;
  gen: number;
  /** Where its data starts. */
  start: number;
}

/** A value as text, to tell whether two trailers name the same thing. */
function describe(value: PdfValue | undefined): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Map ? [...v] : v instanceof Uint8Array ? [...v] : v,
  );
}

function firstId(trailer: PdfDict): PdfValue | undefined {
  const id = entry(trailer, 'ID');
  return id?.kind === 'array' ? id.items[0] : undefined;
}

class StreamScan {
  private decoded = 0;
  private read = 0;
  private latin1: string | undefined;
  private readonly text: Buffer;
  private readonly readLimit: number;

  constructor(private readonly bytes: Uint8Array) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.readLimit = bytes.length * MAX_READ_PER_FILE_BYTE + READ_ALLOWANCE;
  }

  run(): void {
    const streams: FoundStream[] = [];
    for (let at = this.text.indexOf('stream'); at >= 0; at = this.text.indexOf('stream', at + 1)) {
      if (isRegular(this.bytes[at - 1]) || isRegular(this.bytes[at + 6])) continue;
      if (!this.mayFollowDictionary(at)) continue;
      const found = this.streamObject(at);
      if (found === undefined) throw new NotRead(DAMAGED);
      streams.push({ ...found, start: this.dataStart(at + 6) });
    }
    const decryption = this.decryption(streams);
    for (const stream of streams) {
      const type = entry(stream.dict, 'Type');
      // pdf.js reads cross-reference streams before it decrypts anything: they are never encrypted.
      if (decryption === undefined || (type?.kind === 'name' && type.name === 'XRef')) {
        this.measure(stream.dict, { kind: 'raw', start: stream.start });
        continue;
      }
      const end = this.extent(stream.dict, stream.start);
      if (end === undefined) continue;
      this.spend(end - stream.start);
      const bytes = decryption(stream.num, stream.gen, this.bytes.subarray(stream.start, end));
      this.measure(stream.dict, { kind: 'bytes', bytes });
    }
  }

  /**
   * How pdf.js would decrypt the streams when it opens the file with no password, from the /Encrypt and /ID of its
   * trailers (classic ones, and cross-reference streams' dictionaries); undefined when the file is not encrypted.
   */
  private decryption(streams: FoundStream[]): StreamDecryption | undefined {
    const trailers = streams.map(({ dict }) => dict);
    for (let at = this.text.indexOf('trailer'); at >= 0; at = this.text.indexOf('trailer', at + 1)) {
      const end = Math.min(this.bytes.length, at + 7 + MAX_STREAM_DICTIONARY_BYTES);
      this.spend(end - at);
      const trailer = new PdfReader(this.bytes, at + 7, end).value();
      if (trailer?.kind === 'dict') trailers.push(trailer);
    }
    const encrypted = trailers.filter((trailer) => trailer.entries.has('Encrypt'));
    if (encrypted.length === 0) return undefined;
    // Incremental updates repeat the same /Encrypt and first /ID; trailers that disagree are not followed.
    const encrypts = new Set(encrypted.map((trailer) => describe(entry(trailer, 'Encrypt'))));
    const ids = new Set(encrypted.map((trailer) => describe(firstId(trailer))));
    if (encrypts.size !== 1 || ids.size !== 1) throw new NotRead(UNUSUAL);
    let encrypt = entry(encrypted[0]!, 'Encrypt');
    if (encrypt?.kind === 'ref') {
      const definitions = this.definitions(encrypt);
      encrypt = definitions.length === 1 ? definitions[0] : undefined;
    }
    if (encrypt?.kind !== 'dict') throw new NotRead(UNUSUAL);
    const id = firstId(encrypted[0]!);
    const decryption = streamDecryption(encrypt, id?.kind === 'string' ? id.bytes : new Uint8Array(0));
    if (decryption === 'password') throw new NotRead('it is password-protected');
    if (decryption === 'unsupported') throw new NotRead(UNUSUAL);
    return decryption;
  }

  /** The values of the object `ref` names, in every place the file defines it outside streams. */
  private definitions(ref: { num: number; gen: number }): PdfValue[] {
    this.latin1 ??= this.text.toString('latin1');
    const header = new RegExp(`(?<![0-9])${ref.num}[\\s\\0]+${ref.gen}[\\s\\0]+obj(?![^\\s\\0()<>[\\]{}/%])`, 'g');
    const values: PdfValue[] = [];
    for (const match of this.latin1.matchAll(header)) {
      const start = match.index + match[0].length;
      const end = Math.min(this.bytes.length, start + MAX_STREAM_DICTIONARY_BYTES);
      this.spend(end - start);
      const value = new PdfReader(this.bytes, start, end).value();
      if (value !== undefined) values.push(value);
    }
    return values;
  }

  /**
   * Where an encrypted stream's data ends, as far as pdf.js could take it: at its /Length when `endstream` follows
   * there, else at the first `endstream`. Decrypted data does not end where its compression does (the cipher runs
   * on), so the longer of the two is taken. Undefined when pdf.js would find no end (it then reads nothing).
   */
  private extent(dict: PdfDict, start: number): number | undefined {
    const length = entry(dict, 'Length');
    let lengths: PdfValue[] = length === undefined ? [] : [length];
    if (length?.kind === 'ref') {
      lengths = this.definitions(length);
      // A length kept in a compressed object stream: pdf.js finds it, this does not.
      if (lengths.length === 0) throw new NotRead(UNUSUAL);
    }
    let end = this.firstEndstream(start);
    for (const value of lengths) {
      if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < 0) continue;
      const candidate = start + value.value;
      if (candidate <= this.bytes.length && this.endstreamAt(candidate)) end = Math.max(end ?? 0, candidate);
    }
    return end;
  }

  /** pdf.js's check after /Length: white space or comments, then the endstream keyword. */
  private endstreamAt(at: number): boolean {
    const reader = new PdfReader(this.bytes, at, Math.min(this.bytes.length, at + MAX_STREAM_DICTIONARY_BYTES));
    reader.skipSpace();
    const token = reader.token();
    return token.kind === 'value' && token.value.kind === 'keyword' && token.value.word === 'endstream';
  }

  /** pdf.js's search when the length is wrong: "endstream", or "endsteam" or "endstrea" before white space. */
  private firstEndstream(start: number): number | undefined {
    let first: number | undefined;
    for (const signature of ['endstream', 'endsteam', 'endstrea']) {
      for (let at = this.text.indexOf(signature, start); at >= 0; at = this.text.indexOf(signature, at + 1)) {
        if (first !== undefined && at >= first) break;
        if (signature === 'endstream' || isWhiteSpace(this.bytes[at + signature.length])) {
          first = at;
          break;
        }
      }
    }
    return first;
  }

  /** White space or comments, then `>>`, before the keyword: pdf.js reads a stream only after a dictionary. */
  private mayFollowDictionary(keyword: number): boolean {
    let at = keyword;
    for (let comments = 0; comments < MAX_HEADERS_TRIED; comments++) {
      while (at > 0 && isWhiteSpace(this.bytes[at - 1])) at--;
      if (at >= 2 && this.bytes[at - 1] === 0x3e && this.bytes[at - 2] === 0x3e) return true;
      // A comment between the dictionary and the keyword: the first '%' on the line.
      const from = Math.max(0, at - MAX_STREAM_DICTIONARY_BYTES);
      this.spend(at - from);
      const line = this.text.subarray(from, at);
      const lineStart = from + Math.max(line.lastIndexOf(0x0a), line.lastIndexOf(0x0d)) + 1;
      const percent = line.indexOf(0x25, lineStart - from);
      if (percent < 0) return false;
      at = from + percent;
    }
    // Line after line of comments: let the search for its object decide.
    return true;
  }

  /**
   * The object of the stream whose keyword is at `keyword`: the object header before it ("12 0 obj") whose
   * dictionary, read forward as pdf.js reads it, ends just before the keyword. Undefined when none does.
   */
  private streamObject(keyword: number): Omit<FoundStream, 'start'> | undefined {
    const from = Math.max(0, keyword - MAX_STREAM_DICTIONARY_BYTES);
    const window = this.text.subarray(from, keyword);
    let before = window.length;
    for (let tries = 0; tries < MAX_HEADERS_TRIED && before > 0; tries++) {
      const found = window.lastIndexOf('obj', before - 1);
      if (found < 0) return undefined;
      before = found;
      const obj = from + found;
      if (isRegular(this.bytes[obj - 1]) || isRegular(this.bytes[obj + 3])) continue;
      this.spend(keyword - obj);
      const reader = new PdfReader(this.bytes, obj + 3, keyword);
      const value = reader.value();
      reader.skipSpace();
      if (value?.kind !== 'dict' || reader.at !== keyword) continue;
      const numbers = /(\d+)[\s\0]+(\d+)[\s\0]*$/.exec(this.text.toString('latin1', Math.max(0, obj - 40), obj));
      return { dict: value, num: Number(numbers?.[1] ?? -1), gen: Number(numbers?.[2] ?? -1) };
    }
    return undefined;
  }

  /** pdf.js's skipToNextLine: the data starts after the end of the keyword's line. */
  private dataStart(at: number): number {
    while (at < this.bytes.length) {
      const c = this.bytes[at++];
      if (c === 0x0a) return at;
      if (c === 0x0d) return this.bytes[at] === 0x0a ? at + 1 : at;
    }
    return at;
  }

  /** Follows a stream's filters as pdf.js's Parser.filter applies them, counting what each decodes to. */
  private measure(dict: PdfDict, data: Input): void {
    const filters = entry(dict, 'F', 'Filter');
    const parameters = entry(dict, 'DP', 'DecodeParms');
    let chain: { name: string; parameters: PdfValue | undefined }[];
    if (filters === undefined) return;
    if (filters.kind === 'name') chain = [{ name: filters.name, parameters }];
    else if (filters.kind === 'array') {
      chain = filters.items.map((item, i) => {
        // A filter pdf.js would look up elsewhere in the file: not followed here.
        if (item.kind !== 'name') throw new NotRead(UNUSUAL);
        return { name: item.name, parameters: parameters?.kind === 'array' ? parameters.items[i] : undefined };
      });
    } else if (filters.kind === 'ref') throw new NotRead(UNUSUAL);
    else return;
    let input = data;
    for (const filter of chain) {
      const output = this.decode(filter.name, filter.parameters, input);
      if (output === undefined) return;
      input = output;
    }
  }

  /** What one filter makes of its input; undefined when nothing after it is decoded while text is read. */
  private decode(name: string, parameters: PdfValue | undefined, input: Input): Input | undefined {
    switch (name) {
      case 'Fl':
      case 'FlateDecode':
      case 'LZW':
      case 'LZWDecode':
      case 'RL':
      case 'RunLengthDecode':
        return this.decompress(name, parameters, input);
      case 'A85':
      case 'ASCII85Decode':
      case 'AHx':
      case 'ASCIIHexDecode': {
        const { bytes, start } = this.bytesOf(input);
        const read = name === 'A85' || name === 'ASCII85Decode' ? ascii85Bytes : asciiHexBytes;
        const result = read(bytes, start, this.left());
        this.spend(result.end - start);
        this.add(result.bytes.length, result.overLimit);
        return { kind: 'bytes', bytes: result.bytes };
      }
      // Pictures: pdf.js decodes them to draw a page, never to read its text.
      case 'DCT':
      case 'DCTDecode':
      case 'JPX':
      case 'JPXDecode':
      case 'JBIG2Decode':
      case 'CCF':
      case 'CCITTFaxDecode':
        return undefined;
      case 'BrotliDecode':
        throw new NotRead(UNUSUAL);
      default:
        // pdf.js passes the data on unchanged through a filter it does not know (and /Crypt).
        return input;
    }
  }

  private decompress(name: string, parameters: PdfValue | undefined, input: Input): Input | undefined {
    const { bytes, start } = this.bytesOf(input);
    const options = parameters?.kind === 'dict' ? parameters : undefined;
    if (parameters?.kind === 'ref') throw new NotRead(UNUSUAL);
    let size: number;
    if (name === 'Fl' || name === 'FlateDecode') {
      // pdf.js checks the zlib header first; with a bad one it decodes nothing.
      const cmf = bytes[start];
      const flg = bytes[start + 1];
      if (cmf === undefined || flg === undefined || (cmf & 0x0f) !== 8 || ((cmf << 8) + flg) % 31 !== 0 || flg & 0x20) {
        return undefined;
      }
      const result = flateSize(bytes, start + 2, this.left());
      this.spend(result.end - start);
      if (result.outcome === 'unfollowed') throw new NotRead(DAMAGED);
      this.add(result.size, result.outcome === 'over-limit');
      size = result.size;
    } else if (name === 'LZW' || name === 'LZWDecode') {
      const earlyChange: PdfValue = (options && entry(options, 'EarlyChange')) ?? { kind: 'number', value: 1 };
      if (earlyChange.kind !== 'number') throw new NotRead(UNUSUAL);
      const result = lzwSize(bytes, start, earlyChange.value, this.left());
      this.spend(result.end - start);
      this.add(result.size, result.overLimit);
      size = result.size;
    } else {
      const result = runLengthSize(bytes, start, this.left());
      this.spend(result.end - start);
      this.add(result.size, result.overLimit);
      return { kind: 'size', size: result.size };
    }
    if (options !== undefined) {
      const predictor = predictorParameters(options);
      const predicted = predictor === undefined ? undefined : predictorSize(size, predictor);
      if (predicted !== undefined) {
        this.add(predicted, predicted > this.left());
        size = predicted;
      }
    }
    return { kind: 'size', size };
  }

  /** The bytes a filter reads. Only a size is known after a decompressing filter: a second one is not followed. */
  private bytesOf(input: Input): { bytes: Uint8Array; start: number } {
    if (input.kind === 'raw') return { bytes: this.bytes, start: input.start };
    if (input.kind === 'bytes') return { bytes: input.bytes, start: 0 };
    throw new NotRead(UNUSUAL);
  }

  private left(): number {
    return MAX_PDF_DECODED_BYTES - this.decoded;
  }

  private add(size: number, overLimit: boolean): void {
    this.decoded += size;
    if (overLimit || this.decoded > MAX_PDF_DECODED_BYTES) throw new NotRead(TOO_LARGE);
  }

  private spend(bytes: number): void {
    this.read += bytes;
    if (this.read > this.readLimit) throw new NotRead(DAMAGED);
  }
}

/** A predictor's parameters as pdf.js reads them (absent ones default); undefined when one is not a number. */
function predictorParameters(options: PdfDict): PredictorParameters | undefined {
  const read = (fallback: number, ...keys: string[]): number => {
    const value = entry(options, ...keys);
    if (value === undefined) return fallback;
    if (value.kind !== 'number') throw new NotRead(UNUSUAL);
    return value.value || fallback;
  };
  const predictor = read(1, 'Predictor');
  if (predictor <= 1) return undefined;
  return {
    predictor,
    colors: read(1, 'Colors'),
    bitsPerComponent: read(8, 'BPC', 'BitsPerComponent'),
    columns: read(1, 'Columns'),
  };
}
