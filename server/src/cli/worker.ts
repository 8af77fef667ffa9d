/**
 * `aria worker [--redis-url URL] [--queue NAME] [--prefix P] [--threads N]
 * [--concurrency N] [--lock-ms MS] [--stalled-ms MS] [--database-url URL]
 * [--log-level L]`: takes planning jobs from the BullMQ queue on Redis and
 * plans them on its own pool of planner threads, until SIGTERM or SIGINT
 * (it then finishes the jobs it holds; a second signal leaves them to other
 * workers). Run as many as you like, on any machines that reach the Redis.
 *
 * Environment: REDIS_URL, ARIA_QUEUE_NAME, ARIA_QUEUE_PREFIX, ARIA_WORKERS
 * (threads), ARIA_WORKER_CONCURRENCY, DATABASE_URL and ARIA_DB_SCHEMA (plan
 * history; without a database URL none is recorded), ARIA_LOG_LEVEL. Flags win.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Database } from '../services/data/index.js';
import { ConfigError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { PlannerPool } from '../pool/index.js';
import { startQueueWorker, NO_HISTORY, type JobHistory, queueConfigFromEnv } from '../services/queue/index.js';
import { logLevelArg, optionHelp, parseOptions, type OptionSpecs } from './option-help.js';
import { UsageError } from './usage-error.js';

/** The flags of `aria worker`, with their environment variables and defaults. */
export const WORKER_OPTIONS: OptionSpecs = {
  'redis-url': { type: 'string', env: 'REDIS_URL', default: 'none (required)', value: 'URL', help: 'the Redis that holds the job queue' },
  queue: { type: 'string', env: 'ARIA_QUEUE_NAME', default: 'aria-plan', value: 'NAME', help: 'queue name' },
  prefix: { type: 'string', env: 'ARIA_QUEUE_PREFIX', default: 'aria', value: 'P', help: 'Redis key prefix of the queue' },
  threads: { type: 'string', env: 'ARIA_WORKERS', default: 'CPU count', value: 'N', help: 'planner threads' },
  concurrency: { type: 'string', env: 'ARIA_WORKER_CONCURRENCY', default: 'twice the threads', value: 'N', help: 'jobs held at once' },
  'lock-ms': { type: 'string', default: '15000', value: 'MS', help: 'how long a job stays locked to this worker without renewal (at least 1000)' },
  'stalled-ms': { type: 'string', default: '5000', value: 'MS', help: 'how often stalled jobs are looked for (at least 100)' },
  'database-url': { type: 'string', env: 'DATABASE_URL', default: 'none (no plan history)', value: 'URL', help: 'PostgreSQL for plan history' },
  'log-level': { type: 'string', env: 'ARIA_LOG_LEVEL', default: 'info', value: 'LEVEL', help: 'trace, debug, info, warn, error, fatal or silent (JSON lines on stderr)' },
};

const USAGE = 'usage: aria worker [options]\n\nTakes plan jobs from the BullMQ queue on Redis until SIGTERM or SIGINT.';

function intArg(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer of at least ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Runs `aria worker`; resolves with the exit code once it has stopped. */
export async function runWorker(argv: string[]): Promise<number> {
  const values = parseOptions(argv, WORKER_OPTIONS) as Record<string, string | undefined> & { help?: boolean };
  if (values.help) {
    process.stdout.write(optionHelp(USAGE, WORKER_OPTIONS));
    return 0;
  }
  const env = process.env;
  const fromEnv = queueConfigFromEnv(env);
  const redisUrl = values['redis-url'] ?? fromEnv.redisUrl;
  if (!redisUrl) throw new UsageError('aria worker takes its jobs from Redis: give --redis-url or set REDIS_URL');
  const threads = intArg(values.threads ?? env.ARIA_WORKERS, '--threads / ARIA_WORKERS', 1);
  const concurrency = intArg(values.concurrency ?? env.ARIA_WORKER_CONCURRENCY, '--concurrency / ARIA_WORKER_CONCURRENCY', 1);
  const lockMs = intArg(values['lock-ms'], '--lock-ms', 1000);
  const stalledMs = intArg(values['stalled-ms'], '--stalled-ms', 100);
  const log = createLogger(logLevelArg(values['log-level'] || env.ARIA_LOG_LEVEL || 'info', '--log-level / ARIA_LOG_LEVEL', (m) => new UsageError(m)));

  const pool = new PlannerPool({
    size: threads,
    logCrashes: log.level !== 'silent',
    onWorkerError: (err) => log.error({ err }, 'planner worker failed between calls'),
  });
  let db: Database | undefined;
  let history: JobHistory = NO_HISTORY;
  const databaseUrl = values['database-url'] ?? env.DATABASE_URL;
  if (databaseUrl) {
    // Imported only when needed: a worker without a database never loads pg.
    const { openDatabase } = await import('../services/data/index.js');
    const { SqlJobHistory } = await import('../services/queue/index.js');
    db = await openDatabase({ url: databaseUrl, dataDir: null, schema: env.ARIA_DB_SCHEMA || undefined, log });
    history = new SqlJobHistory(db);
  } else {
    log.info('no DATABASE_URL: this worker records no plan history');
  }

  const worker = await startQueueWorker({
    redisUrl, queueName: values.queue ?? fromEnv.queueName, prefix: values.prefix ?? fromEnv.prefix,
    planner: pool, history, concurrency, lockMs, stalledMs, log,
  });
  // The handlers first: a supervisor may send SIGTERM the moment it reads the line below.
  const stopSignal = new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  process.stdout.write(`aria worker: ready (${worker.name})\n`);

  const signal = await stopSignal;
  log.info({ signal }, 'finishing the jobs in hand');
  // A second signal means "now": the jobs' locks expire and other workers take them over.
  const force = () => {
    log.warn('second signal: leaving the jobs in hand to other workers');
    void worker.close(true).finally(() => process.exit(1));
  };
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  await worker.close();
  await pool.close();
  await db?.close();
  process.removeListener('SIGTERM', force);
  process.removeListener('SIGINT', force);
  return 0;
}

/** Run directly (`node dist/server/src/cli/worker.js ...`): the tests and the bench start workers this way. */
function isMain(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  runWorker(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const usage = err instanceof UsageError || err instanceof ConfigError || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`aria worker: ${usage ? (err as Error).message : ((err as Error).stack ?? String(err))}\n`);
      process.exitCode = usage ? 2 : 70;
    },
  );
}
