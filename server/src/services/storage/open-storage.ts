/**
 * Opens the storage service for a server: chunks under
 * `<dataDir>/storage/store` (casync's layout, so `casync extract
 * --store=<dataDir>/storage/store` reads it), versions in the database. A
 * server without a data folder keeps its chunks in a temporary folder that
 * close() removes, like the rest of its state.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../data/index.js';
import { StorageService } from './storage-service.js';

/** Settings of openStorage. */
export interface OpenStorageOptions {
  db: Database;
  /** The data folder; null: a temporary store. */
  dataDir: string | null;
  /** Garbage collection's grace period (default 1 hour; ARIA_STORAGE_GC_GRACE_S). */
  graceMs?: number;
}

/** An opened storage service and how to close it. */
export interface OpenedStorage {
  readonly service: StorageService;
  /** The chunk store's folder. */
  readonly storeDir: string;
  /** Removes a temporary store; a data folder's store stays. */
  close(): Promise<void>;
}

/** The chunk store's folder inside a data folder. */
export function storeDirOf(dataDir: string): string {
  return join(dataDir, 'storage', 'store');
}

/** Opens storage on `db` and the data folder. */
export async function openStorage(options: OpenStorageOptions): Promise<OpenedStorage> {
  const temporary = options.dataDir === null ? await mkdtemp(join(tmpdir(), 'aria-storage-')) : undefined;
  const storeDir = temporary ? join(temporary, 'store') : storeDirOf(options.dataDir!);
  await mkdir(storeDir, { recursive: true });
  const service = new StorageService({ db: options.db, storeDir, graceMs: options.graceMs });
  return {
    service, storeDir,
    close: async () => {
      await service.close();
      if (temporary) await rm(temporary, { recursive: true, force: true });
    },
  };
}
