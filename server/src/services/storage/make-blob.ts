/**
 * `casync make` for one file: chunk a stream, store the chunks, write the
 * .caibx index. Streaming: at most one piece of input plus one chunk in
 * progress is held in memory, whatever the stream's size.
 */
import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import { chunkParams, type ChunkSizeRequest } from './chunk-params.js';
import { Chunker } from './chunker.js';
import { ChunkStore } from './chunk-store.js';
import { chunkIdOf } from './chunk-id.js';
import { DEFAULT_BLOB_FLAGS, encodeIndexHead, encodeIndexItem, encodeIndexTail } from './casync/caibx.js';

/** What {@link makeBlob} made. */
export interface MakeBlobResult {
  /** SHA-512/256 of the whole blob, hex: what `casync make` prints. */
  digest: string;
  /** SHA-512/256 of the .caibx file written, hex. */
  indexDigest: string;
  /** Bytes in the blob. */
  size: number;
  /** Chunks in the index. */
  chunks: number;
  /** Chunks the store did not have before (each counted once). */
  newChunks: number;
  /** Compressed bytes written to the store for them. */
  newBytes: number;
}

/** Input to {@link makeBlob}: a file's path, or a stream of bytes (a Node Readable is one). */
export type BlobSource = string | AsyncIterable<Uint8Array>;

/** Pieces read from a file at a time: the chunker's own input size. */
const READ_SIZE = 1 << 20;
/**
 * Chunk writes in flight at once: the disk works (on libuv's threads) while
 * this thread chunks, hashes and compresses the next ones. Bounds memory to
 * this many chunks.
 */
const WRITES_IN_FLIGHT = 8;

/** Where chunked bytes go: a ChunkStore, or a wrapper that pins each chunk first (the storage service's). */
export interface ChunkSink {
  /** Stores a chunk under its id unless it is there; the compressed bytes written (0: it was there). */
  put(id: Buffer, data: Uint8Array): Promise<number>;
}

/** What {@link chunkBlob} made: {@link MakeBlobResult} and the index's bytes. */
export interface ChunkBlobResult extends MakeBlobResult {
  /** The whole .caibx file. */
  index: Buffer;
}

/**
 * Chunks `input` as casync does (same sizes, same cuts, same ids), stores
 * each new chunk in `storeDir`, and writes the blob index to `indexPath`
 * (aside first, then renamed: the index appears whole or not at all).
 * `casync extract --store=storeDir indexPath OUT` gives the input back.
 * Throws InvalidArgumentError for bad sizes; when `signal` aborts, stops
 * with its reason and writes no index (chunks already stored stay; they are
 * valid, and garbage collection owns them).
 */
export async function makeBlob(
  input: BlobSource, indexPath: string, storeDir: string, sizes: ChunkSizeRequest = {}, signal?: AbortSignal,
): Promise<MakeBlobResult> {
  const { index, ...result } = await chunkBlob(input, new ChunkStore(storeDir), sizes, signal);
  await writeAtomically(indexPath, index);
  return result;
}

/**
 * {@link makeBlob} without the file: chunks `input` into `sink` and hands
 * back the .caibx bytes. Same errors; when `signal` aborts, no write
 * outlives the call.
 */
export async function chunkBlob(input: BlobSource, sink: ChunkSink, sizes: ChunkSizeRequest = {}, signal?: AbortSignal): Promise<ChunkBlobResult> {
  signal?.throwIfAborted();
  const params = chunkParams(sizes);
  const chunker = new Chunker(params);
  const store = sink;
  const whole = createHash('sha512-256');
  const items: Buffer[] = [];
  const seen = new Set<string>();
  let size = 0;
  let newChunks = 0;
  let newBytes = 0;
  let parts: Uint8Array[] = [];
  const inflight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;

  const emit = async (chunk: Uint8Array): Promise<void> => {
    const id = chunkIdOf(chunk);
    const hex = id.toString('hex');
    size += chunk.length;
    items.push(encodeIndexItem({ end: size, id }));
    if (seen.has(hex)) return;
    seen.add(hex);
    const write: Promise<void> = store.put(id, chunk).then(
      (written) => { if (written > 0) { newChunks++; newBytes += written; } },
      (error: unknown) => { failure ??= { error }; },
    ).finally(() => inflight.delete(write));
    inflight.add(write);
    if (inflight.size >= WRITES_IN_FLIGHT) await Promise.race(inflight);
    if (failure) throw failure.error;
  };

  const source = typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_SIZE }) : input;
  try {
    // Leaving the loop (an abort, a failed write) closes the file stream.
    for await (const piece of source) {
      signal?.throwIfAborted();
      whole.update(piece);
      let start = 0;
      for (const end of chunker.push(piece)) {
        parts.push(piece.subarray(start, end));
        await emit(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
        parts = [];
        start = end;
      }
      // The rest of the piece starts the next chunk: copied, since a stream may reuse its buffers.
      if (start < piece.length) parts.push(Uint8Array.prototype.slice.call(piece, start));
    }
    signal?.throwIfAborted();
    if (chunker.pending > 0) await emit(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  } finally {
    // No write outlives the call, whether it succeeds or not.
    await Promise.all(inflight);
  }
  if (failure) throw failure.error;

  const head = encodeIndexHead({ featureFlags: DEFAULT_BLOB_FLAGS, chunkSizeMin: params.min, chunkSizeAvg: params.avg, chunkSizeMax: params.max });
  const index = Buffer.concat([head, ...items, encodeIndexTail(items.length)]);
  return {
    index,
    digest: whole.digest('hex'),
    indexDigest: createHash('sha512-256').update(index).digest('hex'),
    size,
    chunks: items.length,
    newChunks,
    newBytes,
  };
}

/** Writes a file beside its target, then renames it over the target. */
async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
