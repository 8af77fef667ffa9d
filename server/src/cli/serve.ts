/**
 * `aria serve [--host H] [--port P] [--data-dir D] [--workers N] [--inline-expansions N] [--drain-ms MS] [--log-level L] [--dev-no-auth]`:
 * runs the gRPC server until SIGTERM or SIGINT, then drains in-flight calls
 * and exits. Environment: ARIA_HOST, ARIA_PORT, ARIA_DATA_DIR,
 * ARIA_WORKERS, ARIA_INLINE_EXPANSIONS, ARIA_DRAIN_MS, ARIA_LOG_LEVEL,
 * ARIA_DEV_NO_AUTH (flags win). --inline-expansions is the budget of the
 * main-thread try before a call goes to the pool (0: every call on the pool).
 * The foundation services (secrets, data, auth) start first; auth is on
 * unless --dev-no-auth, which is refused on a non-loopback address.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServerWithFoundation } from '../foundation/serve-with-foundation.js';
import { createLogger } from '../grpc/logger.js';
import { UsageError } from './usage-error.js';

const ARGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  workers: { type: 'string' },
  'inline-expansions': { type: 'string' },
  'drain-ms': { type: 'string' },
  'log-level': { type: 'string' },
  'dev-no-auth': { type: 'boolean' },
} as const;

function intArg(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** Runs `aria serve`; resolves with the exit code once the server has stopped. */
export async function runServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: ARGS, strict: true, allowPositionals: false });
  const env = process.env;
  const host = values.host ?? env.ARIA_HOST ?? '127.0.0.1';
  const port = intArg(values.port ?? env.ARIA_PORT, '--port / ARIA_PORT', 0, 65535) ?? 50051;
  const workers = intArg(values.workers ?? env.ARIA_WORKERS, '--workers / ARIA_WORKERS', 1, 1024);
  const inlineExpansions = intArg(values['inline-expansions'] ?? env.ARIA_INLINE_EXPANSIONS, '--inline-expansions / ARIA_INLINE_EXPANSIONS', 0);
  const drainMs = intArg(values['drain-ms'] ?? env.ARIA_DRAIN_MS, '--drain-ms / ARIA_DRAIN_MS', 0) ?? 10_000;
  const dataDir = resolve(values['data-dir'] ?? env.ARIA_DATA_DIR ?? '.aria-data');
  const log = createLogger(values['log-level'] ?? env.ARIA_LOG_LEVEL ?? 'info');

  const devNoAuth = values['dev-no-auth'] ?? env.ARIA_DEV_NO_AUTH === '1';
  const server = await startServerWithFoundation({
    host, port, workers, dataDir, logger: log, devNoAuth,
    inline: inlineExpansions === 0 ? false : { maxExpansions: inlineExpansions },
  });
  process.stdout.write(`aria serve: listening on ${server.address}\n`);

  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  log.info({ signal, drainMs }, 'draining in-flight calls');
  // A second signal means "now": skip the drain.
  const force = () => {
    log.warn('second signal: exiting without draining');
    process.exit(1);
  };
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  await server.shutdown(drainMs);
  process.removeListener('SIGTERM', force);
  process.removeListener('SIGINT', force);
  return 0;
}
