/**
 * Reading chunks off the main thread: a small piscina pool whose threads
 * read chunk files, decompress them and check each against its id
 * (chunk-read-worker.ts), a run of chunks per task, so that a get's main
 * thread only moves bytes onto the network. Threads start on first use and
 * exit when idle; an idle pool does not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { DataLossError } from '../../core/errors.js';
import type { ChunkDigest } from './casync/caibx.js';
import { RUN_HEADROOM, type ReadReply, type ReadTask } from './chunk-read-worker.js';

const WORKER = new URL('./chunk-read-worker.js', import.meta.url).href;

/**
 * The buffers of runs read: each holds RUN_HEADROOM free bytes, then the
 * run's data. A sender may write into the free bytes of a view that starts
 * at RUN_HEADROOM (the run's first byte) in one of these.
 */
const runBuffers = new WeakSet<ArrayBufferLike>();

/** The free bytes before `view` that a sender may write a header into: 0 unless it starts a run read here. */
export function headroomOf(view: Uint8Array): number {
  return view.byteOffset === RUN_HEADROOM && runBuffers.has(view.buffer) ? RUN_HEADROOM : 0;
}

/** A chunk to read: its id, its file and its uncompressed size. */
export interface ChunkRef {
  id: Uint8Array;
  path: string;
  size: number;
}

/** The chunk-reading threads of one StorageService. */
export class ChunkReaders {
  private pool?: Piscina<ReadTask, ReadReply>;

  /** Threads at most: one per CPU, up to 4 (reads are short; more only queue behind the network). */
  constructor(private readonly threads = Math.max(1, Math.min(4, availableParallelism()))) {}

  /** The chunks' bytes end to end, each checked; a missing or corrupt one is a DataLossError naming it. */
  async read(chunks: readonly ChunkRef[], digest: ChunkDigest, signal?: AbortSignal): Promise<Buffer> {
    this.pool ??= new Piscina<ReadTask, ReadReply>({ filename: WORKER, minThreads: 0, maxThreads: this.threads, idleTimeout: 10_000 });
    const task: ReadTask = {
      paths: chunks.map((c) => c.path), ids: chunks.map((c) => Buffer.from(c.id.buffer, c.id.byteOffset, c.id.byteLength).toString('hex')),
      sizes: chunks.map((c) => c.size), digest,
    };
    const reply = await this.pool.run(task, signal ? { signal } : {});
    if (reply instanceof ArrayBuffer) {
      runBuffers.add(reply);
      return Buffer.from(reply, RUN_HEADROOM);
    }
    throw new DataLossError(reply.loss.chunk, reply.loss.message);
  }

  /** Stops the threads (reads in flight fail). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }
}
