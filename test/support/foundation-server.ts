/**
 * A whole server for the auth and secrets tests: the foundation (secrets in
 * a temporary data folder, data on PostgreSQL when DATABASE_URL is set, else
 * PGlite there, auth) wired into the gRPC server the way `aria serve` wires
 * it, with the stand-in planner library so no WebAssembly is needed. Each
 * server owns its folder and schema and removes them when it stops.
 */
import { credentials, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import type { AuthOptions } from '../../server/src/services/auth/auth-service.js';
import type { Foundation } from '../../server/src/app/foundation.js';
import { startServerWithFoundation, type FoundationAriaServer } from '../../server/src/app/serve-with-foundation.js';
import { uniqueSchema } from './data-backends.js';

/** A running server with its foundation. */
export interface FoundationServer {
  server: FoundationAriaServer;
  foundation: Foundation;
  address: string;
  dataDir: string;
  /** Every log line the server wrote. */
  logs: string[];
  stop(): Promise<void>;
}

/** Server settings for a test. */
export interface FoundationServerOptions {
  devNoAuth?: boolean;
  auth?: AuthOptions;
  env?: NodeJS.ProcessEnv;
  /** The planner library (default: the stand-in; null: the real one). */
  libraryUrl?: string | null;
  /** The HTTP port (/healthz, /metrics): 0 for a free one; default none. */
  httpPort?: number;
}

const fakeLibrary = new URL('./fake-planner.js', import.meta.url).href;

/** Starts a server on 127.0.0.1 and a free port. */
export async function foundationServer(options: FoundationServerOptions = {}): Promise<FoundationServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aria-foundation-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const log = pino({ level: 'debug' }, sink);
  const schema = uniqueSchema();
  const env: NodeJS.ProcessEnv = { ARIA_ADMIN_PASSWORD: 'bootstrap-admin-password', ...options.env };
  if (process.env.DATABASE_URL && !options.env?.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const server = await startServerWithFoundation({
    port: 0, workers: 1, libraryUrl: options.libraryUrl === null ? undefined : options.libraryUrl ?? fakeLibrary, logger: log, dataDir, schema, env,
    devNoAuth: options.devNoAuth, auth: { pollMs: 200, ...options.auth },
    http: options.httpPort === undefined ? undefined : { port: options.httpPort },
  });
  const foundation = server.foundation;
  return {
    server, foundation, address: server.address, dataDir, logs,
    stop: async () => {
      await server.shutdown(1000);
      if (env.DATABASE_URL) {
        const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Metadata with `authorization: Bearer <token>` (none without a token). */
export function bearer(token?: string): Metadata {
  const md = new Metadata();
  if (token !== undefined) md.set('authorization', `Bearer ${token}`);
  return md;
}

type Unary<Req, Res> = (req: Req, md: Metadata, cb: (err: ServiceError | null, res: Res) => void) => unknown;

/** Calls a unary method of a generated client with a token; a promise. */
export function call<Res, Req = unknown>(client: Client, method: string, req: Req, token?: string): Promise<Res> {
  const fn = (client as unknown as Record<string, Unary<Req, Res>>)[method].bind(client);
  return new Promise((resolve, reject) => fn(req, bearer(token), (err, res) => (err ? reject(err) : resolve(res))));
}

/** The status code and message of a call that must fail. */
export async function refused(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as ServiceError;
    return { code: e.code, details: e.details };
  }
  throw new Error('the call succeeded; a failure was expected');
}

/** A client constructor's instance on `address`. */
export function clientFor<C>(Ctor: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => C, address: string): C {
  return new Ctor(address, credentials.createInsecure());
}
