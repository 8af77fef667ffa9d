/**
 * Where registered domains are kept between restarts. The registry talks to
 * a DomainStore; FileDomainStore keeps one JSON file per domain under
 * `<dataDir>/domains/`. (A database-backed store can replace it.)
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Domain } from '../../planner/index.js';

/** One registered domain as stored: its identity and its source. */
export interface StoredDomain {
  id: string;
  name: string;
  version: number;
  createdUnixMs: number;
  /** The text form, when it was registered as text (positions survive a reload). */
  text?: string;
  /** The file name that error messages use for the text. */
  file?: string;
  /** The domain model, when it was registered as data. */
  domain?: Domain;
}

/** Storage of registered domains. */
export interface DomainStore {
  /** Every stored domain; unreadable entries are reported through `onBadEntry` and skipped. */
  loadAll(onBadEntry: (where: string, error: unknown) => void): Promise<StoredDomain[]>;
  /** Stores (or replaces) one domain, durably before it resolves. */
  save(record: StoredDomain): Promise<void>;
  /** Forgets one domain; a missing one is not an error. */
  remove(id: string): Promise<void>;
}

const ID_PATTERN = /^[0-9a-f]{64}$/;

/** Keeps each domain as `<dir>/domains/<id>.json`, written atomically (temp file, then rename). */
export class FileDomainStore implements DomainStore {
  private readonly dir: string;

  /** @param dataDir the data folder (created when missing) */
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'domains');
  }

  async loadAll(onBadEntry: (where: string, error: unknown) => void): Promise<StoredDomain[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: StoredDomain[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const path = join(this.dir, name);
      try {
        out.push(parseRecord(JSON.parse(await readFile(path, 'utf8'))));
      } catch (err) {
        onBadEntry(path, err);
      }
    }
    return out;
  }

  async save(record: StoredDomain): Promise<void> {
    if (!ID_PATTERN.test(record.id)) throw new Error(`bad domain id ${JSON.stringify(record.id)}`);
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, `${record.id}.json`);
    // A crash mid-write must not leave a truncated file that a restart would read.
    const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(temp, JSON.stringify(record), { flag: 'wx' });
    await rename(temp, target);
  }

  async remove(id: string): Promise<void> {
    if (!ID_PATTERN.test(id)) return;
    await rm(join(this.dir, `${id}.json`), { force: true });
  }
}

/** A store that forgets everything on restart (tests, or `--data-dir ''`). */
export class MemoryDomainStore implements DomainStore {
  private readonly records = new Map<string, StoredDomain>();
  async loadAll(): Promise<StoredDomain[]> {
    return [...this.records.values()];
  }
  async save(record: StoredDomain): Promise<void> {
    this.records.set(record.id, record);
  }
  async remove(id: string): Promise<void> {
    this.records.delete(id);
  }
}

function parseRecord(raw: unknown): StoredDomain {
  const r = raw as Partial<StoredDomain> | null;
  if (!r || typeof r !== 'object') throw new Error('not an object');
  if (typeof r.id !== 'string' || !ID_PATTERN.test(r.id)) throw new Error('id: not a sha-256 hex digest');
  if (typeof r.name !== 'string' || !r.name) throw new Error('name: missing');
  if (!Number.isInteger(r.version) || (r.version as number) < 1) throw new Error('version: not a positive integer');
  if (typeof r.text !== 'string' && (typeof r.domain !== 'object' || r.domain === null)) throw new Error('neither text nor domain');
  return {
    id: r.id, name: r.name, version: r.version as number, createdUnixMs: Number(r.createdUnixMs) || 0,
    text: r.text, file: r.file, domain: r.domain,
  };
}
