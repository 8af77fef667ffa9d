/**
 * StorageService's logic: versioned assets over a casync chunk store, the
 * versions and their indexes in the database (asset-repo.ts). No gRPC
 * here; every operation takes the call's AbortSignal.
 *
 * A put chunks its stream into the store (each chunk pinned: chunk-guard.ts),
 * then records the version and its index in one transaction. A put that
 * stops before that (cancelled, failed, the server killed) leaves no
 * version, only chunks that garbage collection removes unless a retry
 * uses them first.
 */
import { createHash } from 'node:crypto';
import { DataLossError, InvalidArgumentError, NotFoundError, PreconditionError } from '../../core/errors.js';
import type { Database } from '../data/index.js';
import { decodeBlobIndex, digestOf, type BlobIndex } from './casync/caibx.js';
import { ChunkStore } from './chunk-store.js';
import { ChunkReaders } from './chunk-readers.js';
import { chunkIdOf } from './chunk-id.js';
import { chunkBlob, type BlobSource, type ChunkSink } from './make-blob.js';
import { ChunkGuard, type ChunkLease } from './chunk-guard.js';
import { AssetRepo, type AssetVersion } from './asset-repo.js';
import { checkAssetName, checkChunkId, checkNamePrefix, checkVersion } from './asset-name.js';
import { collectGarbage, type GcOptions, type GcResult } from './garbage-collector.js';
import { echo } from '../../core/bounded-text.js';

/** What a put stored. */
export interface PutResult {
  asset: AssetVersion;
  newChunks: number;
  newBytes: number;
  /** SHA-512/256 of the asset's bytes, hex. */
  contentDigest: string;
}

/** A version's bytes from an offset. */
export interface AssetReader {
  asset: AssetVersion;
  /** Checked chunks from the offset on (the first cut to start there); each with its offset in the asset. */
  pieces: AsyncGenerator<{ offset: number; data: Uint8Array }>;
}

/** Settings of a StorageService. */
export interface StorageServiceOptions {
  db: Database;
  /** The chunk store's folder (casync layout). */
  storeDir: string;
  /** Garbage collection keeps chunk files younger than this (default 1 hour). */
  graceMs?: number;
}

/** Runs of chunks a get reads ahead of the one being sent (each about READ_RUN_BYTES). */
const READ_AHEAD = 4;
/** A get reads chunks in runs of about this many bytes (at least one chunk), one task for a reader thread each. */
const READ_RUN_BYTES = 1 << 20;
/** The most chunk ids one MissingChunks may ask about. */
export const MISSING_CHUNKS_MAX = 100_000;
/** Listing page size: default and most. */
const PAGE_DEFAULT = 100;
const PAGE_MAX = 1000;

/** Versioned assets by name. */
export class StorageService {
  /** The chunk store (casync layout). */
  readonly store: ChunkStore;
  /** The pins garbage collection respects. */
  readonly guard = new ChunkGuard();
  private readonly repo: AssetRepo;
  private readonly readers = new ChunkReaders();
  private readonly graceMs: number;

  constructor(options: StorageServiceOptions) {
    this.store = new ChunkStore(options.storeDir);
    this.repo = new AssetRepo(options.db);
    this.graceMs = options.graceMs ?? 3_600_000;
  }

  /** Stores a new version of `name` from `input`. */
  async put(name: string, input: BlobSource, owner: string, signal: AbortSignal): Promise<PutResult> {
    checkAssetName(name);
    const lease = this.guard.lease();
    try {
      const made = await chunkBlob(input, this.pinnedSink(lease), {}, signal);
      signal.throwIfAborted();
      const asset = await this.repo.insert({ name, size: made.size, chunkCount: made.chunks, indexDigest: made.indexDigest, index: made.index, owner });
      return { asset, newChunks: made.newChunks, newBytes: made.newBytes, contentDigest: made.digest };
    } finally {
      lease.release();
    }
  }

