/**
 * A chunk-reading thread (piscina, see chunk-readers.ts): reads a run of
 * chunk files, decompresses and checks each against its id, and hands back
 * their bytes end to end in one buffer, moved to the caller (not copied).
 * A missing or corrupt chunk comes back as a value naming it, so that the
 * caller can raise the DataLossError the rest of the service raises.
 */
import { readFileSync } from 'node:fs';
import { Piscina } from 'piscina';
import { DataLossError } from '../../core/errors.js';
import type { ChunkDigest } from './casync/caibx.js';
import { checkedChunk } from './chunk-store.js';
import { zstdReady } from './zstd.js';

/**
 * Bytes left free before a run's data in its buffer: room for the sender to
 * put a message header there and send header and data without a copy
 * (see encodeGetAssetResponse).
 */
export const RUN_HEADROOM = 32;

/** A run of chunks to read. */
export interface ReadTask {
  /** Each chunk's file. */
  paths: string[];
  /** Each chunk's id (hex). */
  ids: string[];
  /** Each chunk's uncompressed size, from the index. */
  sizes: number[];
  digest: ChunkDigest;
}

/** The run's bytes (after RUN_HEADROOM free bytes), or the chunk that could not be read. */
export type ReadReply = ArrayBuffer | { loss: { chunk: string; message: string } };

export default async function readChunks(task: ReadTask): Promise<ReadReply> {
  await zstdReady();
  let total = 0;
  for (const s of task.sizes) total += s;
  // Its own ArrayBuffer (not the pool's slab), so that it can be moved.
  const out = new Uint8Array(new ArrayBuffer(RUN_HEADROOM + total));
  let at = RUN_HEADROOM;
  for (let i = 0; i < task.paths.length; i++) {
    const hex = task.ids[i]!;
    let frame: Buffer;
    try {
      frame = readFileSync(task.paths[i]!);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { loss: { chunk: hex, message: 'missing from the chunk store' } };
      throw err;
    }
    try {
      out.set(checkedChunk(hex, Buffer.from(hex, 'hex'), frame, task.sizes[i]!, task.digest), at);
    } catch (err) {
      if (err instanceof DataLossError) return { loss: { chunk: hex, message: err.message.slice(`chunk ${hex}: `.length) } };
      throw err;
    }
    at += task.sizes[i]!;
  }
  return Piscina.move(out.buffer) as ArrayBuffer;
}
