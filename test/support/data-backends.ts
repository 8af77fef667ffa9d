/**
 * The backends the data suites run on: PGlite always (on a thread of its
 * own, as the server runs it), PostgreSQL when
 * DATABASE_URL is set. Each test gets a schema of its own (dropped after);
 * the PGlite instance of a test file lives in a temporary folder removed at
 * the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../server/src/services/data/database.js';
import { migrate } from '../../server/src/services/data/migrate.js';
import { PgDatabase } from '../../server/src/services/data/pg-database.js';
import { PgliteThreadDatabase } from '../../server/src/services/data/pglite-thread-database.js';

/** One backend. */
export interface Backend {
  name: 'pglite' | 'postgres';
  /** A database on a fresh schema, not migrated. */
  fresh(schema?: string): Promise<Database>;
  /** A database on a fresh, migrated schema. */
  open(): Promise<Database>;
  /** Drops every schema this backend made and closes everything. */
  cleanup(): Promise<void>;
}

/** A schema name no other test uses. */
export function uniqueSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** The backends to run on, for this test file. */
export function dataBackends(): Backend[] {
  const out: Backend[] = [pgliteBackend()];
  if (process.env.DATABASE_URL) out.push(postgresBackend(process.env.DATABASE_URL));
  return out;
}

/** PGlite on its own thread, as the server runs it: one instance per test file, a schema view per test. */
function pgliteBackend(): Backend {
  let dir: string | undefined;
  let db: PgliteThreadDatabase | undefined;
  const handle = async (): Promise<PgliteThreadDatabase> => {
    if (!db) {
      dir = await mkdtemp(join(tmpdir(), 'aria-data-test-'));
      db = await PgliteThreadDatabase.open(dir, uniqueSchema());
    }
    return db;
  };
  const b: Backend = {
    name: 'pglite',
    fresh: async (schema = uniqueSchema()) => PgliteThreadDatabase.on(await handle(), schema),
    open: async () => {
      const fresh = await b.fresh();
      await migrate(fresh);
      return fresh;
    },
    cleanup: async () => {
      await db?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      db = undefined;
      dir = undefined;
    },
  };
  return b;
}

function postgresBackend(url: string): Backend {
  const made: Database[] = [];
  const b: Backend = {
    name: 'postgres',
    fresh: async (schema = uniqueSchema()) => {
      const db = new PgDatabase({ connectionString: url, schema, max: 4, retryForMs: 10_000, applicationName: `aria-test-${schema}` });
      made.push(db);
      return db;
    },
    open: async () => {
      const db = await b.fresh();
      await migrate(db);
      return db;
    },
    cleanup: async () => {
      for (const schema of new Set(made.map((d) => d.schema))) {
        await made[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, [], { idempotent: true });
      }
      for (const db of made.splice(0)) await db.close().catch(() => undefined);
    },
  };
  return b;
}
