/**
 * The queue benchmarks' shared resource: a BullMQ queue on its own key
 * prefix in the Redis at REDIS_URL, and N `aria worker` processes of one
 * planner thread each (so that the figure scales with processes, not
 * threads). Closing stops the workers and removes every key of the prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BullJobQueue } from '../../server/src/services/queue/bullmq-queue.js';
import { redisClient } from '../../server/src/services/queue/bull-config.js';
import { repoRoot } from '../repo-paths.js';
import type { Resource } from './case-types.js';
import { processRss } from './server-process.js';

const live = new Set<ChildProcess>();
// A bench that dies must not leave workers behind.
process.once('exit', () => { for (const c of live) c.kill('SIGKILL'); });

/** The worker entry point in the build (it runs itself when started directly, as `aria worker` does). */
function workerPath(): string {
  return join(repoRoot(), 'dist', 'server', 'src', 'cli', 'worker.js');
}

/** Starts one `aria worker`; resolves once it takes jobs. */
async function startWorker(redisUrl: string, prefix: string, concurrency: number, timeoutMs = 30_000): Promise<ChildProcess> {
  const child = spawn(process.execPath, [
    workerPath(), '--redis-url', redisUrl, '--prefix', prefix, '--queue', 'bench',
    '--threads', '1', '--concurrency', String(concurrency), '--log-level', 'warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });
  live.add(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`aria worker did not start within ${timeoutMs} ms`)), timeoutMs);
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('ready')) { clearTimeout(timer); resolve(); }
      });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`aria worker exited with ${code}: ${stderr.trim()}`)); });
    });
    return child;
  } catch (err) {
    child.kill('SIGKILL');
    live.delete(child);
    throw err;
  }
}

/** A queue and its worker processes. */
export class QueueWorkers implements Resource {
  private constructor(
    readonly queue: BullJobQueue,
    private readonly workers: ChildProcess[],
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  /** Opens a queue on a fresh prefix and starts `count` workers, each taking `concurrency` jobs at once. */
  static async start(redisUrl: string, count: number, concurrency: number): Promise<QueueWorkers> {
    const prefix = `ariabench-${randomBytes(4).toString('hex')}`;
    // Keep few finished jobs: a long run would otherwise fill Redis with them.
    const queue = await BullJobQueue.open({ redisUrl, prefix, queueName: 'bench', keepCompleted: { age: 60, count: 1000 } });
    const workers: ChildProcess[] = [];
    try {
      for (let i = 0; i < count; i++) workers.push(await startWorker(redisUrl, prefix, concurrency));
    } catch (err) {
      await new QueueWorkers(queue, workers, redisUrl, prefix).close();
      throw err;
    }
    return new QueueWorkers(queue, workers, redisUrl, prefix);
  }

  /** The worker processes' resident set sizes, summed (this process's own is the client's). */
  rss(): number {
    return this.workers.reduce((sum, w) => sum + (w.pid === undefined ? 0 : processRss(w.pid)), 0);
  }

  /** Stops the workers (SIGTERM, then SIGKILL after 5 s), closes the queue, removes the prefix's keys. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      live.delete(child);
    }));
    await this.queue.close();
    const redis = redisClient(this.redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}
