/**
 * casync's blob index (.caibx): an INDEX record (feature flags, chunk size
 * min/avg/max), a TABLE record of (end offset, chunk id) items, and a tail
 * that repeats the table's size and ends with a marker. Written and read
 * here byte for byte as casync does (src/caindex.c), with every check casync
 * makes on read, so a truncated or foreign file is refused, never misread.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import {
  CA_FORMAT_INDEX, CA_FORMAT_TABLE, CA_FORMAT_TABLE_TAIL_MARKER, CA_FORMAT_FEATURE_FLAGS_MAX, CA_FORMAT_SHA512_256,
  CAIBX_DEFAULT_FLAGS, INDEX_HEADER_SIZE, TABLE_HEADER_SIZE, TABLE_ITEM_SIZE, TABLE_SIZE_UNKNOWN, CHUNK_ID_SIZE,
} from './format.js';

/** The biggest chunk casync allows in an index (128 MiB). */
const CHUNK_SIZE_LIMIT_MAX = 128 * 1024 * 1024;

/** One chunk of a blob: where it ends in the blob, and its id. */
export interface IndexItem {
  /** Offset just past the chunk's last byte. */
  end: number;
  /** The chunk's id (32 bytes). */
  id: Uint8Array;
}

/** A parsed blob index. */
export interface BlobIndex {
  /** casync feature flags; {@link CA_FORMAT_SHA512_256} chooses the chunk digest. */
  featureFlags: bigint;
  chunkSizeMin: number;
  chunkSizeAvg: number;
  chunkSizeMax: number;
  /** The chunks in blob order; the last `end` is the blob's size. */
  items: IndexItem[];
}

/** The digest that made a blob index's chunk ids. */
export type ChunkDigest = 'sha512-256' | 'sha256';

/** The chunk digest a set of feature flags names. */
export function digestOf(featureFlags: bigint): ChunkDigest {
  return featureFlags & CA_FORMAT_SHA512_256 ? 'sha512-256' : 'sha256';
}

/** The 64 bytes before the table's items: the INDEX record and the TABLE record's header. */
export function encodeIndexHead(index: Omit<BlobIndex, 'items'>): Buffer {
  const b = Buffer.alloc(INDEX_HEADER_SIZE + TABLE_HEADER_SIZE);
  b.writeBigUInt64LE(BigInt(INDEX_HEADER_SIZE), 0);
  b.writeBigUInt64LE(CA_FORMAT_INDEX, 8);
  b.writeBigUInt64LE(index.featureFlags, 16);
  b.writeBigUInt64LE(BigInt(index.chunkSizeMin), 24);
  b.writeBigUInt64LE(BigInt(index.chunkSizeAvg), 32);
  b.writeBigUInt64LE(BigInt(index.chunkSizeMax), 40);
  b.writeBigUInt64LE(TABLE_SIZE_UNKNOWN, 48);
  b.writeBigUInt64LE(CA_FORMAT_TABLE, 56);
  return b;
}

/** One table item. */
export function encodeIndexItem(item: IndexItem): Buffer {
  const b = Buffer.alloc(TABLE_ITEM_SIZE);
  b.writeBigUInt64LE(BigInt(item.end), 0);
  b.set(item.id, 8);
  return b;
}

/** The tail that closes a table of `count` items. */
export function encodeIndexTail(count: number): Buffer {
  const b = Buffer.alloc(TABLE_ITEM_SIZE);
  b.writeBigUInt64LE(BigInt(INDEX_HEADER_SIZE), 16);
  b.writeBigUInt64LE(BigInt(TABLE_HEADER_SIZE + count * TABLE_ITEM_SIZE + TABLE_ITEM_SIZE), 24);
  b.writeBigUInt64LE(CA_FORMAT_TABLE_TAIL_MARKER, 32);
  return b;
}

/** A whole .caibx file. */
export function encodeBlobIndex(index: BlobIndex): Buffer {
  return Buffer.concat([encodeIndexHead(index), ...index.items.map(encodeIndexItem), encodeIndexTail(index.items.length)]);
}

/** The feature flags Aria writes: casync's own for a blob with SHA-512/256 ids. */
export const DEFAULT_BLOB_FLAGS = CAIBX_DEFAULT_FLAGS;

