/**
 * PGlite on a thread of its own (pglite-thread.ts): the server's default
 * embedded database. The same SQL and the same single connection as
 * PgliteDatabase, but the statements run beside the event loop instead of
 * on it, so a slow query or a large plan-history batch never holds up
 * gRPC calls.
 *
 * If the thread dies (out of memory, a crash in PGlite), every waiting and
 * later statement fails with UnavailableError; what PGlite had committed
 * to its folder is kept.
 */
import { Worker } from 'node:worker_threads';
import { UnavailableError } from '../foundation/errors.js';
import { checkSchema, qualify, type Database, type Queryable } from './database.js';
import { fromPlainError, type PgliteReply, type PgliteRequest, type PgliteThreadConfig } from './pglite-thread-protocol.js';

const THREAD_URL = new URL('./pglite-thread.js', import.meta.url);

/** A request without its id (the database numbers them). */
type Request = PgliteRequest extends infer R ? (R extends PgliteRequest ? Omit<R, 'id'> : never) : never;

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** The thread and the statements waiting for it; shared by every schema view on it. */
class PgliteThread {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  stopped: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    // The thread keeps the process alive only while a statement is waiting.
    worker.unref();
    worker.on('message', (reply: PgliteReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.ok) w.resolve(reply.value);
      else w.reject(fromPlainError(reply.error));
    });
    worker.on('error', (err) => this.stop(new UnavailableError(`the embedded database thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.stop(new UnavailableError(`the embedded database thread exited (code ${code})`)));
  }

  call(request: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      (request as PgliteRequest).id = id;
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    if (!this.stopped) {
      await this.call({ op: 'close' }).catch(() => undefined);
      this.stopped = new UnavailableError('the embedded database is closed');
    }
    await this.worker.terminate();
    await this.exited;
  }

  /** Ends the thread at once, as a crash would (tests). */
  kill(): Promise<number> {
    return this.worker.terminate();
  }

  private stop(err: Error): void {
    this.stopped ??= err;
    for (const w of this.waiting.values()) w.reject(this.stopped);
    this.waiting.clear();
  }
}

/** A Database on PGlite running in a worker thread. */
export class PgliteThreadDatabase implements Database {
  readonly kind = 'pglite';
  readonly schema: string;

  private constructor(
    private readonly thread: PgliteThread,
    schema: string,
    private readonly owned: boolean,
  ) {
    this.schema = checkSchema(schema);
  }

  /** Starts the thread and opens PGlite in `dataDir` (created when missing; null: in memory). */
  static async open(dataDir: string | null, schema: string): Promise<PgliteThreadDatabase> {
    checkSchema(schema);
    const config: PgliteThreadConfig = { dataDir };
    const worker = new Worker(THREAD_URL, { workerData: config });
    const listeners: [string, (...args: any[]) => void][] = [];
    const started = await new Promise<PgliteReply>((resolve, reject) => {
      const exit = (code: number) => reject(new UnavailableError(`the embedded database thread exited (code ${code}) while starting`));
      listeners.push(['message', resolve], ['error', reject], ['exit', exit]);
      for (const [event, fn] of listeners) worker.once(event, fn);
    }).finally(() => {
      for (const [event, fn] of listeners) worker.off(event, fn);
    });
    if (!started.ok) {
      await worker.terminate();
      throw new UnavailableError(`the embedded database did not open: ${started.error.message}`, { cause: fromPlainError(started.error) });
    }
    return new PgliteThreadDatabase(new PgliteThread(worker), schema, true);
  }

  /** Another schema on the same thread and instance; closing it leaves the instance open. */
  static on(db: PgliteThreadDatabase, schema: string): PgliteThreadDatabase {
    return new PgliteThreadDatabase(db.thread, schema, false);
  }

  t(name: string): string {
    return qualify(this.schema, name);
  }

  async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.thread.call({ op: 'query', sql, params })) as R[];
  }

  async exec(sql: string): Promise<void> {
    await this.thread.call({ op: 'exec', sql });
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const call = (r: Request) => this.thread.call(r);
    const tx = (await call({ op: 'begin' })) as number;
    const scoped: Queryable = {
      query: async <R>(sql: string, params: unknown[] = []) => (await call({ op: 'query', sql, params, tx })) as R[],
      exec: async (sql: string) => {
        await call({ op: 'exec', sql, tx });
      },
    };
    let result: T;
    try {
      result = await fn(scoped);
    } catch (err) {
      await call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw err;
    }
    await call({ op: 'end', tx, commit: true });
    return result;
  }

  /** The owner closes PGlite (flushing its folder) and ends the thread; a view does nothing. */
  async close(): Promise<void> {
    if (this.owned) await this.thread.close();
  }

  /** Ends the thread abruptly, as a crash would; for tests of what follows. */
  killThread(): Promise<number> {
    return this.thread.kill();
  }
}
