/**
 * `aria serve [options]` (`aria serve --help` lists them): runs the gRPC
 * server until SIGTERM or SIGINT, then drains in-flight calls and exits.
 * Every flag has an environment variable (the flag wins). --inline-expansions
 * is the budget of the main-thread try before a call goes to the pool (0:
 * every call on the pool). The foundation services (secrets, data, auth)
 * start first; auth is on unless --dev-no-auth, which is refused on a
 * non-loopback address, and so is clear text unless --insecure.
 *
 * A start refused for a reason the operator must fix (a bad flag, the dev
 * switch off loopback, no TLS off loopback, a bad master key, a busy port, a
 * data folder in use) throws ConfigError or UsageError: one line, exit 2.
 */
import { setLogger } from '@grpc/grpc-js';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { resolveAuthMode } from '../services/auth/index.js';
import { ConfigError } from '../core/errors.js';
import { startServerWithFoundation } from '../app/serve-with-foundation.js';
import { createLogger } from '../core/logger.js';
import { checkTransport, tlsRequested, type TlsSettings } from '../transport/tls-credentials.js';
import { logLevelArg, optionHelp, parseOptions, type OptionSpecs } from './option-help.js';
import { UsageError } from './usage-error.js';

/** The flags of `aria serve`, with their environment variables and defaults. */
export const SERVE_OPTIONS: OptionSpecs = {
  host: { type: 'string', env: 'ARIA_HOST', default: '127.0.0.1', value: 'HOST', help: 'address to listen on' },
  port: { type: 'string', env: 'ARIA_PORT', default: '50051', value: 'PORT', help: 'port to listen on (0: any free port)' },
  'http-port': { type: 'string', env: 'ARIA_HTTP_PORT', default: 'PORT + 1 (0 when PORT is 0)', value: 'PORT', help: 'HTTP port for the web page, /healthz, /metrics and the JSON API (0: any free port; off: none)' },
  'http-host': { type: 'string', env: 'ARIA_HTTP_HOST', default: 'HOST', value: 'HOST', help: 'address the HTTP port listens on' },
  'data-dir': { type: 'string', env: 'ARIA_DATA_DIR', default: '.aria-data', value: 'DIR', help: 'data folder (embedded database, secrets file, domains); one server per folder' },
  workers: { type: 'string', env: 'ARIA_WORKERS', default: 'CPU count', value: 'N', help: 'planner worker threads' },
  'inline-expansions': { type: 'string', env: 'ARIA_INLINE_EXPANSIONS', default: '256', value: 'N', help: 'expansions tried on the main thread before a call goes to the pool (0: always the pool)' },
  'drain-ms': { type: 'string', env: 'ARIA_DRAIN_MS', default: '10000', value: 'MS', help: 'how long SIGTERM waits for in-flight calls' },
  'log-level': { type: 'string', env: 'ARIA_LOG_LEVEL', default: 'info', value: 'LEVEL', help: 'trace, debug, info, warn, error, fatal or silent (JSON lines on stderr)' },
  'dev-no-auth': { type: 'boolean', env: 'ARIA_DEV_NO_AUTH=1', default: 'off', help: 'authentication off, every caller an admin (loopback only)' },
  'tls-cert': { type: 'string', env: 'ARIA_TLS_CERT', value: 'FILE', help: 'TLS server certificate chain (PEM); with --tls-key turns TLS on' },
  'tls-key': { type: 'string', env: 'ARIA_TLS_KEY', value: 'FILE', help: 'TLS private key (PEM)' },
  'tls-client-ca': { type: 'string', env: 'ARIA_TLS_CLIENT_CA', value: 'FILE', help: 'CA (PEM) that client certificates must chain to: mTLS, every client needs a certificate' },
  'tls-cert-secret': { type: 'string', env: 'ARIA_TLS_CERT_SECRET', value: 'NAME', help: 'as --tls-cert, from the secret NAME (PEM text)' },
  'tls-key-secret': { type: 'string', env: 'ARIA_TLS_KEY_SECRET', value: 'NAME', help: 'as --tls-key, from the secret NAME' },
  'tls-client-ca-secret': { type: 'string', env: 'ARIA_TLS_CLIENT_CA_SECRET', value: 'NAME', help: 'as --tls-client-ca, from the secret NAME' },
  insecure: { type: 'boolean', env: 'ARIA_INSECURE=1', default: 'off', help: 'allow clear text on a non-loopback address (prints a warning)' },
};

const USAGE = 'usage: aria serve [options]\n\nRuns the gRPC server (planner, queue, auth, secrets, data) and its HTTP port (/healthz, /metrics) until SIGTERM or SIGINT.';

