/**
 * Puts StorageService on a server: opens the store (chunks under
 * `<dataDir>/storage/store`, versions in the foundation's database), and
 * hands back the HTTP route that serves the store read-only and what the
 * server's shutdown must close. The bootstrap (serve-with-foundation.ts)
 * calls openStorageService before the server starts (the HTTP port needs
 * the route), then add() while it adds services.
 */
import type { Server } from '@grpc/grpc-js';
import type { Database } from '../services/data/index.js';
import { openStorage, type StorageService } from '../services/storage/index.js';
import { lenientService } from '../transport/lenient-service.js';
import type { ServerContext } from '../transport/handler.js';
import type { HttpRoute } from '../transport/http/http-front.js';
import { storageRoute } from '../transport/http/storage-route.js';
import { storageServiceDefinition, storageServiceHandlers } from '../transport/storage/storage-adapter.js';

/** The opened storage service, ready to be added. */
export interface RegisteredStorage {
  readonly service: StorageService;
  /** The chunk store's folder. */
  readonly storeDir: string;
  /** The HTTP port's read-only store route. */
  readonly route: HttpRoute;
  /** Adds StorageService to a server (before it binds). */
  add(server: Server, ctx: ServerContext): void;
  /** Removes a temporary store (no data folder); call after the server has drained. */
  close(): Promise<void>;
}

/** Opens storage on the foundation's database; ARIA_STORAGE_GC_GRACE_S sets garbage collection's grace period. */
export async function openStorageService(db: Database, dataDir: string | null, env: NodeJS.ProcessEnv): Promise<RegisteredStorage> {
  const grace = Number(env.ARIA_STORAGE_GC_GRACE_S);
  const opened = await openStorage({ db, dataDir, graceMs: env.ARIA_STORAGE_GC_GRACE_S && Number.isFinite(grace) && grace >= 0 ? grace * 1000 : undefined });
  return {
    service: opened.service,
    storeDir: opened.storeDir,
    route: storageRoute(opened.service),
    add: (server, ctx) => server.addService(lenientService(storageServiceDefinition, 'aria.storage.v1'), storageServiceHandlers(opened.service, ctx)),
    close: () => opened.close(),
  };
}
