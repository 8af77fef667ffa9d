/**
 * The foundation services, opened in boot order: secrets (which hold the
 * others' credentials), then data (DATABASE_URL, or the secret
 * system/database/url, or embedded PGlite), then auth (signing keys from
 * secrets, users and token state from data). The server bootstrap calls
 * `openFoundation`, takes the domain store and the auth interceptor from it,
 * lets it add its gRPC services, and closes it after the last call.
 */
import type { Server, ServerInterceptor } from '@grpc/grpc-js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from 'pino';
import { AuthServiceService } from '../../../gen/ts/aria/auth/v1/auth.js';
import { DataServiceService } from '../../../gen/ts/aria/data/v1/data.js';
import { SecretsServiceService } from '../../../gen/ts/aria/secrets/v1/secrets.js';
import { authServiceHandlers } from '../transport/auth/auth-adapter.js';
import { authInterceptor } from '../transport/auth/auth-interceptor.js';
import { resolveAuthMode, type AuthMode, AuthService, type AuthOptions, bootstrapAdmin, LoginThrottle, throttleOptionsFromEnv, type LoginThrottleOptions } from '../services/auth/index.js';
import { dataServiceHandlers } from '../transport/data/data-adapter.js';
import type { Database } from '../services/data/index.js';
import { openDatabase, PlanHistory } from '../services/data/index.js';
import { importFileDomains, SqlDomainStore } from '../services/engine/index.js';
import { lenientService } from '../transport/lenient-service.js';
import type { DomainStore } from '../services/engine/index.js';
import { openSecrets } from '../services/secrets/index.js';
import { secretsServiceHandlers } from '../transport/secrets/secrets-adapter.js';
import type { SecretsService } from '../services/secrets/index.js';
import type { ServerContext } from '../transport/handler.js';

/** The secret that may hold the database URL when DATABASE_URL is not set. */
export const DATABASE_URL_SECRET = 'system/database/url';

/** The full names of the foundation's gRPC services (for health). */
export const FOUNDATION_SERVICES = ['aria.secrets.v1.SecretsService', 'aria.auth.v1.AuthService', 'aria.data.v1.DataService'] as const;

/** Boot settings. */
export interface FoundationOptions {
  /** The address the server binds: decides whether auth may be switched off. */
  host: string;
  /** The data folder (secrets file, PGlite, initial admin password); null: memory only. */
  dataDir: string | null;
  /** The development switch: authentication off (loopback only). Default: ARIA_DEV_NO_AUTH=1. */
  devNoAuth?: boolean;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** The database schema (default ARIA_DB_SCHEMA, else "aria"). */
  schema?: string;
  auth?: AuthOptions;
  /** Login throttling limits (default: ARIA_LOGIN_* from `env`); the counters go to Redis (REDIS_URL), else the database when it is PostgreSQL, else memory. */
  loginThrottle?: LoginThrottleOptions;
}

/** The opened foundation. */
export interface Foundation {
  readonly authMode: AuthMode;
  readonly secrets: SecretsService;
  readonly db: Database;
  readonly auth: AuthService;
  /** Registered domains, in the database. */
  readonly domainStore: DomainStore;
  readonly planHistory: PlanHistory;
  /** The auth interceptor: put it last in the server's interceptor list. */
  readonly interceptor: ServerInterceptor;
  /** Adds SecretsService, AuthService and DataService to a server. */
  addServices(server: Server, ctx: ServerContext): void;
  /** Flushes and closes everything (after the server has stopped taking calls). */
  close(): Promise<void>;
}

/** Opens secrets, data and auth, in that order. */
export async function openFoundation(options: FoundationOptions): Promise<Foundation> {
  const env = options.env ?? process.env;
  const log = options.log;
  const authMode = resolveAuthMode(options.host, options.devNoAuth ?? env.ARIA_DEV_NO_AUTH === '1');
  const opened: Array<() => Promise<void> | void> = [];
  try {
    const secrets = await openSecrets({ dataDir: options.dataDir, env, log });
    opened.push(() => secrets.close());
    const url = env.DATABASE_URL || (await secrets.getText(DATABASE_URL_SECRET))?.reveal();
    const db = await openDatabase({
      url, dataDir: options.dataDir, schema: options.schema ?? env.ARIA_DB_SCHEMA ?? 'aria',
      poolMax: env.ARIA_DB_POOL_MAX ? Number(env.ARIA_DB_POOL_MAX) : undefined, log,
      retryForMs: positiveMs(env.ARIA_DB_RETRY_MS, 'ARIA_DB_RETRY_MS'), breakerOpenMs: positiveMs(env.ARIA_DB_BREAKER_OPEN_MS, 'ARIA_DB_BREAKER_OPEN_MS'),
      bootWaitMs: positiveMs(env.ARIA_DB_BOOT_WAIT_MS, 'ARIA_DB_BOOT_WAIT_MS'),
    });
    opened.push(() => db.close());
    const domainStore = new SqlDomainStore(db);
    if (options.dataDir !== null) {
      const moved = await importFileDomains(options.dataDir, domainStore, (where, err) => log.warn({ where, err }, 'skipped an unreadable domain file'));
      if (moved > 0) log.info({ moved }, 'moved domains from the disk store into the database');
    }
    const planHistory = new PlanHistory(db, { log });
    opened.push(() => planHistory.close());
    const schema = options.schema ?? env.ARIA_DB_SCHEMA ?? 'aria';
    const loginThrottle = options.auth?.loginThrottle ?? (await LoginThrottle.open(
      env.REDIS_URL ? { kind: 'redis', url: env.REDIS_URL } : url ? { kind: 'postgres', url, schema } : { kind: 'memory' },
      { ...throttleOptionsFromEnv(env), ...options.loginThrottle }, log,
    ));
    if (!options.auth?.loginThrottle) opened.push(() => loginThrottle.close());
    const auth = await AuthService.open(db, secrets, { log, ...options.auth, loginThrottle });
    opened.push(() => auth.close());
    if (authMode === 'on') await bootstrapAdmin(auth, { env, dataDir: options.dataDir, log });
    else log.warn('authentication is OFF (development switch): every caller is an admin');
    const interceptor = authInterceptor(authMode, auth, log);
    return {
      authMode, secrets, db, auth, domainStore, planHistory, interceptor,
      addServices(server, ctx) {
        server.addService(lenientService(SecretsServiceService, 'aria.secrets.v1'), secretsServiceHandlers(secrets, ctx));
        server.addService(lenientService(AuthServiceService, 'aria.auth.v1'), authServiceHandlers(auth, ctx));
        server.addService(lenientService(DataServiceService, 'aria.data.v1'), dataServiceHandlers(db, planHistory, ctx));
      },
      close: () => closeAll(opened),
    };
  } catch (err) {
    await closeAll(opened);
    throw err;
  }
}

/** A millisecond setting from the environment: undefined when unset; anything but a positive integer is a ConfigError. */
function positiveMs(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name}=${JSON.stringify(v.slice(0, 40))}: a whole number of milliseconds above 0`);
  return n;
}

/** Closes in reverse order of opening; a failure does not stop the rest. */
async function closeAll(opened: Array<() => Promise<void> | void>): Promise<void> {
  for (const close of opened.splice(0).reverse()) {
    try {
      await close();
    } catch {
      // Shutting down: nothing better to do with it.
    }
  }
}
