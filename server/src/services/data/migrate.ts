/**
 * Runs the pending migrations at boot, all in one transaction that first
 * takes a transaction-level advisory lock for the schema: a second server
 * starting at the same moment waits for the lock, then finds the migrations
 * applied. A failed migration rolls back entirely. A database whose schema
 * is newer than this server, or whose applied migrations were edited, stops
 * the boot with a message that says so.
 */
import { createHash } from 'node:crypto';
import type { Database } from './database.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** pg_advisory_xact_lock's first key: "ARIA" in ASCII. */
const LOCK_CLASS = 0x41524941;

/** What a migration run did. */
export interface MigrationResult {
  /** The versions applied now. */
  applied: number[];
  /** The schema version afterwards. */
  version: number;
}

/** Brings `db`'s schema up to date. */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const known = [...migrations].sort((a, b) => a.version - b.version);
  // Idempotent: a retried run finds whatever the first one committed and applies the rest.
  return db.transaction(
    async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, schemaKey(db.schema)]);
      await tx.exec(`CREATE SCHEMA IF NOT EXISTS "${db.schema}"`);
      await tx.exec(`SET LOCAL search_path TO "${db.schema}"`);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
      const rows = await tx.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations ORDER BY version');
      const applied = new Map(rows.map((r) => [Number(r.version), r.checksum]));
      const newest = Math.max(0, ...applied.keys());
      const latestKnown = known.at(-1)?.version ?? 0;
      if (newest > latestKnown) {
        throw new Error(`database schema "${db.schema}" is at version ${newest}, newer than this server knows (${latestKnown}): upgrade the server`);
      }
      const done: number[] = [];
      for (const m of known) {
        const sum = checksum(m);
        const have = applied.get(m.version);
        if (have !== undefined) {
          if (have !== sum) throw new Error(`migration ${m.version} (${m.name}) was changed after it was applied to schema "${db.schema}"`);
          continue;
        }
        await tx.exec(m.sql);
        await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, sum]);
        done.push(m.version);
      }
      return { applied: done, version: Math.max(newest, ...done) };
    },
    { idempotent: true },
  );
}

/** The highest applied migration (0 for a fresh schema). */
export async function schemaVersion(db: Database): Promise<number> {
  const rows = await db.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${db.t('schema_migrations')}`);
  return Number(rows[0]?.v ?? 0);
}

function checksum(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

/** The schema's name folded into a signed 32-bit advisory-lock key. */
function schemaKey(schema: string): number {
  return createHash('sha256').update(schema).digest().readInt32BE(0);
}