  /** Stores a new version of `name` from a .caibx index whose chunks are all in the store. */
  async putIndex(name: string, index: Uint8Array, owner: string, signal: AbortSignal): Promise<AssetVersion> {
    checkAssetName(name);
    const parsed = decodeBlobIndex(index);
    const lease = this.guard.lease();
    try {
      const missing: string[] = [];
      for (const item of parsed.items) {
        signal.throwIfAborted();
        const hex = Buffer.from(item.id).toString('hex');
        lease.pin(hex);
        await lease.settled(hex);
        if (!(await this.store.has(hex))) missing.push(hex);
      }
      if (missing.length > 0) {
        const first = [...new Set(missing)].slice(0, 3).join(', ');
        throw new PreconditionError(`the index names ${missing.length} chunks the store lacks (${first}${missing.length > 3 ? ', ...' : ''}): upload them with PutChunks first`);
      }
      signal.throwIfAborted();
      const size = parsed.items.at(-1)?.end ?? 0;
      const indexDigest = createHash('sha512-256').update(index).digest('hex');
      return await this.repo.insert({ name, size, chunkCount: parsed.items.length, indexDigest, index, owner });
    } finally {
      lease.release();
    }
  }

  /** Stores chunks, each checked against its id; how many were received and how many were new. */
  async putChunks(chunks: AsyncIterable<{ id: Uint8Array; data: Uint8Array }>, signal: AbortSignal): Promise<{ received: number; stored: number }> {
    const lease = this.guard.lease();
    let received = 0;
    let stored = 0;
    try {
      for await (const { id, data } of chunks) {
        signal.throwIfAborted();
        const hex = checkChunkId(id);
        if (data.length === 0) throw new InvalidArgumentError('data', `chunk ${hex} is empty`);
        if (chunkIdOf(data).toString('hex') !== hex) throw new InvalidArgumentError('data', `chunk ${hex}: its bytes hash to another id`);
        lease.pin(hex);
        await lease.settled(hex);
        const written = await this.store.put(Buffer.from(id), data);
        // A chunk that was there already gets a fresh mtime: the grace period covers the client's coming PutAssetIndex.
        if (written > 0) stored++;
        else await this.store.touch(hex);
        received++;
      }
      return { received, stored };
    } finally {
      lease.release();
    }
  }

  /** The ids (in the order asked, each once) that the store lacks; those it has get a fresh mtime (see chunk-guard.ts). */
  async missingChunks(ids: Uint8Array[], signal: AbortSignal): Promise<Uint8Array[]> {
    if (ids.length > MISSING_CHUNKS_MAX) throw new InvalidArgumentError('chunk_ids', `${ids.length} ids; at most ${MISSING_CHUNKS_MAX} per call`);
    const seen = new Set<string>();
    const missing: Uint8Array[] = [];
    for (let i = 0; i < ids.length; i++) {
      signal.throwIfAborted();
      const hex = checkChunkId(ids[i]!, `chunk_ids[${i}]`);
      if (seen.has(hex)) continue;
      seen.add(hex);
      if (!(await this.store.touch(hex))) missing.push(ids[i]!);
    }
    return missing;
  }

  /** One version's metadata (0: the latest). */
  async stat(name: string, version: number): Promise<AssetVersion> {
    return (await this.version(name, version)).meta;
  }

  /** A version's .caibx bytes (0: the latest). */
  async index(name: string, version: number): Promise<{ meta: AssetVersion; index: Uint8Array }> {
    return this.version(name, version);
  }

