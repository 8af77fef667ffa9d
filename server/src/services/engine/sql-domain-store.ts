/**
 * Registered domains in the database: the DomainStore that replaces the
 * one-file-per-domain disk store when the data layer runs. Writes are
 * upserts and deletes by id, so a write retried after a lost connection
 * lands once.
 */
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Domain } from '../../planner/index.js';
import { FileDomainStore, type DomainStore, type StoredDomain } from './domain-store.js';
import type { Database } from '../data/index.js';

interface DomainRow {
  id: string;
  name: string;
  version: number;
  created_unix_ms: number;
  source_text: string | null;
  source_file: string | null;
  model: Domain | null;
}

/** A DomainStore on a Database. */
export class SqlDomainStore implements DomainStore {
  constructor(private readonly db: Database) {}

  async loadAll(onBadEntry: (where: string, error: unknown) => void): Promise<StoredDomain[]> {
    const rows = await this.db.query<DomainRow>(`SELECT * FROM ${this.db.t('domains')} ORDER BY name, version`);
    const out: StoredDomain[] = [];
    for (const r of rows) {
      try {
        out.push({
          id: r.id, name: r.name, version: Number(r.version), createdUnixMs: Number(r.created_unix_ms),
          text: r.source_text ?? undefined, file: r.source_file ?? undefined,
          // jsonb comes back parsed from pg; a text driver would hand a string.
          domain: r.model === null ? undefined : typeof r.model === 'string' ? (JSON.parse(r.model) as Domain) : r.model,
        });
      } catch (err) {
        onBadEntry(`${this.db.t('domains')} id=${r.id}`, err);
      }
    }
    return out;
  }

  async save(record: StoredDomain): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.db.t('domains')} (id, name, version, created_unix_ms, source_text, source_file, model)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, created_unix_ms = EXCLUDED.created_unix_ms,
         source_text = EXCLUDED.source_text, source_file = EXCLUDED.source_file, model = EXCLUDED.model`,
      [record.id, record.name, record.version, record.createdUnixMs, record.text ?? null, record.file ?? null,
        record.domain === undefined ? null : JSON.stringify(record.domain)],
      { idempotent: true },
    );
  }

  async remove(id: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.db.t('domains')} WHERE id = $1`, [id], { idempotent: true });
  }
}

/**
 * Moves domains kept by the disk store (`<dataDir>/domains/*.json`) into
 * `store`, then renames the folder to `domains.imported-<time>` so that the
 * import runs once and the files stay as a backup. Returns how many moved.
 */
export async function importFileDomains(dataDir: string, store: DomainStore, onBadEntry: (where: string, error: unknown) => void): Promise<number> {
  const folder = join(dataDir, 'domains');
  try {
    if (!(await readdir(folder)).some((n) => n.endsWith('.json'))) return 0;
  } catch {
    return 0;
  }
  const records = await new FileDomainStore(dataDir).loadAll(onBadEntry);
  for (const r of records) await store.save(r);
  await rename(folder, `${folder}.imported-${Date.now()}`);
  return records.length;
}
