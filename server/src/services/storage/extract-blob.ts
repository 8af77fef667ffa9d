/**
 * `casync extract` for one file: read a .caibx index and write the blob it
 * describes from a chunk store, every chunk checked against its id.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { decodeBlobIndex, digestOf, type BlobIndex } from './casync/caibx.js';
import { ChunkStore } from './chunk-store.js';

/** What {@link extractBlob} wrote. */
export interface ExtractBlobResult {
  /** SHA-512/256 of the blob written, hex (what `casync make` printed for it). */
  digest: string;
  /** Bytes written. */
  size: number;
  /** Chunks read. */
  chunks: number;
}

/** Reads and checks a .caibx file (InvalidArgumentError when it is not a valid one). */
export async function readBlobIndex(indexPath: string): Promise<BlobIndex> {
  return decodeBlobIndex(await readFile(indexPath));
}

/**
 * Writes the blob that `indexPath` describes, from the chunks in
 * `storeDir`, to `output`: a path (written aside, renamed into place only
 * when every chunk checked out, so a failure never leaves wrong or partial
 * bytes there) or a Writable (written with backpressure and left open).
 * A bad index is an InvalidArgumentError; a missing or corrupt chunk a
 * DataLossError naming it; when `signal` aborts, stops with its reason.
 */
export async function extractBlob(indexPath: string, storeDir: string, output: string | Writable, signal?: AbortSignal): Promise<ExtractBlobResult> {
  signal?.throwIfAborted();
  const index = await readBlobIndex(indexPath);
  if (typeof output !== 'string') return writeChunks(index, new ChunkStore(storeDir), async (b) => writeTo(output, b), signal);
  const tmp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(tmp, 'w');
  try {
    const result = await writeChunks(index, new ChunkStore(storeDir), async (b) => { await file.write(b); }, signal);
    await file.close();
    await rename(tmp, output);
    return result;
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * The bytes an index describes, one checked chunk at a time (a missing or
 * corrupt chunk is a DataLossError naming it). Checks `signal` before each.
 */
export async function* indexedContent(index: BlobIndex, store: ChunkStore, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const digest = digestOf(index.featureFlags);
  let start = 0;
  for (const item of index.items) {
    signal?.throwIfAborted();
    yield await store.get(item.id, item.end - start, digest);
    start = item.end;
  }
}

async function writeChunks(index: BlobIndex, store: ChunkStore, write: (b: Uint8Array) => Promise<void>, signal?: AbortSignal): Promise<ExtractBlobResult> {
  const whole = createHash('sha512-256');
  let size = 0;
  for await (const data of indexedContent(index, store, signal)) {
    whole.update(data);
    await write(data);
    size += data.length;
  }
  return { digest: whole.digest('hex'), size, chunks: index.items.length };
}

async function writeTo(stream: Writable, data: Uint8Array): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}