  /** A version's bytes from `offset`, chunk by chunk, each checked (DATA_LOSS naming the chunk and the asset). */
  async get(name: string, version: number, offset: number, signal: AbortSignal): Promise<AssetReader> {
    const { meta, index } = await this.version(name, version);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > meta.size) {
      throw new InvalidArgumentError('offset', `${offset} is outside 0..${meta.size}, the size of ${echo(meta.name)} version ${meta.version}`);
    }
    return { asset: meta, pieces: this.read(meta, decodeBlobIndex(index), offset, signal) };
  }

  /** Every version of a name, oldest first; NOT_FOUND when it has none. */
  async versions(name: string): Promise<AssetVersion[]> {
    const list = await this.repo.versions(checkAssetName(name));
    if (list.length === 0) throw new NotFoundError(`no asset named ${echo(name)}`);
    return list;
  }

  /** A page of names with their latest version; `pageToken` is the last name of the previous page. */
  async list(prefix: string, pageSize: number, pageToken: string): Promise<{ assets: AssetVersion[]; nextPageToken: string }> {
    checkNamePrefix(prefix);
    if (pageToken !== '') checkAssetName(pageToken);
    const size = pageSize === 0 ? PAGE_DEFAULT : Math.min(Math.max(1, Math.trunc(pageSize)), PAGE_MAX);
    const assets = await this.repo.latest(prefix, pageToken, size + 1);
    const more = assets.length > size;
    if (more) assets.length = size;
    return { assets, nextPageToken: more ? assets.at(-1)!.name : '' };
  }

  /** Removes one version (its chunks wait for garbage collection). */
  async delete(name: string, version: number): Promise<AssetVersion> {
    checkAssetName(name);
    checkVersion(version, false);
    const gone = await this.repo.remove(name, version);
    if (!gone) throw new NotFoundError(`asset ${echo(name)} has no version ${version}`);
    return gone;
  }

  /** Mark and sweep (chunk-guard.ts says what is kept). */
  async collectGarbage(options: Partial<GcOptions>, signal: AbortSignal): Promise<GcResult> {
    return collectGarbage(this.store, this.guard, this.repo, { graceMs: this.graceMs, dryRun: false, ...options }, signal);
  }

  private async version(name: string, version: number): Promise<{ meta: AssetVersion; index: Uint8Array }> {
    checkAssetName(name);
    checkVersion(version);
    const found = await this.repo.get(name, version);
    if (!found) throw new NotFoundError(version === 0 ? `no asset named ${echo(name)}` : `asset ${echo(name)} has no version ${version}`);
    return found;
  }

  /** A sink that pins each chunk before it looks for it in the store. */
  private pinnedSink(lease: ChunkLease): ChunkSink {
    return {
      put: async (id, data) => {
        const hex = id.toString('hex');
        lease.pin(hex);
        await lease.settled(hex);
        return this.store.put(id, data);
      },
    };
  }

  private async *read(meta: AssetVersion, index: BlobIndex, offset: number, signal: AbortSignal): AsyncGenerator<{ offset: number; data: Uint8Array }> {
    const digest = digestOf(index.featureFlags);
    const items = index.items;
    // The first chunk that ends after the offset: a binary search, so a resume reads nothing before it.
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid]!.end <= offset) lo = mid + 1;
      else hi = mid;
    }
    const startOf = (i: number) => (i === 0 ? 0 : items[i - 1]!.end);
    // Runs of whole chunks of about READ_RUN_BYTES, read, decompressed and checked on the reader threads, several ahead, in order.
    const runs: { first: number; end: number }[] = [];
    for (let i = lo; i < items.length;) {
      const first = i;
      let bytes = 0;
      while (i < items.length && (i === first || bytes + items[i]!.end - startOf(i) <= READ_RUN_BYTES)) bytes += items[i]!.end - startOf(i++);
      runs.push({ first, end: i });
    }
    const load = (r: { first: number; end: number }): Promise<Uint8Array> => {
      const chunks = items.slice(r.first, r.end).map((item, k) => ({ id: item.id, path: this.store.pathOf(item.id), size: item.end - startOf(r.first + k) }));
      const p = this.readers.read(chunks, digest).catch((err: unknown) => { throw namedLoss(err, meta); });
      // A read ahead that is never awaited (the call ended first) must not be an unhandled rejection.
      p.catch(() => undefined);
      return p;
    };
    const ahead: Promise<Uint8Array>[] = [];
    let next = 0;
    for (let k = 0; k < runs.length; k++) {
      signal.throwIfAborted();
      while (next < runs.length && next < k + 1 + READ_AHEAD) ahead.push(load(runs[next++]!));
      const bytes = await ahead.shift()!;
      signal.throwIfAborted();
      // One piece per chunk, views of the run's buffer (a caller gathering pieces can keep them contiguous without copying).
      const base = startOf(runs[k]!.first);
      for (let i = runs[k]!.first; i < runs[k]!.end; i++) {
        const start = startOf(i);
        const from = Math.max(start, offset);
        yield { offset: from, data: bytes.subarray(from - base, items[i]!.end - base) };
      }
    }
  }

  /** Stops the chunk-reading threads (a get in progress fails). */
  async close(): Promise<void> {
    await this.readers.close();
  }
}

/** A store's DataLossError, told which asset it hit. */
function namedLoss(err: unknown, meta: AssetVersion): unknown {
  if (!(err instanceof DataLossError)) return err;
  const reason = err.message.startsWith(`chunk ${err.chunk}: `) ? err.message.slice(`chunk ${err.chunk}: `.length) : err.message;
  return new DataLossError(err.chunk, `${reason}, in asset ${echo(meta.name)} version ${meta.version}`, { cause: err });
}
