// A ZIP archive's files (APPNOTE.TXT 6.3), checked against the archive before anything in it is read, for the
// archives and Office documents attached to mail. fflate's unzipSync trusts what an archive says of itself: it read
// a password-protected file as text, read only as many bytes as a header claimed, listed nothing for a directory
// that claimed no files while holding some, and inflated a file claiming 10 bytes to its real 1 GiB. Here the central
// directory must account for every byte before it, each file's local header must agree with it, and a file is
// inflated only up to the size it declares and must then match that size and its checksum.

import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';

/** Files an archive may list; past this it is not read (the classic format's own limit; a crafted directory could list a file per 46 bytes). */
export const MAX_ZIP_ENTRIES = 65_535;
/**
 * Compressed bytes handed to the inflater at a time, at most: one push can inflate to about 1,032 times its size,
 * so this bounds what inflates past a file's declared size before the overrun is seen (16 MB here).
 */
const MAX_INFLATE_CHUNK = 16 * 1024;
/** And at least, so that small pushes (each costs fflate a 160 KB buffer) do not add up on a large file. */
const MIN_INFLATE_CHUNK = 1024;

export interface ZipEntry {
  name: string;
  /** Compression method: 0 stored, 8 deflated (the only two read). */
  method: number;
  /** Encrypted: the general-purpose flag's encryption bits, or WinZip's AES method (99). */
  encrypted: boolean;
  crc: number;
  compressedSize: number;
  /** Its size once inflated, as declared (checked when it is inflated). */
  size: number;
  /** Where its compressed data starts. */
  dataStart: number;
}

/** The archive, or a file in it, is not what its headers say (or is not a ZIP archive at all). */
export class DamagedZip extends Error {}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const METHOD_AES = 99;
/** The end record, and the most its comment can add after it. */
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;

class Bytes {
  constructor(private readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.length;
  }
  u16(at: number): number {
    this.need(at, 2);
    return this.bytes[at]! | (this.bytes[at + 1]! << 8);
  }
  u32(at: number): number {
    this.need(at, 4);
    return (
      (this.bytes[at]! | (this.bytes[at + 1]! << 8) | (this.bytes[at + 2]! << 16) | (this.bytes[at + 3]! << 24)) >>> 0
    );
  }
  u64(at: number): number {
    const value = this.u32(at) + this.u32(at + 4) * 2 ** 32;
    if (!Number.isSafeInteger(value)) throw new DamagedZip('its directory gives an impossible size');
    return value;
  }
  slice(at: number, length: number): Uint8Array {
    this.need(at, length);
    return this.bytes.subarray(at, at + length);
  }
  private need(at: number, length: number): void {
    if (at < 0 || at + length > this.bytes.length) throw new DamagedZip('it ends before its directory does');
  }
}

/** Where the central directory is and how many files it lists, from the end record (or its ZIP64 form). */
function directoryLocation(zip: Bytes): { offset: number; size: number; count: number; end: number } {
  let eocd = -1;
  const lowest = Math.max(0, zip.length - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = zip.length - END_RECORD_BYTES; at >= lowest; at--) {
    // The end record is the one whose comment runs exactly to the end of the archive.
    if (zip.u32(at) === END_OF_DIRECTORY && at + END_RECORD_BYTES + zip.u16(at + 20) === zip.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new DamagedZip('it is not a ZIP archive, or its end is missing');
  let count = zip.u16(eocd + 10);
  let size = zip.u32(eocd + 12);
  let offset = zip.u32(eocd + 16);
  let end = eocd;
  if (zip.u16(eocd + 4) !== 0 || zip.u16(eocd + 6) !== 0 || zip.u16(eocd + 8) !== count) {
    throw new DamagedZip('it is split across several files');
  }
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || zip.u32(locator) !== ZIP64_END_LOCATOR) throw new DamagedZip('its ZIP64 end record is missing');
    end = zip.u64(locator + 8);
    if (zip.u32(end) !== ZIP64_END_OF_DIRECTORY || end + 56 > locator) {
      throw new DamagedZip('its ZIP64 end record is missing');
    }
    count = zip.u64(end + 32);
    size = zip.u64(end + 40);
    offset = zip.u64(end + 48);
  }
  // The directory runs up to the end record: nothing lies between them that it does not account for.
  if (offset + size !== end) throw new DamagedZip('its directory is not where its end record says');
  return { offset, size, count, end };
}

