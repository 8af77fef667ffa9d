/**
 * PostgreSQL through a pg connection pool. The pool reconnects by itself
 * (a broken client is dropped, the next checkout opens a new connection);
 * this class decides which failed operations to run again (database.ts).
 */
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import pg from 'pg';
import type { Logger } from 'pino';
import { asCallerError, isConnectionLost, qualify, checkSchema, type Database, type Queryable, type WriteOptions } from './database.js';
import { NoRetry, OutageError, retrying } from './retry.js';
import { UnavailableError } from '../../core/errors.js';

/** Pool settings. */
export interface PgOptions {
  /** postgres://user:password@host:port/database?sslmode=... */
  connectionString: string;
  schema: string;
  /** Most connections at once (default 10). */
  max?: number;
  /** How long an operation waits out a lost database before UnavailableError (default 15 s). */
  retryForMs?: number;
  /**
   * After an operation waited out its whole retry window, operations fail at
   * once (UNAVAILABLE) for this long, then one is let through to probe the
   * database (default 5 s).
   */
  breakerOpenMs?: number;
  /** Shown in pg_stat_activity (default "aria"). */
  applicationName?: string;
  log?: Pick<Logger, 'warn'>;
}

// int8 (bigint) columns hold millisecond times and counters well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** A Database on a pg Pool. */
export class PgDatabase implements Database {
  readonly kind = 'postgres';
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly retryForMs: number;
  private readonly log?: Pick<Logger, 'warn'>;
  /**
   * The circuit breaker (cockatiel): one operation that waits out a whole
   * retry window opens it. A short outage is still waited out by the calls
   * in it, as before; a long one no longer makes every call wait its own
   * window: calls fail at once, and the services that need the database
   * report NOT_SERVING (onAvailability), until a probe gets through.
   */
  private readonly breaker: CircuitBreakerPolicy;
  private readonly breakerOpenMs: number;

  constructor(options: PgOptions) {
    this.schema = checkSchema(options.schema);
    this.retryForMs = options.retryForMs ?? 15_000;
    this.log = options.log;
    this.breakerOpenMs = options.breakerOpenMs ?? 5000;
    this.breaker = circuitBreaker(handleWhen((err) => err instanceof OutageError), {
      halfOpenAfter: this.breakerOpenMs,
      breaker: new ConsecutiveBreaker(1),
    });
    this.breaker.onBreak(() => {
      this.log?.warn({ openMs: this.breakerOpenMs }, 'database down: calls fail at once until it answers again');
      this.probeLater();
    });
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'aria',
      // A database that does not answer at all must fail over to the retry loop, not hang.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    });
    // An idle client whose server went away emits 'error' on the pool; without
    // a listener that would crash the process. The pool drops the client.
    this.pool.on('error', (err) => this.log?.warn({ code: (err as { code?: string }).code, msg: err.message }, 'idle database connection lost'));
    // Every client keeps an 'error' listener for its whole life. pg-pool removes its own
    // listener while a client is checked out, and a socket chunk can hold both the end of
    // one query and a FATAL (57P01, pg_terminate_backend): the client is released and handed
    // to a waiting caller inside the same parse loop, before that caller could listen, and
    // the FATAL then has no listener and crashes the process. The statement in flight fails
    // on its own; a broken client is not queryable and the pool drops it on release.
    this.pool.on('connect', (client) => client.on('error', (err) => this.log?.warn({ code: (err as { code?: string }).code }, 'database connection lost')));
  }

  t(name: string): string {
    return qualify(this.schema, name);
  }

  query<R = Record<string, unknown>>(sql: string, params: unknown[] = [], options: WriteOptions = {}): Promise<R[]> {
    const idempotent = options.idempotent ?? /^\s*select\b/i.test(sql);
    return this.retryAsCaller(async () => {
      const client = await this.checkout();
      try {
        const res = await client.query(sql, params);
        client.release();
        return res.rows as R[];
      } catch (err) {
        const lost = isConnectionLost(err);
        client.release(lost ? (err as Error) : undefined);
        // A write that may have reached the server is not run again.
        if (lost && !idempotent) throw new NoRetry(unacknowledged(err));
        throw err;
      }
    });
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql, [], { idempotent: false });
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.retryAsCaller(async () => {
      const client = await this.checkout();
      let committing = false;
      try {
        await client.query('BEGIN');
        const result = await fn(clientQueryable(client));
        committing = true;
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (err) {
        const lost = isConnectionLost(err);
        if (lost) client.release(err as Error);
        else {
          await client.query('ROLLBACK').catch(() => undefined);
          client.release();
        }
        // Before COMMIT the server rolls back a broken transaction: running it again is safe.
        if (lost && committing && !options.idempotent) throw new NoRetry(unacknowledged(err));
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probe);
    await this.pool.end();
  }

  /**
   * While the breaker is open, a `select 1` every breakerOpenMs is the call
   * that lets the breaker close: without it, a server no client calls would
   * report NOT_SERVING long after the database came back.
   */
  private probeLater(): void {
    clearTimeout(this.probe);
    if (this.closed) return;
    this.probe = setTimeout(() => {
      this.query('select 1').then(() => undefined, () => { if (this.breaker.state !== CircuitState.Closed) this.probeLater(); });
    }, this.breakerOpenMs + 10);
    this.probe.unref();
  }
  private probe: NodeJS.Timeout | undefined;
  private closed = false;

  /** A client from the pool (every client has the lasting 'error' listener the constructor gives it). */
  private checkout(): Promise<pg.PoolClient> {
    return this.pool.connect();
  }

  /** retry(), with data exceptions turned into the caller's errors (database.ts asCallerError). */
  private retryAsCaller<T>(op: () => Promise<T>): Promise<T> {
    return this.retry(op).catch((err: unknown) => { throw asCallerError(err); });
  }

  private async retry<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(() => retrying(op, isConnectionLost, this.retryForMs, {
        onRetry: (attempt, err) => {
          if (attempt === 1 || attempt % 10 === 0) this.log?.warn({ attempt, code: (err as { code?: string }).code }, 'database unreachable; retrying');
        },
      }));
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        throw new UnavailableError(`database unavailable: it did not answer for ${Math.round(this.retryForMs / 1000)} s; calls fail at once until it does (the next try within ${Math.ceil(this.breakerOpenMs / 1000)} s)`);
      }
      throw err;
    }
  }

  onAvailability(listener: (up: boolean) => void): () => void {
    const down = this.breaker.onBreak(() => listener(false));
    const up = this.breaker.onReset(() => listener(true));
    return () => { down.dispose(); up.dispose(); };
  }
}

function clientQueryable(client: pg.PoolClient): Queryable {
  return {
    query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
}

function unacknowledged(err: unknown): UnavailableError {
  return new UnavailableError('the database connection broke while a write was in flight; it may or may not have been applied', { cause: err });
}
