import { createInflateRaw } from 'node:zlib';

/** Limits an uploaded xlsx (a zip) must stay within before anything parses it. */
export interface ZipLimits {
  /** Sum of the entries' uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed, checked for entries larger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  maxEntries: number;
}

export const XLSX_LIMITS: ZipLimits = { maxTotalBytes: 200 * 1024 * 1024, maxRatio: 200, ratioFloorBytes: 1024 * 1024, maxEntries: 1000 };

export type ZipVerdict = { ok: true; entries: number; totalBytes: number } | { ok: false; reason: 'not-a-zip' | 'bomb' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export interface ZipEntry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

/** The central directory's entries, or why it cannot be trusted: null = not a zip, 'zip64' = sizes we refuse to handle. */
export function listZipEntries(bytes: Buffer, maxEntries = XLSX_LIMITS.maxEntries): ZipEntry[] | 'not-a-zip' | 'too-many' {
  const end = findEndOfCentralDirectory(bytes);
  if (end < 0) return 'not-a-zip';
  const entryCount = bytes.readUInt16LE(end + 10);
  const directorySize = bytes.readUInt32LE(end + 12);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  // ZIP64 markers: an xlsx under the upload cap never needs them.
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) return 'too-many';
  if (entryCount > maxEntries) return 'too-many';
  if (directoryOffset + directorySize > end) return 'not-a-zip';
  const entries: ZipEntry[] = [];
  let position = directoryOffset;
  for (let index = 0; index < entryCount; index += 1) {
    if (position + 46 > bytes.length || bytes.readUInt32LE(position) !== CENTRAL) return 'not-a-zip';
    const nameLength = bytes.readUInt16LE(position + 28);
    entries.push({
      method: bytes.readUInt16LE(position + 10),
      compressed: bytes.readUInt32LE(position + 20),
      uncompressed: bytes.readUInt32LE(position + 24),
      localOffset: bytes.readUInt32LE(position + 42),
      name: bytes.toString('utf8', position + 46, position + 46 + nameLength),
    });
    position += 46 + nameLength + bytes.readUInt16LE(position + 30) + bytes.readUInt16LE(position + 32);
  }
  return entries;
}

/** The stored (possibly deflated) bytes of an entry, or null when its local header is not where the directory says. */
export function entryData(bytes: Buffer, entry: ZipEntry): Buffer | null {
  const local = entry.localOffset;
  if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) return null;
  const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
  if (start + entry.compressed > bytes.length) return null;
  return bytes.subarray(start, start + entry.compressed);
}

/**
 * Read the zip's central directory and refuse a zip bomb before any parser sees the file: too many entries,
 * too much declared data, a suspicious compression ratio, or an entry that inflates past what it declares
 * (the directory can lie; the deflate stream cannot). Inflating only counts bytes, it keeps none.
 */
export async function inspectZip(bytes: Buffer, limits: ZipLimits = XLSX_LIMITS): Promise<ZipVerdict> {
  const entries = listZipEntries(bytes, limits.maxEntries);
  if (entries === 'not-a-zip') return { ok: false, reason: 'not-a-zip' };
  if (entries === 'too-many') return { ok: false, reason: 'bomb' };
  let total = 0;
  for (const entry of entries) {
    if (entry.compressed === 0xffffffff || entry.uncompressed === 0xffffffff) return { ok: false, reason: 'bomb' };
    total += entry.uncompressed;
    if (total > limits.maxTotalBytes) return { ok: false, reason: 'bomb' };
    if (entry.uncompressed > limits.ratioFloorBytes && entry.uncompressed / Math.max(entry.compressed, 1) > limits.maxRatio) return { ok: false, reason: 'bomb' };
  }
  for (const entry of entries) {
    const data = entryData(bytes, entry);
    if (!data) return { ok: false, reason: 'not-a-zip' };
    if (entry.method === 0) {
      if (entry.compressed !== entry.uncompressed) return { ok: false, reason: 'bomb' };
    } else if (entry.method === 8) {
      const actual = await inflatedSize(data, entry.uncompressed);
      if (actual === null) return { ok: false, reason: 'not-a-zip' };
      if (actual > entry.uncompressed) return { ok: false, reason: 'bomb' };
    } else {
      return { ok: false, reason: 'not-a-zip' };
    }
  }
  return { ok: true, entries: entries.length, totalBytes: total };
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  if (bytes.length < 22) return -1;
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let position = bytes.length - 22; position >= lowest; position -= 1) {
    if (bytes.readUInt32LE(position) === EOCD) return position;
  }
  return -1;
}

/** Bytes the deflate data inflates to, stopping as soon as it passes `cap`; null when the data is corrupt. */
function inflatedSize(data: Buffer, cap: number): Promise<number | null> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let total = 0;
    let settled = false;
    const settle = (value: number | null) => {
      if (settled) return;
      settled = true;
      inflate.destroy();
      resolve(value);
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) settle(total);
    });
    inflate.on('end', () => settle(total));
    inflate.on('error', () => settle(null));
    inflate.end(data);
  });
}
