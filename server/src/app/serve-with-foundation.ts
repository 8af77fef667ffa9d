/**
 * `startServer` with the foundation wired in: the domain store in the
 * database, the auth interceptor in front of every service, plan history
 * recorded, SecretsService/AuthService/DataService added; shutdown closes
 * the foundation after the last call has drained. `aria serve` and the
 * foundation tests start servers through here, so the tests run the wiring
 * that production runs.
 *
 * Boot order: lock the data folder (one server per folder:
 * data-dir-lock.ts), then secrets, data and auth (foundation.ts), then TLS
 * material kept as secrets, then storage (storage-service.ts: its chunk
 * store, served read-only on the HTTP port too), then the engine (domain
 * registry, planner pool: start-server.ts), the queue (queue-service.ts),
 * interpret (its model store and onnxruntime pool: interpret-service.ts),
 * workflow (SOPs and runs, which resume here: workflow-service.ts), and
 * last the ports are bound. Shutdown runs the other way: stop the runs, drain the
 * calls, stop the pool, close the queue, stop the interpret pool, close
 * storage, close the foundation, release the folder.
 */
import { createLogger } from '../core/logger.js';
import { startServer, type AriaServer, type ServerOptions } from './start-server.js';
import { planHistoryObserver } from '../services/engine/index.js';
import type { PlanObserver, DomainRegistry } from '../services/engine/index.js';
import { openFoundation, type Foundation, type FoundationOptions } from './foundation.js';
import { addQueueService, type RegisteredQueue } from './queue-service.js';
import { addInterpretService, type RegisteredInterpret } from './interpret-service.js';
import { SqlJobHistory } from '../services/queue/index.js';
import { serverCredentials, type TlsSettings } from '../transport/tls-credentials.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { rateLimitsFromEnv } from '../transport/rate-limit-interceptor.js';
import { openStorageService, type RegisteredStorage } from './storage-service.js';
import { addWorkflowService } from './workflow-service.js';
import type { WorkflowService } from '../services/workflow/index.js';

/** ServerOptions plus the foundation's own. */
export interface FoundationServerOptions extends ServerOptions {
  /** The development switch: authentication off (loopback only). Default: ARIA_DEV_NO_AUTH=1. */
  devNoAuth?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The database schema (default ARIA_DB_SCHEMA, else "aria"). */
  schema?: string;
  auth?: FoundationOptions['auth'];
  /** TLS from files or secrets (tls-credentials.ts); `credentials`, when given, wins. */
  tls?: TlsSettings;
}

/** A running server and its foundation. */
export interface FoundationAriaServer extends AriaServer {
  readonly foundation: Foundation;
  /** StorageService and its chunk store. */
  readonly storage: RegisteredStorage;
}