/**
 * Parses a whole .caibx file. Throws InvalidArgumentError (field `index`)
 * for anything casync would refuse: wrong size or magic, unknown feature
 * bits, sizes out of range, a table that is cut short or has trailing
 * bytes, or offsets that do not grow by 1..max bytes per chunk.
 */
export function decodeBlobIndex(data: Uint8Array): BlobIndex {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const headLen = INDEX_HEADER_SIZE + TABLE_HEADER_SIZE;
  if (b.length < 16) throw bad(`truncated: ${b.length} bytes, too short for a casync index header`);
  if (b.readBigUInt64LE(0) !== BigInt(INDEX_HEADER_SIZE) || b.readBigUInt64LE(8) !== CA_FORMAT_INDEX) {
    throw bad('not a casync index: wrong header magic or size');
  }
  if (b.length < headLen + TABLE_ITEM_SIZE) throw bad(`truncated: ${b.length} bytes, too short for a casync index`);
  const featureFlags = b.readBigUInt64LE(16);
  const unknown = featureFlags & ~CA_FORMAT_FEATURE_FLAGS_MAX;
  if (unknown !== 0n) throw bad(`unknown casync feature flags 0x${unknown.toString(16)}`);
  const chunkSizeMin = sizeAt(b, 24, 'minimum');
  const chunkSizeAvg = sizeAt(b, 32, 'average');
  const chunkSizeMax = sizeAt(b, 40, 'maximum');
  if (!(chunkSizeMin <= chunkSizeAvg && chunkSizeAvg <= chunkSizeMax)) throw bad('chunk sizes are not min <= avg <= max');
  if (b.readBigUInt64LE(48) !== TABLE_SIZE_UNKNOWN || b.readBigUInt64LE(56) !== CA_FORMAT_TABLE) {
    throw bad('wrong table header: not a blob index table');
  }
  const body = b.length - headLen;
  if (body % TABLE_ITEM_SIZE !== 0) throw bad(`truncated: ${body} table bytes is not a whole number of ${TABLE_ITEM_SIZE}-byte items`);
  const count = body / TABLE_ITEM_SIZE - 1;
  checkTail(b, b.length - TABLE_ITEM_SIZE, count);
  const items: IndexItem[] = new Array(count);
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const at = headLen + i * TABLE_ITEM_SIZE;
    const end = b.readBigUInt64LE(at);
    if (end > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`item ${i}: offset ${end} is too large`);
    const n = Number(end);
    if (n <= previous || n - previous > chunkSizeMax) throw bad(`item ${i}: end offset ${n} after ${previous} is not a chunk of 1..${chunkSizeMax} bytes`);
    items[i] = { end: n, id: Uint8Array.prototype.slice.call(b, at + 8, at + 8 + CHUNK_ID_SIZE) };
    previous = n;
  }
  return { featureFlags, chunkSizeMin, chunkSizeAvg, chunkSizeMax, items };
}

/** The tail must be where the file ends and agree with the item count: otherwise the file was cut or padded. */
function checkTail(b: Buffer, at: number, count: number): void {
  const ok = b.readBigUInt64LE(at) === 0n && b.readBigUInt64LE(at + 8) === 0n &&
    b.readBigUInt64LE(at + 16) === BigInt(INDEX_HEADER_SIZE) &&
    b.readBigUInt64LE(at + 24) === BigInt(TABLE_HEADER_SIZE + (count + 1) * TABLE_ITEM_SIZE) &&
    b.readBigUInt64LE(at + 32) === CA_FORMAT_TABLE_TAIL_MARKER;
  if (!ok) throw bad('truncated or garbled: the table does not end with its tail record');
}

function sizeAt(b: Buffer, at: number, name: string): number {
  const v = b.readBigUInt64LE(at);
  if (v < 1n || v > BigInt(CHUNK_SIZE_LIMIT_MAX)) throw bad(`${name} chunk size ${v} is outside 1..${CHUNK_SIZE_LIMIT_MAX}`);
  return Number(v);
}

function bad(message: string): InvalidArgumentError {
  return new InvalidArgumentError('index', message);
}