function intArg(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

function str(value: string | boolean | undefined, envValue: string | undefined): string | undefined {
  const v = typeof value === 'string' ? value : envValue;
  return v === '' ? undefined : v;
}

/**
 * Fails fast on a busy port, before the data folder is touched: the real
 * bind comes only after the database is open and the domains are loaded.
 * Another process may still take the port in between; then the real bind
 * reports it the same way.
 */
async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((done, fail) => {
      probe.once('error', fail);
      probe.listen({ host, port, exclusive: true }, done);
    });
  } catch (err) {
    throw new ConfigError(`cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${(err as Error).message}`);
  } finally {
    await new Promise((done) => probe.close(done));
  }
}

/** The HTTP port beside gRPC port `port`: the next one, or any free one when `port` is 0. */
function defaultHttpPort(port: number): number {
  if (port === 65535) throw new UsageError('--port 65535 leaves no default HTTP port: give --http-port, or --http-port off');
  return port === 0 ? 0 : port + 1;
}

/** Runs `aria serve`; resolves with the exit code once the server has stopped. */
export async function runServe(argv: string[]): Promise<number> {
  const values = parseOptions(argv, SERVE_OPTIONS);
  if (values.help) {
    process.stdout.write(optionHelp(USAGE, SERVE_OPTIONS));
    return 0;
  }
  const env = process.env;
  const host = str(values.host, env.ARIA_HOST) ?? '127.0.0.1';
  const port = intArg(str(values.port, env.ARIA_PORT), '--port / ARIA_PORT', 0, 65535) ?? 50051;
  const httpPortArg = str(values['http-port'], env.ARIA_HTTP_PORT);
  const httpPort = httpPortArg === 'off' ? undefined : intArg(httpPortArg, '--http-port / ARIA_HTTP_PORT (or off)', 0, 65535) ?? defaultHttpPort(port);
  if (httpPort !== undefined && httpPort !== 0 && httpPort === port) throw new UsageError(`--http-port must differ from --port (both ${port})`);
  const httpHost = str(values['http-host'], env.ARIA_HTTP_HOST) ?? host;
  const workers = intArg(str(values.workers, env.ARIA_WORKERS), '--workers / ARIA_WORKERS', 1, 1024);
  const inlineExpansions = intArg(str(values['inline-expansions'], env.ARIA_INLINE_EXPANSIONS), '--inline-expansions / ARIA_INLINE_EXPANSIONS', 0);
  const drainMs = intArg(str(values['drain-ms'], env.ARIA_DRAIN_MS), '--drain-ms / ARIA_DRAIN_MS', 0) ?? 10_000;
  const dataDir = resolve(str(values['data-dir'], env.ARIA_DATA_DIR) ?? '.aria-data');
  const devNoAuth = (values['dev-no-auth'] as boolean | undefined) ?? env.ARIA_DEV_NO_AUTH === '1';
  const insecure = (values.insecure as boolean | undefined) ?? env.ARIA_INSECURE === '1';
  const tls: TlsSettings = {
    certFile: str(values['tls-cert'], env.ARIA_TLS_CERT),
    keyFile: str(values['tls-key'], env.ARIA_TLS_KEY),
    clientCaFile: str(values['tls-client-ca'], env.ARIA_TLS_CLIENT_CA),
    certSecret: str(values['tls-cert-secret'], env.ARIA_TLS_CERT_SECRET),
    keySecret: str(values['tls-key-secret'], env.ARIA_TLS_KEY_SECRET),
    clientCaSecret: str(values['tls-client-ca-secret'], env.ARIA_TLS_CLIENT_CA_SECRET),
  };
  const logLevel = logLevelArg(str(values['log-level'], env.ARIA_LOG_LEVEL) ?? 'info', '--log-level / ARIA_LOG_LEVEL', (m) => new UsageError(m));
  // The checks that need nothing opened come first, so a refused start touches no file.
  resolveAuthMode(host, devNoAuth);
  const warning = checkTransport(host, tls, insecure);
  await checkPortFree(host, port);
  if (httpPort !== undefined) await checkPortFree(httpHost, httpPort);
  if (warning) process.stderr.write(`aria serve: ${warning}\n`);
  const log = createLogger(logLevel);
  // grpc-js prints its own lines on stderr ("E No address added ..." beside a failed bind); they belong in the log.
  setLogger({ error: (...args: unknown[]) => log.warn({ grpc: args.join(' ') }, 'grpc-js') });

  const server = await startServerWithFoundation({
    host, port, workers, dataDir, logger: log, devNoAuth, tls,
    http: httpPort === undefined ? undefined : { host: httpHost, port: httpPort },
    inline: inlineExpansions === 0 ? false : { maxExpansions: inlineExpansions },
  });
  // The handlers first: a supervisor may send SIGTERM the moment it reads the line below.
  const stopSignal = new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  process.stdout.write(`aria serve: listening on ${server.address}${tlsRequested(tls) ? (tls.clientCaFile || tls.clientCaSecret ? ' (mTLS)' : ' (TLS)') : ''}\n`);
  // Supervisors and tests match this line as written; the web page is this URL's `/`.
  if (server.http) process.stdout.write(`aria serve: HTTP (/healthz, /metrics, /v1/...) on http://${server.http.address}\n`);

  const signal = await stopSignal;
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