/**
 * The archive's files in directory order, each checked against its local header, and the local entries checked to
 * tile the archive from its first byte up to the directory: an archive with data its directory does not list (or
 * lists twice) is damaged.
 */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const zip = new Bytes(bytes);
  const directory = directoryLocation(zip);
  if (directory.count > MAX_ZIP_ENTRIES) throw new DamagedZip(`it lists more than ${MAX_ZIP_ENTRIES} files`);
  const entries: (ZipEntry & { localOffset: number; recordEnd: number })[] = [];
  let at = directory.offset;
  for (let i = 0; i < directory.count; i++) {
    if (zip.u32(at) !== DIRECTORY_ENTRY) throw new DamagedZip('its directory does not match its contents');
    const flags = zip.u16(at + 8);
    const method = zip.u16(at + 10);
    const crc = zip.u32(at + 16);
    let compressedSize = zip.u32(at + 20);
    let size = zip.u32(at + 24);
    const nameLength = zip.u16(at + 28);
    const extraLength = zip.u16(at + 30);
    const commentLength = zip.u16(at + 32);
    let localOffset = zip.u32(at + 42);
    const nameBytes = zip.slice(at + 46, nameLength);
    // ZIP64 sizes and offset, in that order, for each field the entry marks as too large for its own.
    let zip64 = false;
    const extra = zip.slice(at + 46 + nameLength, extraLength);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra[e]! | (extra[e + 1]! << 8);
      const length = extra[e + 2]! | (extra[e + 3]! << 8);
      if (id === 0x0001) {
        const field = new Bytes(extra.subarray(e + 4, e + 4 + length));
        let f = 0;
        if (size === 0xffffffff) {
          size = field.u64(f);
          f += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = field.u64(f);
          f += 8;
        }
        if (localOffset === 0xffffffff) localOffset = field.u64(f);
        zip64 = true;
      }
      e += 4 + length;
    }
    at += 46 + nameLength + extraLength + commentLength;
    const name = new TextDecoder(flags & FLAG_UTF8 ? 'utf-8' : 'latin1').decode(nameBytes);
    const local = localEntry(zip, localOffset, { flags, method, crc, compressedSize, size, nameBytes, zip64 });
    entries.push({
      name,
      method,
      encrypted: (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || method === METHOD_AES,
      crc,
      compressedSize,
      size,
      dataStart: local.dataStart,
      localOffset,
      recordEnd: local.recordEnd,
    });
  }
  if (at !== directory.end) throw new DamagedZip('its directory does not match its contents');
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let expected = 0;
  for (const entry of byOffset) {
    if (entry.localOffset !== expected) throw new DamagedZip('its directory does not match its contents');
    expected = entry.recordEnd;
  }
  if (expected !== directory.offset) throw new DamagedZip('its directory does not match its contents');
  return entries.map(({ localOffset: _offset, recordEnd: _end, ...entry }) => entry);
}

