/**
 * The data layer's view of a database: PostgreSQL through a pg pool, or
 * PGlite (the same SQL, embedded). Repositories qualify every table with
 * the database's schema (`db.t('users')`), so several schemas can share one
 * connection or one embedded instance (the tests do).
 *
 * Losing the connection is retried, within `retryForMs`, whenever retrying
 * cannot apply a write twice: reads, writes declared idempotent, and
 * transactions that broke before COMMIT was sent (the server rolls those
 * back). A connection that breaks during COMMIT of a non-idempotent
 * transaction gives UnavailableError: the write was never acknowledged, and
 * the caller is told it may or may not have happened.
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** Something that runs SQL: a database, or one transaction. */
export interface Queryable {
  /** One statement with $1.. parameters; the rows. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Options of one statement or transaction. */
export interface WriteOptions {
  /** Running it twice has the effect of running it once (upserts, inserts of client-made ids). */
  idempotent?: boolean;
}

/** A database with a schema of its own. */
export interface Database extends Queryable {
  /** "postgres" or "pglite". */
  readonly kind: 'postgres' | 'pglite';
  /** The schema (namespace) of this server's tables. */
  readonly schema: string;
  /** `name` qualified by the schema, quoted: for SQL text. */
  t(name: string): string;
  /** A statement; retried after a lost connection when idempotent (SELECT statements are by default). */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: WriteOptions): Promise<R[]>;
  /**
   * `fn` inside BEGIN/COMMIT. `fn` may run more than once (after a lost
   * connection), so it must do nothing but SQL through `tx`.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: WriteOptions): Promise<T>;
  /**
   * Calls `listener(false)` when the database is found down (an operation
   * waited out its whole retry window), `listener(true)` when it answers
   * again; returns a function that stops the calls. An embedded database
   * never goes down on its own and never calls it.
   */
  onAvailability(listener: (up: boolean) => void): () => void;
  close(): Promise<void>;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema name; it is spliced into SQL, so only plain identifiers pass. */
export function checkSchema(schema: string): string {
  if (!SCHEMA.test(schema)) throw new Error(`database schema ${JSON.stringify(schema)}: use lower-case letters, digits and _ (at most 63)`);
  return schema;
}

/** `"schema"."name"` */
export function qualify(schema: string, name: string): string {
  return `"${schema}"."${name}"`;
}

// SQLSTATEs of a lost or refused connection: class 08, the admin/crash
// shutdowns (57P01-57P03, what pg_terminate_backend and a restart send), and
// too_many_connections, which a retry can outlast.
const LOST_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;
const LOST_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const LOST_MESSAGES = /connection terminated|connection error|not queryable|timeout exceeded when trying to connect|client was closed|server closed the connection/i;

/** True for failures that mean "the connection is gone" rather than "the statement is wrong". */
export function isConnectionLost(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (LOST_SQLSTATES.test(e.code) || LOST_ERRNOS.has(e.code))) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionLost);
  return typeof e.message === 'string' && LOST_MESSAGES.test(e.message);
}

/**
 * A data exception (SQLSTATE class 22: a NUL in text, a number or time out
 * of range) comes from a value the caller sent, so it is the caller's
 * error (INVALID_ARGUMENT), not the server's (INTERNAL). Anything else is
 * returned as it was.
 */
export function asCallerError(err: unknown): unknown {
  const state = sqlState(err);
  if (state === undefined || !state.startsWith('22')) return err;
  const message = String((err as { message?: unknown }).message ?? state).slice(0, 200);
  return new InvalidArgumentError('request', `a value the database cannot store (${message})`);
}

/** The SQLSTATE of a database error (23505 for a unique violation), if any. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
