/**
 * Opens the data layer: PostgreSQL when a URL is given (DATABASE_URL, or the
 * secret system/database/url), else PGlite in `<dataDir>/pg` (on a thread
 * of its own); then runs the migrations. At boot the database may still be
 * starting (containers come up together), so the first connection is
 * waited for up to `bootWaitMs`.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { UnavailableError } from '../../core/errors.js';
import { redactUrl } from '../../core/redacted.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { PgDatabase } from './pg-database.js';
import { PgliteThreadDatabase } from './pglite-thread-database.js';

/** Where the data lives. */
export interface DataOptions {
  /** A postgres:// URL; without one, PGlite. */
  url?: string;
  /** PGlite's folder is `<dataDir>/pg`; null keeps PGlite in memory. */
  dataDir: string | null;
  /** The schema of the server's tables (default "aria"). */
  schema?: string;
  /** pg pool size (default 10). */
  poolMax?: number;
  /** How long one operation waits out a lost database (default 15 s). */
  retryForMs?: number;
  /** How long calls fail at once after the database was found down, before one probes it (default 5 s). */
  breakerOpenMs?: number;
  /** How long boot waits for the database to come up (default 60 s). */
  bootWaitMs?: number;
  log?: Pick<Logger, 'info' | 'warn'>;
}

/** Opens and migrates the database. */
export async function openDatabase(options: DataOptions): Promise<Database> {
  const schema = options.schema ?? 'aria';
  const log = options.log;
  const db: Database = options.url
    ? new PgDatabase({ connectionString: options.url, schema, max: options.poolMax, retryForMs: options.retryForMs, breakerOpenMs: options.breakerOpenMs, log })
    : await PgliteThreadDatabase.open(options.dataDir === null ? null : join(options.dataDir, 'pg'), schema);
  const end = Date.now() + (options.bootWaitMs ?? 60_000);
  try {
    for (;;) {
      try {
        const result = await migrate(db);
        log?.info(
          { backend: db.kind, url: options.url ? redactUrl(options.url) : undefined, schema, version: result.version, applied: result.applied },
          'database ready',
        );
        return db;
      } catch (err) {
        if (!(err instanceof UnavailableError) || Date.now() > end) throw err;
        log?.warn({ backend: db.kind }, 'database not reachable yet; waiting');
        // An open circuit breaker fails at once: wait a little before asking again.
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