/** Checks a file's local header (and data descriptor) against its directory entry; where its data starts and ends. */
function localEntry(
  zip: Bytes,
  offset: number,
  central: {
    flags: number;
    method: number;
    crc: number;
    compressedSize: number;
    size: number;
    nameBytes: Uint8Array;
    zip64: boolean;
  },
): { dataStart: number; recordEnd: number } {
  const mismatch = () => new DamagedZip('a file in it does not match its directory');
  if (zip.u32(offset) !== LOCAL_HEADER) throw mismatch();
  const flags = zip.u16(offset + 6);
  const reading = FLAG_ENCRYPTED | FLAG_DATA_DESCRIPTOR | FLAG_STRONG_ENCRYPTION;
  if ((flags & reading) !== (central.flags & reading) || zip.u16(offset + 8) !== central.method) throw mismatch();
  const nameLength = zip.u16(offset + 26);
  const extraLength = zip.u16(offset + 28);
  const name = zip.slice(offset + 30, nameLength);
  if (name.length !== central.nameBytes.length || name.some((byte, i) => byte !== central.nameBytes[i])) {
    throw mismatch();
  }
  if (!(flags & FLAG_DATA_DESCRIPTOR)) {
    // Sizes written as 0xffffffff are in the local ZIP64 extra field; the directory's were read from its own.
    const crc = zip.u32(offset + 14);
    const compressedSize = zip.u32(offset + 18);
    const size = zip.u32(offset + 22);
    if (crc !== central.crc) throw mismatch();
    if (compressedSize !== 0xffffffff && compressedSize !== central.compressedSize) throw mismatch();
    if (size !== 0xffffffff && size !== central.size) throw mismatch();
  }
  const dataStart = offset + 30 + nameLength + extraLength;
  const dataEnd = dataStart + central.compressedSize;
  let recordEnd = dataEnd;
  if (flags & FLAG_DATA_DESCRIPTOR) {
    const signed = zip.u32(dataEnd) === DATA_DESCRIPTOR ? 4 : 0;
    const sizeBytes = central.zip64 ? 8 : 4;
    const read = (at: number) => (central.zip64 ? zip.u64(at) : zip.u32(at));
    if (zip.u32(dataEnd + signed) !== central.crc) throw mismatch();
    if (read(dataEnd + signed + 4) !== central.compressedSize) throw mismatch();
    if (read(dataEnd + signed + 4 + sizeBytes) !== central.size) throw mismatch();
    recordEnd = dataEnd + signed + 4 + 2 * sizeBytes;
  } else zip.slice(dataStart, central.compressedSize);
  return { dataStart, recordEnd };
}

/**
 * A file's bytes. Stored files are taken as they are; deflated ones are inflated a chunk at a time into a buffer of
 * the declared size, stopping as soon as they would pass it. Either must then be exactly the declared size and
 * match the declared checksum. Callers check the declared size against their bounds first, and refuse encrypted
 * files (whose stored bytes are not their contents).
 */
export function unzipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.encrypted) throw new DamagedZip('a file in it is password-protected');
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let contents: Uint8Array;
  if (entry.method === 0) {
    if (data.length !== entry.size) throw new DamagedZip('a file in it is not the size its header says');
    contents = data;
  } else if (entry.method === 8) contents = inflate(data, entry.size);
  else throw new DamagedZip('a file in it is compressed in a way that is not read');
  if (crc32(contents) !== entry.crc) throw new DamagedZip('a file in it does not match its checksum');
  return contents;
}

function inflate(data: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let produced = 0;
  let overrun = false;
  const inflater = new Inflate((chunk) => {
    if (overrun || produced + chunk.length > size) {
      overrun = true;
      return;
    }
    out.set(chunk, produced);
    produced += chunk.length;
  });
  try {
    for (let at = 0; at < data.length && !overrun; ) {
      // Smaller pushes as the declared size is neared, so an overrun is seen after a little more, not 16 MB more.
      const wanted = Math.ceil((size - produced) / 1024);
      const length = Math.min(data.length - at, Math.max(MIN_INFLATE_CHUNK, Math.min(MAX_INFLATE_CHUNK, wanted)));
      inflater.push(data.subarray(at, at + length), at + length >= data.length);
      at += length;
    }
    if (data.length === 0 && size !== 0) throw new Error('no data');
  } catch {
    throw new DamagedZip('a file in it is damaged');
  }
  if (overrun) throw new DamagedZip('a file in it is larger than its header says');
  if (produced !== size) throw new DamagedZip('a file in it is smaller than its header says');
  return out;
}
