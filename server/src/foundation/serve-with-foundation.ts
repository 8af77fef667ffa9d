/**
 * `startServer` with the foundation wired in: the domain store in the
 * database, the auth interceptor in front of every service, plan history
 * recorded, SecretsService/AuthService/DataService added; shutdown closes
 * the foundation after the last call has drained. `aria serve` and the
 * foundation tests start servers through here, so the tests run the wiring
 * that production runs.
 */
import { createLogger } from '../grpc/logger.js';
import { startServer, type AriaServer, type ServerOptions } from '../grpc/server.js';
import { planHistoryObserver } from '../data/plan-history-observer.js';
import type { PlanObserver } from '../planner-service/plan-observer.js';
import type { DomainRegistry } from '../planner-service/domain-registry.js';
import { openFoundation, type Foundation, type FoundationOptions } from './foundation.js';
import { addQueueService, type RegisteredQueue } from '../queue-service/register.js';
import { SqlJobHistory } from '../queue/sql-job-history.js';

/** ServerOptions plus the foundation's own. */
export interface FoundationServerOptions extends ServerOptions {
  /** The development switch: authentication off (loopback only). Default: ARIA_DEV_NO_AUTH=1. */
  devNoAuth?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The database schema (default ARIA_DB_SCHEMA, else "aria"). */
  schema?: string;
  auth?: FoundationOptions['auth'];
}

/** A running server and its foundation. */
export interface FoundationAriaServer extends AriaServer {
  readonly foundation: Foundation;
}

/** Opens the foundation, then starts the gRPC server on it. */
export async function startServerWithFoundation(options: FoundationServerOptions = {}): Promise<FoundationAriaServer> {
  const log = options.logger ?? createLogger();
  const dataDir = options.dataDir === undefined ? '.aria-data' : options.dataDir;
  const foundation = await openFoundation({
    host: options.host ?? '127.0.0.1', dataDir, devNoAuth: options.devNoAuth, env: options.env, log, schema: options.schema, auth: options.auth,
  });
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
  try {
    server = await startServer({
      ...options,
      logger: log,
      dataDir,
      store: foundation.domainStore,
      interceptors: [foundation.interceptor, ...(options.interceptors ?? [])],
      onPlanned: planHistoryOn(options.env ?? process.env)
        ? withHistory(planHistoryObserver(foundation.planHistory, resolve), options.onPlanned) : options.onPlanned,
      addServices: async (s, ctx) => {
        registry = ctx.registry;
        foundation.addServices(s, { log: ctx.log, shutdown: ctx.shutdown });
        jobs = await addQueueService(s, {
          domains: ctx.registry, planner: ctx.pool, history: new SqlJobHistory(foundation.db), log: ctx.log, shutdown: ctx.shutdown,
        });
        await options.addServices?.(s, ctx);
      },
    });
  } catch (err) {
    await jobs?.close();
    await foundation.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    ...server,
    foundation,
    shutdown: (drainMs?: number) => {
      // The queue closes after the planner pool, the foundation last.
      stopping ??= server.shutdown(drainMs).finally(() => jobs?.close()).finally(() => foundation.close());
      return stopping;
    },
  };
}

/** The history observer, and the caller's own when it gave one. */
function withHistory(history: PlanObserver, other: PlanObserver | undefined): PlanObserver {
  return other ? (o) => { history(o); other(o); } : history;
}

/** Plan history is kept unless ARIA_PLAN_HISTORY is 0 or off (each record costs the embedded database some 20 µs). */
export function planHistoryOn(env: NodeJS.ProcessEnv): boolean {
  const v = env.ARIA_PLAN_HISTORY?.trim().toLowerCase();
  return !(v === '0' || v === 'off' || v === 'false');
}
