/**
 * Asset versions in the database (table storage_assets, migration 2): one
 * row per version with its .caibx index, and storage_asset_names, the last
 * version given per name, so that a deleted version's number is never
 * given again. A version is one transaction: the number and the row
 * appear together, or not at all.
 */
import type { Database } from '../data/index.js';

/** One version of an asset, without its index. */
export interface AssetVersion {
  name: string;
  version: number;
  size: number;
  chunkCount: number;
  /** SHA-512/256 of the .caibx index, hex. */
  indexDigest: string;
  owner: string;
  createdUnixMs: number;
}

/** What a new version is made of. */
export interface NewAssetVersion {
  name: string;
  size: number;
  chunkCount: number;
  indexDigest: string;
  index: Uint8Array;
  owner: string;
}

interface Row {
  name: string;
  version: number;
  size: string | number;
  chunk_count: number;
  index_digest: string;
  owner: string;
  created_unix_ms: string | number;
  index_bytes?: Uint8Array;
}

const COLUMNS = 'name, version, size, chunk_count, index_digest, owner, created_unix_ms';

function toVersion(r: Row): AssetVersion {
  return {
    name: r.name, version: Number(r.version), size: Number(r.size), chunkCount: Number(r.chunk_count),
    indexDigest: r.index_digest, owner: r.owner, createdUnixMs: Number(r.created_unix_ms),
  };
}

/** SQL for asset versions. */
export class AssetRepo {
  constructor(private readonly db: Database) {}

  /** Records a new version (the next number for its name) in one transaction. */
  async insert(v: NewAssetVersion): Promise<AssetVersion> {
    const names = this.db.t('storage_asset_names');
    const assets = this.db.t('storage_assets');
    const rows = await this.db.transaction(async (tx) => {
      const [n] = await tx.query<{ last_version: number }>(
        `INSERT INTO ${names} (name, last_version) VALUES ($1, 1)
         ON CONFLICT (name) DO UPDATE SET last_version = ${names}.last_version + 1 RETURNING last_version`,
        [v.name],
      );
      return tx.query<Row>(
        `INSERT INTO ${assets} (name, version, size, chunk_count, index_digest, index_bytes, owner, created_unix_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [v.name, n!.last_version, v.size, v.chunkCount, v.indexDigest, Buffer.from(v.index.buffer, v.index.byteOffset, v.index.byteLength), v.owner, Date.now()],
      );
    });
    return toVersion(rows[0]!);
  }

  /** One version (0: the latest), with its index; undefined when there is none. */
  async get(name: string, version: number): Promise<{ meta: AssetVersion; index: Uint8Array } | undefined> {
    const rows = await this.db.query<Row>(
      version === 0
        ? `SELECT ${COLUMNS}, index_bytes FROM ${this.db.t('storage_assets')} WHERE name = $1 ORDER BY version DESC LIMIT 1`
        : `SELECT ${COLUMNS}, index_bytes FROM ${this.db.t('storage_assets')} WHERE name = $1 AND version = $2`,
      version === 0 ? [name] : [name, version],
    );
    const r = rows[0];
    return r && { meta: toVersion(r), index: r.index_bytes! };
  }

  /** Every version of a name, oldest first. */
  async versions(name: string): Promise<AssetVersion[]> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM ${this.db.t('storage_assets')} WHERE name = $1 ORDER BY version`, [name]);
    return rows.map(toVersion);
  }

  /** The latest version of each name that starts with `prefix` and sorts after `after`, at most `limit`. */
  async latest(prefix: string, after: string, limit: number): Promise<AssetVersion[]> {
    const rows = await this.db.query<Row>(
      `SELECT DISTINCT ON (name) ${COLUMNS} FROM ${this.db.t('storage_assets')}
       WHERE starts_with(name, $1) AND name > $2 ORDER BY name, version DESC LIMIT $3`,
      [prefix, after, limit],
    );
    return rows.map(toVersion);
  }

  /** Removes one version; what it was, or undefined when there was none. */
  async remove(name: string, version: number): Promise<AssetVersion | undefined> {
    const rows = await this.db.query<Row>(
      `DELETE FROM ${this.db.t('storage_assets')} WHERE name = $1 AND version = $2 RETURNING ${COLUMNS}`, [name, version], { idempotent: true },
    );
    return rows[0] && toVersion(rows[0]);
  }

  /** Every stored index, a page at a time (garbage collection's mark). */
  async *indexes(pageSize = 200): AsyncGenerator<{ name: string; version: number; index: Uint8Array }> {
    let after: [string, number] = ['', 0];
    for (;;) {
      const rows = await this.db.query<Row>(
        `SELECT name, version, index_bytes FROM ${this.db.t('storage_assets')}
         WHERE (name, version) > ($1, $2) ORDER BY name, version LIMIT $3`,
        [after[0], after[1], pageSize],
      );
      for (const r of rows) yield { name: r.name, version: Number(r.version), index: r.index_bytes! };
      if (rows.length < pageSize) return;
      const last = rows.at(-1)!;
      after = [last.name, Number(last.version)];
    }
  }
}
