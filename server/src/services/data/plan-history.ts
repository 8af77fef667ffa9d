/**
 * Plan history: one row per planning call. Recording must not slow planning
 * down, so `record` only queues; rows go to the database in batches (every
 * `flushMs`, or at once when `batchSize` are waiting) as one multi-row
 * insert. Each row gets its id before its batch is first sent, so a batch
 * retried after a lost connection lands once. A batch that still fails stays queued (up to
 * `maxQueued`, beyond which the oldest are dropped and counted): history is
 * a record of calls already answered, never something a client waits for.
 * `flush()` (and `close()`, at shutdown) writes what is queued.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from './database.js';
import { RecordColumns, type PlanRecordInput } from './plan-history-columns.js';

export type { PlanRecordInput } from './plan-history-columns.js';
import { InvalidArgumentError } from '../../core/errors.js';

/** The largest time a JavaScript Date holds (8.64e15 ms either side of 1970). */
const MAX_DATE_MS = 8.64e15;

/** A stored record. */
export interface PlanRecord extends PlanRecordInput {
  id: string;
  createdUnixMs: number;
}

/** What `list` filters on. */
export interface PlanHistoryQuery {
  limit?: number;
  beforeUnixMs?: number;
  domainName?: string;
}

/** Batching settings. */
export interface PlanHistoryOptions {
  flushMs?: number;
  batchSize?: number;
  maxQueued?: number;
  log?: Pick<Logger, 'warn'>;
}

/**
 * Defaults: a write costs the embedded database a few milliseconds however
 * few its rows, so a busy server writes about once a second, in batches of
 * up to 2,000 rows.
 */
const FLUSH_MS = 1000;
const BATCH_SIZE = 2000;

/** Plan history on a Database. */
export class PlanHistory {
  private queue = new RecordColumns();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** Records dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly db: Database,
    private readonly options: PlanHistoryOptions = {},
  ) {}

  /** Queues one record; returns at once. */
  record(input: PlanRecordInput): void {
    this.queue.push(input, Date.now());
    const max = this.options.maxQueued ?? 10_000;
    if (this.queue.length > max) {
      this.dropped += this.queue.length - max;
      this.queue.take(this.queue.length - max);
    }
    if (this.queue.length >= (this.options.batchSize ?? BATCH_SIZE)) {
      // A write under way takes the next batch when it ends; asking again on every record
      // while it runs would pile up one waiting flush per call.
      if (!this.flushing) void this.flush().catch(() => undefined);
    } else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.options.flushMs ?? FLUSH_MS).unref();
  }

  /** Writes everything queued so far; rejects when the database stays away (the rows stay queued). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue.take(this.options.batchSize ?? BATCH_SIZE);
    // Ids are given once, before the first try: a batch retried after a lost connection lands once.
    for (let i = 0; i < batch.id.length; i++) batch.id[i] ??= randomUUID();
    this.flushing = this.insert(batch).then(
      () => undefined,
      (err: unknown) => {
        this.queue.putBack(batch);
        this.options.log?.warn({ queued: this.queue.length, err: (err as Error).message }, 'plan history not written yet');
        if (!this.closed) this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), 1000).unref();
        throw err;
      },
    );
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
    if (this.queue.length > 0) await this.flush();
  }

  /** Newest first. */
  async list(q: PlanHistoryQuery = {}): Promise<PlanRecord[]> {
    const limit = Math.min(Math.max(q.limit || 100, 1), 1000);
    // A time past what a Date holds, or a NUL (which PostgreSQL text refuses), is the caller's error, not INTERNAL.
    if (q.beforeUnixMs && !(Number.isFinite(q.beforeUnixMs) && Math.abs(q.beforeUnixMs) <= MAX_DATE_MS)) {
      throw new InvalidArgumentError('before_unix_ms', `must be a time in milliseconds since 1970 within ±${MAX_DATE_MS}`);
    }
    if (q.domainName?.includes('\u0000')) throw new InvalidArgumentError('domain_name', 'must not contain NUL');
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM ${this.db.t('plan_history')}
       WHERE ($1::timestamptz IS NULL OR created_at < $1) AND ($2::text IS NULL OR domain_name = $2)
       ORDER BY created_at DESC, id LIMIT $3`,
      [q.beforeUnixMs ? new Date(q.beforeUnixMs) : null, q.domainName || null, limit],
    );
    return rows.map((r) => ({
      id: String(r.id), createdUnixMs: new Date(r.created_at as Date).getTime(), username: String(r.username), method: String(r.method),
      domainId: String(r.domain_id), domainName: String(r.domain_name), status: String(r.status),
      planLength: Number(r.plan_length), durationMs: Number(r.duration_ms),
    }));
  }

  /** Writes what is queued and stops the timer. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.flush();
  }

  private async insert(b: RecordColumns): Promise<void> {
    // One array per column and unnest: nine parameters whatever the batch size, which the
    // embedded database parses several times faster than nine per row. Times go as epoch
    // milliseconds, cheaper to send and to parse than timestamps in text.
    await this.db.query(
      `INSERT INTO ${this.db.t('plan_history')} (id, created_at, username, method, domain_id, domain_name, status, plan_length, duration_ms)
       SELECT u.id, to_timestamp(u.ms / 1000.0), u.username, u.method, u.domain_id, u.domain_name, u.status, u.plan_length, u.duration_ms
       FROM unnest($1::uuid[], $2::float8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::float8[])
         AS u(id, ms, username, method, domain_id, domain_name, status, plan_length, duration_ms)
       ON CONFLICT (id) DO NOTHING`,
      [b.id, b.createdUnixMs, b.username, b.method, b.domainId, b.domainName, b.status, b.planLength, b.durationMs],
      { idempotent: true },
    );
  }
}
