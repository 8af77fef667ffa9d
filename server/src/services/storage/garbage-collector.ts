/**
 * Garbage collection of the chunk store: mark (every chunk id that an
 * index in the database references), then sweep (remove the other chunk
 * files, except those chunk-guard.ts protects: pinned by a put since the
 * collection began, or younger than the grace period). One collection at a
 * time; a second is FAILED_PRECONDITION.
 */
import { rm, stat } from 'node:fs/promises';
import { PreconditionError } from '../../core/errors.js';
import { decodeBlobIndex } from './casync/caibx.js';
import type { ChunkStore } from './chunk-store.js';
import type { ChunkGuard } from './chunk-guard.js';
import type { AssetRepo } from './asset-repo.js';

/**
 * A chunk file half-written this long ago belongs to a process that died:
 * a fixed hour, whatever the grace period, since a live write's file must
 * never go.
 */
export const TEMPORARY_MAX_AGE_MS = 3_600_000;

/** How a collection runs. */
export interface GcOptions {
  /** Chunk files modified within this many milliseconds are kept. */
  graceMs: number;
  /** Count, remove nothing. */
  dryRun: boolean;
}

/** What a collection found and did. */
export interface GcResult {
  /** Chunk files in the store. */
  examined: number;
  /** Of those, referenced by an index. */
  referenced: number;
  /** Unreferenced but kept: pinned, or within the grace period. */
  kept: number;
  /** Removed (or, in a dry run, that would be). */
  removed: number;
  /** Their compressed bytes. */
  bytesRemoved: number;
  /** Indexes read in the mark phase. */
  indexes: number;
  /** Half-written chunk files of dead processes removed. */
  temporariesRemoved: number;
}

/** Runs one collection. */
export async function collectGarbage(store: ChunkStore, guard: ChunkGuard, repo: AssetRepo, options: GcOptions, signal: AbortSignal): Promise<GcResult> {
  signal.throwIfAborted();
  if (!guard.beginCollection()) throw new PreconditionError('a garbage collection is already running');
  try {
    // Mark. Read after beginCollection: a version committed later had its chunks pinned meanwhile.
    const referenced = new Set<string>();
    let indexes = 0;
    for await (const { index } of repo.indexes()) {
      signal.throwIfAborted();
      indexes++;
      let items;
      try {
        items = decodeBlobIndex(index).items;
      } catch (err) {
        // An index that does not parse cannot be told apart from one that references everything: stop rather than guess.
        throw new PreconditionError(`garbage collection stopped: a stored index does not parse (${(err as Error).message})`);
      }
      for (const item of items) referenced.add(Buffer.from(item.id).toString('hex'));
    }
    // Sweep.
    const result: GcResult = { examined: 0, referenced: 0, kept: 0, removed: 0, bytesRemoved: 0, indexes, temporariesRemoved: 0 };
    const cutoff = Date.now() - options.graceMs;
    for await (const chunk of store.list()) {
      signal.throwIfAborted();
      result.examined++;
      if (referenced.has(chunk.hex)) {
        result.referenced++;
        continue;
      }
      let mtimeMs: number;
      try {
        mtimeMs = (await stat(chunk.path)).mtimeMs;
      } catch {
        continue; // gone meanwhile
      }
      if (mtimeMs > cutoff) {
        result.kept++;
        continue;
      }
      if (options.dryRun) {
        if (guard.pinnedNow(chunk.hex)) result.kept++;
        else {
          result.removed++;
          result.bytesRemoved += (await stat(chunk.path).catch(() => ({ size: 0 }))).size;
        }
        continue;
      }
      // The pin check and the start of the removal happen in this same turn (chunk-guard.ts).
      const removal = guard.removeUnlessPinned(chunk.hex, () => store.remove(chunk.hex));
      if (!removal) {
        result.kept++;
        continue;
      }
      const bytes = await removal;
      if (bytes > 0) {
        result.removed++;
        result.bytesRemoved += bytes;
      }
    }
    const stale = Date.now() - TEMPORARY_MAX_AGE_MS;
    for await (const path of store.temporaries()) {
      const st = await stat(path).catch(() => undefined);
      if (!st || st.mtimeMs > stale) continue;
      if (!options.dryRun) await rm(path, { force: true });
      result.temporariesRemoved++;
    }
    return result;
  } finally {
    guard.endCollection();
  }
}
