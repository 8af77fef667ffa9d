/**
 * PGlite on a thread of its own (pglite-thread.ts): the server's default
 * embedded database: PostgreSQL's SQL on a single connection, run beside
 * the event loop instead of on it, so a slow query or a large plan-history
 * batch never holds up gRPC calls. Several schemas may share one instance
 * (`on`; the tests do).
 *
 * If the thread dies (out of memory, a crash in PGlite), the statements
 * waiting for it fail with UnavailableError and a new thread opens the same
 * folder; what PGlite had committed there is kept.
 */
import { Worker } from 'node:worker_threads';
import { UnavailableError } from '../../core/errors.js';
import { asCallerError, checkSchema, qualify, type Database, type Queryable } from './database.js';
import { fromPlainError, type PgliteReply, type PgliteRequest, type PgliteThreadConfig } from './pglite-thread-protocol.js';

const THREAD_URL = new URL('./pglite-thread.js', import.meta.url);

/** Omit over each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A request without its id (the database numbers them). */
type Request = WithoutId<PgliteRequest>;

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** Starts a thread and waits until PGlite is open in it. */
async function startThread(config: PgliteThreadConfig): Promise<Worker> {
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
  return worker;
}

/**
 * The thread and the statements waiting for it; shared by every schema
 * view on it. A thread that dies is started again on the same folder
 * (PostgreSQL recovers its files as after a crash): the statements that
 * were waiting fail with UnavailableError, since they may or may not have
 * been applied, and later ones wait for the new thread.
 */
class PgliteThread {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private worker: Worker | undefined;
  private restarting: Promise<void> | undefined;
  private closed: Error | undefined;
  /** Threads started again after one died (tests read it). */
  restarts = 0;
  /** Counts thread deaths: a transaction belongs to the thread it began on. */
  generation = 0;

  constructor(worker: Worker, private readonly config: PgliteThreadConfig) {
    this.attach(worker);
  }

  call(request: Request): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.restarting) return this.restarting.then(() => this.call(request));
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      (request as PgliteRequest).id = id;
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.restarting;
    if (!this.closed) {
      await this.call({ op: 'close' }).catch(() => undefined);
      this.closed = new UnavailableError('the embedded database is closed');
    }
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      await worker.terminate();
      await exited;
    }
  }

  /** Ends the thread at once, as a crash would (tests). */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  private attach(worker: Worker): void {
    this.worker = worker;
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
    let failure: Error | undefined;
    worker.on('error', (err) => { failure = err; });
    worker.once('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.generation++;
      const why = failure ? `failed (${failure.message})` : `exited (code ${code})`;
      this.failWaiting(new UnavailableError(`the embedded database thread ${why}; statements under way may or may not have been applied`));
      if (this.closed) return;
      if (this.config.dataDir === null) {
        this.closed = new UnavailableError('the in-memory embedded database thread died, and its data with it');
        return;
      }
      this.restarts++;
      this.restarting = startThread(this.config).then(
        (next) => { this.restarting = undefined; this.attach(next); },
        (err: unknown) => {
          this.restarting = undefined;
          this.closed = new UnavailableError(`the embedded database thread died and could not be started again: ${(err as Error).message}`);
        },
      );
    });
  }

  private failWaiting(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

/** Statements sent through `call`, inside transaction `tx` when given. */
function sqlOn(call: (r: Request) => Promise<unknown>, tx?: number): Queryable {
  return {
    query: async <R>(sql: string, params: unknown[] = []) => (await call({ op: 'query', sql, params, tx })) as R[],
    exec: async (sql: string) => {
      await call({ op: 'exec', sql, tx });
    },
  };
}

/** A Database on PGlite running in a worker thread. */
export class PgliteThreadDatabase implements Database {
  readonly kind = 'pglite';
  readonly schema: string;
  /** Statements outside a transaction. */
  private readonly sql: Queryable;

  private constructor(
    private readonly thread: PgliteThread,
    schema: string,
    private readonly owned: boolean,
  ) {
    this.schema = checkSchema(schema);
    this.sql = sqlOn((r) => thread.call(r));
  }

  /** Starts the thread and opens PGlite in `dataDir` (created when missing; null: in memory). */
  static async open(dataDir: string | null, schema: string): Promise<PgliteThreadDatabase> {
    checkSchema(schema);
    const config: PgliteThreadConfig = { dataDir };
    return new PgliteThreadDatabase(new PgliteThread(await startThread(config), config), schema, true);
  }

  /** Another schema on the same thread and instance; closing it leaves the instance open. */
  static on(db: PgliteThreadDatabase, schema: string): PgliteThreadDatabase {
    return new PgliteThreadDatabase(db.thread, schema, false);
  }

  t(name: string): string {
    return qualify(this.schema, name);
  }

  query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.sql.query<R>(sql, params).catch((err: unknown) => { throw asCallerError(err); });
  }

  exec(sql: string): Promise<void> {
    return this.sql.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const thread = this.thread;
    const tx = (await thread.call({ op: 'begin' })) as number;
    const generation = thread.generation;
    // A transaction dies with its thread (PostgreSQL rolls it back): nothing of it may reach the next one.
    const call = (r: Request) => (thread.generation === generation ? thread.call(r)
      : Promise.reject(new UnavailableError('the embedded database thread died during the transaction, which was rolled back')));
    let result: T;
    try {
      result = await fn(sqlOn(call, tx));
    } catch (err) {
      await call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw asCallerError(err);
    }
    await call({ op: 'end', tx, commit: true });
    return result;
  }

  /** Embedded in this process: it does not go down while the server runs. */
  onAvailability(): () => void {
    return () => undefined;
  }

  /** The owner closes PGlite (flushing its folder) and ends the thread; a view does nothing. */
  async close(): Promise<void> {
    if (this.owned) await this.thread.close();
  }

  /** Ends the thread abruptly, as a crash would; for tests of what follows. */
  killThread(): Promise<void> {
    return this.thread.kill();
  }

  /** Threads started again after one died. */
  get restarts(): number {
    return this.thread.restarts;
  }
}
