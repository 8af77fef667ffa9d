/**
 * The worker side of the BullMQ queue: what `aria worker` runs. It takes
 * planning jobs from Redis and plans them on its own piscina pool.
 *
 * A worker killed mid-job (kill -9) stops renewing the job's lock; another
 * worker's stalled check finds the job after at most lockMs + stalledMs and
 * puts it back in the queue, and whoever takes it next skips the problems
 * already saved in the job's results hash. Saving is first-writer-wins
 * (HSETNX) and plan history ids are derived from (job, problem), so nothing
 * is lost and nothing is recorded twice. BullMQ itself completes a job only
 * for the worker that holds its lock, so a job's result is written once.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { CallAbortedError } from '../../core/errors.js';
import {
  AUX_TTL_S, connectionOf, encodeFailure, queueKeys, redisClient, resolveConfig,
  type BullJobData, type BullJobResult, type BullQueueConfig,
} from './bull-config.js';
import type { ProblemOutcome } from './job-types.js';
import { NO_HISTORY, type JobHistory } from './job-history.js';
import { failureOf, JobFailedError } from './queue-errors.js';
import { runJobAttempt, type JobPlanner } from './run-job.js';

/** Settings of one worker process's queue consumer. */
export interface QueueWorkerOptions extends BullQueueConfig {
  /** The pool that plans (the worker's own). */
  planner: JobPlanner;
  /** Where outcomes are recorded (default: nowhere). */
  history?: JobHistory;
  /** Jobs taken at once (default: twice the pool's size, so that Redis round trips overlap planning). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a dead worker's job waits this long at most (default 15000 ms). */
  lockMs?: number;
  /** How often this worker looks for jobs whose lock expired (default 5000 ms). */
  stalledMs?: number;
  /** Times a job may lose its worker before it fails (default 3). */
  maxStalledCount?: number;
  /** Shown as the jobs' processedBy (default host:pid). */
  name?: string;
  /** A pino logger fits. */
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** A running consumer. */
export interface QueueWorker {
  readonly name: string;
  /** Stops taking jobs; waits for running ones unless `force` (their locks then expire and others take them). */
  close(force?: boolean): Promise<void>;
}

type BullJob = Job<BullJobData, BullJobResult>;

/** Domain models kept per worker process (each is compiled and cached again by the pool's threads). */
const DOMAIN_CACHE = 256;

/** Starts taking jobs; resolves once connected. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { redisUrl, queueName, prefix } = resolveConfig(options);
  const keys = queueKeys(options);
  const redis = redisClient(redisUrl);
  const subscriber = redisClient(redisUrl, { subscriber: true });
  const history = options.history ?? NO_HISTORY;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const domains = new Map<string, string>();

  const domainJson = async (id: string): Promise<string> => {
    const cached = domains.get(id);
    if (cached !== undefined) return cached;
    const json = await redis.hget(keys.domains, id);
    if (json === null) throw new JobFailedError({ kind: 'internal', message: `domain ${id} is not in the queue's Redis (was it flushed?)` });
    domains.set(id, json);
    if (domains.size > DOMAIN_CACHE) domains.delete(domains.keys().next().value as string);
    return json;
  };

  const processor = async (job: BullJob, _token?: string, bullSignal?: AbortSignal): Promise<BullJobResult> => {
    const id = String(job.id);
    const controller = new AbortController();
    const onAbort = () => controller.abort(new CallAbortedError('cancelled', 'job cancelled'));
    if (bullSignal?.aborted) onAbort();
    else bullSignal?.addEventListener('abort', onAbort, { once: true });
    try {
      const data = job.data;
      const total = data.problems.length;
      const resultsKey = keys.results(id);
      // Nothing can be saved before a job's first start: only a later start reads the hash.
      const [cancelled, json, hash] = await Promise.all([
        redis.exists(keys.cancel(id)),
        domainJson(data.domain.id),
        (job.attemptsStarted ?? 2) > 1 ? redis.hgetall(resultsKey) : {},
      ]);
      if (cancelled) throw new JobFailedError({ kind: 'cancelled', message: 'job cancelled' });
      let lastProgress = 0;
      const outcomes = await runJobAttempt(
        {
          jobId: id, domain: data.domain, domainJson: json, problems: data.problems,
          options: data.options, username: data.username,
          saved: savedOutcomes(hash, total),
          lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        },
        {
          planner: options.planner,
          history,
          save: async (index, outcome) => {
            await redis.multi().hsetnx(resultsKey, String(index), JSON.stringify(outcome)).expire(resultsKey, AUX_TTL_S).exec();
          },
          // A single problem needs no progress; a batch reports at most every 100 ms, and at the end.
          onProgress: total > 1 ? async (done) => {
            const now = Date.now();
            if (done < total && now - lastProgress < 100) return;
            lastProgress = now;
            await job.updateProgress({ done, total }).catch(() => undefined);
          } : undefined,
          signal: controller.signal,
        },
      );
      return { outcomes };
    } catch (err) {
      const failure = failureOf(err);
      // Cancellation and domain errors end the job now; anything else is retried with backoff.
      if (err instanceof JobFailedError || failure.kind === 'cancelled') throw new UnrecoverableError(encodeFailure(failure));
      throw err;
    } finally {
      bullSignal?.removeEventListener('abort', onAbort);
    }
  };

  const worker = new Worker<BullJobData, BullJobResult>(queueName, processor, {
    connection: connectionOf(redisUrl),
    prefix,
    name,
    concurrency: options.concurrency ?? options.planner.size * 2,
    lockDuration: options.lockMs ?? 15_000,
    stalledInterval: options.stalledMs ?? 5_000,
    maxStalledCount: options.maxStalledCount ?? 3,
    autorun: false,
  });
  worker.on('error', (err) => options.log?.warn({ err }, 'queue worker error'));
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade < (job.opts.attempts ?? 1) && !(err instanceof UnrecoverableError)) {
      options.log?.warn({ job: job.id, attempt: job.attemptsMade, err: err.message }, 'job attempt failed; it will be retried');
    } else options.log?.warn({ job: job?.id, reason: err.message }, 'job failed');
  });
  // The results now live in the job's returnvalue; the hash goes soon (not at once: a reader may be between the two).
  worker.on('completed', (job) => void redis.expire(keys.results(String(job.id)), 60).catch(() => undefined));
  for (const client of [redis, subscriber]) client.on('error', (err) => options.log?.warn({ err: err.message }, 'queue worker Redis error'));

  subscriber.on('message', (_channel: string, jobId: string) => worker.cancelJob(jobId, 'cancelled'));
  await subscriber.subscribe(keys.cancelChannel);
  await worker.waitUntilReady();
  void worker.run();
  options.log?.info({ name, queue: queueName, prefix, concurrency: worker.concurrency }, 'queue worker started');

  return {
    name,
    async close(force = false) {
      await worker.close(force);
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
    },
  };
}

/** The outcomes a results hash holds, by index. */
function savedOutcomes(hash: Record<string, string>, total: number): Map<number, ProblemOutcome> {
  const saved = new Map<number, ProblemOutcome>();
  for (const [index, json] of Object.entries(hash)) {
    const i = Number(index);
    if (Number.isInteger(i) && i >= 0 && i < total) saved.set(i, JSON.parse(json) as ProblemOutcome);
  }
  return saved;
}