/** Opens the foundation, then starts the gRPC server on it. */
export async function startServerWithFoundation(options: FoundationServerOptions = {}): Promise<FoundationAriaServer> {
  const log = options.logger ?? createLogger();
  const rateLimits = options.rateLimits ?? rateLimitsFromEnv(options.env ?? process.env);
  const dataDir = options.dataDir === undefined ? '.aria-data' : options.dataDir;
  // TLS from files is checked before anything is opened; TLS from secrets must wait for the secrets service.
  const tlsFromSecrets = !!(options.tls?.certSecret || options.tls?.keySecret || options.tls?.clientCaSecret);
  let credentials = options.credentials ?? (tlsFromSecrets ? undefined : await serverCredentials(options.tls));
  // Then, first of all: a second server on a live server's folder must not open its database or write its files.
  const lock: DataDirLock | undefined = dataDir === null ? undefined : lockDataDir(dataDir);
  let foundation: Foundation;
  try {
    foundation = await openFoundation({
      host: options.host ?? '127.0.0.1', dataDir, devNoAuth: options.devNoAuth, env: options.env, log, schema: options.schema, auth: options.auth,
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  let storage: RegisteredStorage;
  try {
    credentials ??= (await serverCredentials(options.tls, async (name) => (await foundation.secrets.getText(name))?.reveal()));
    storage = await openStorageService(foundation.db, dataDir, options.env ?? process.env);
  } catch (err) {
    await foundation.close();
    lock?.release();
    throw err;
  }
  let registry: DomainRegistry | undefined;
  const resolve = (ref: string) => {
    try {
      const e = registry?.resolve(ref);
      return e && { id: e.id, name: e.name };
    } catch {
      return undefined;
    }
  };
  let server: AriaServer;
  let jobs: RegisteredQueue | undefined;
  let interpret: RegisteredInterpret | undefined;
  let workflow: WorkflowService | undefined;
  try {
    server = await startServer({
      ...options,
      rateLimits,
      credentials,
      logger: log,
      dataDir,
      store: foundation.domainStore,
      interceptors: [foundation.interceptor, ...(options.interceptors ?? [])],
      http: options.http && { ...options.http, routes: [...(options.http.routes ?? []), storage.route] },
      onPlanned: planHistoryOn(options.env ?? process.env)
        ? withHistory(planHistoryObserver(foundation.planHistory, resolve), options.onPlanned) : options.onPlanned,
      addServices: async (s, ctx) => {
        registry = ctx.registry;
        foundation.addServices(s, { log: ctx.log, shutdown: ctx.shutdown });
        storage.add(s, { log: ctx.log, shutdown: ctx.shutdown });
        jobs = await addQueueService(s, {
          domains: ctx.registry, planner: ctx.pool, history: new SqlJobHistory(foundation.db), log: ctx.log, shutdown: ctx.shutdown,
        });
        const queue = jobs.queue;
        if (queue.counts) ctx.metrics.watch({ jobs: () => queue.counts!() });
        interpret = await addInterpretService(s, { dataDir, log: ctx.log, shutdown: ctx.shutdown });
        workflow = await addWorkflowService(s, {
          db: foundation.db, registry: ctx.registry, pool: ctx.pool, env: options.env ?? process.env, log: ctx.log, shutdown: ctx.shutdown,
        });
        // A database found down marks the services that need it NOT_SERVING; the others keep serving.
        foundation.db.onAvailability((up) => { for (const name of DATABASE_SERVICES) ctx.setServing(name, up); });
        await options.addServices?.(s, ctx);
      },
    });
  } catch (err) {
    await workflow?.close();
    await jobs?.close();
    await interpret?.close();
    await storage.close();
    await foundation.close();
    lock?.release();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    ...server,
    foundation,
    storage,
    shutdown: (drainMs?: number) => {
      // Runs stop first (a step cut short is resumed by the next start, not failed by a closing pool),
      // the queue closes after the planner pool, the foundation last.
      stopping ??= (workflow?.close() ?? Promise.resolve()).catch((err) => log.error({ err }, 'closing the workflow service failed')).then(() => server.shutdown(drainMs)).finally(() => jobs?.close()).finally(() => interpret?.close()).finally(() => storage.close())
        .finally(() => foundation.close()).finally(() => lock?.release());
      return stopping;
    },
  };
}

/** The services that cannot answer without the database (the planner plans without it; its history waits in a queue). */
export const DATABASE_SERVICES = [
  'aria.data.v1.DataService', 'aria.auth.v1.AuthService', 'aria.storage.v1.StorageService', 'aria.queue.v1.QueueService', 'aria.workflow.v1.WorkflowService',
] as const;

/** The history observer, and the caller's own when it gave one. */
function withHistory(history: PlanObserver, other: PlanObserver | undefined): PlanObserver {
  return other ? (o) => { history(o); other(o); } : history;
}

/** Plan history is kept unless ARIA_PLAN_HISTORY is 0 or off (each record costs the embedded database some 20 µs). */
export function planHistoryOn(env: NodeJS.ProcessEnv): boolean {
  const v = env.ARIA_PLAN_HISTORY?.trim().toLowerCase();
  return !(v === '0' || v === 'off' || v === 'false');
}
