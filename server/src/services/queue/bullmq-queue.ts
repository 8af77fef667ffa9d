/**
 * The job queue on BullMQ (Redis), the server's side: submit, read, watch,
 * cancel and list. The work is done by `aria worker` processes
 * (bullmq-worker.ts), any number of them, on any machines that reach the
 * same Redis. Completed jobs keep their results in Redis (the job's
 * returnvalue) for `keepCompleted`; failed ones for `keepFailed`.
 *
 * Failures to reach Redis surface as UnavailableError: the client may retry.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { UnavailableError, NotFoundError } from '../../core/errors.js';
import {
  AUX_TTL_S, JOB_ATTEMPTS, JOB_BACKOFF_MS, JOB_NAME, queueKeys, redisClient, resolveConfig,
  type BullJobData, type BullJobResult, type BullQueueConfig, type QueueKeys,
} from './bull-config.js';
import { ALL_BULL_STATES, BULL_STATES_OF, jobInfoOf, type BullState } from './bull-job-view.js';
import { FINAL_STATES, MAX_LIST, type JobEvent, type JobFilter, type JobInfo, type JobQueue, type JobState, type JobSpec } from './job-types.js';
import { watchJob } from './job-watch.js';
import { jobNotFound } from './queue-errors.js';

/** Settings of the BullMQ queue. */
export interface BullQueueOptions extends BullQueueConfig {
  /** Attempts per job, the first included (default 4). */
  attempts?: number;
  /** First retry delay; it doubles for each further attempt (default 500 ms). */
  backoffMs?: number;
  /** Completed jobs kept: for `age` seconds, at most `count` (default 1 day, 10000). */
  keepCompleted?: { age: number; count: number };
  /** Failed and cancelled jobs kept (default 7 days, 10000). */
  keepFailed?: { age: number; count: number };
  /** WatchJob re-reads a job at least this often (default 1000 ms). */
  pollMs?: number;
}

type BullJob = Job<BullJobData, BullJobResult>;

/** QueueEvents that say something about one job: each nudges that job's watchers. */
const JOB_EVENTS = ['active', 'progress', 'completed', 'failed', 'waiting', 'delayed', 'removed', 'stalled'] as const;

/** A JobQueue on BullMQ. */
export class BullJobQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly nudges = new EventEmitter();
  private readonly knownDomains = new Set<string>();

  private constructor(
    private readonly options: BullQueueOptions,
    private readonly queue: Queue<BullJobData, BullJobResult>,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: QueueKeys,
  ) {
    this.nudges.setMaxListeners(0);
    for (const name of JOB_EVENTS) {
      this.events.on(name, (args: { jobId?: string }) => {
        if (args?.jobId) this.nudges.emit(args.jobId);
      });
    }
    // Another server may cancel a job that a watcher here follows.
    this.subscriber.on('message', (_channel: string, jobId: string) => this.nudges.emit(jobId));
  }

  /** Connects to Redis; fails with UnavailableError when it cannot be reached within `timeoutMs` (default 10 s). */
  static async open(options: BullQueueOptions, timeoutMs = 10_000): Promise<BullJobQueue> {
    const { redisUrl, queueName, prefix } = resolveConfig(options);
    const keys = queueKeys(options);
    const redis = redisClient(redisUrl);
    const subscriber = redisClient(redisUrl, { subscriber: true });
    // Without listeners these would be unhandled 'error' events; the commands themselves report failures.
    for (const client of [redis, subscriber]) client.on('error', () => undefined);
    // Redis is checked before BullMQ connects: a QueueEvents that never
    // reached its server does not close (BullMQ waits for the connection).
    try {
      await withTimeout(Promise.all([redis.ping(), subscriber.subscribe(keys.cancelChannel)]), timeoutMs, `the job queue's Redis did not answer within ${timeoutMs} ms`);
    } catch (err) {
      redis.disconnect();
      subscriber.disconnect();
      throw err instanceof UnavailableError ? err : new UnavailableError(`the job queue's Redis failed: ${(err as Error).message}`, { cause: err });
    }
    const keep = (k: { age: number; count: number } | undefined, age: number) => k ?? { age, count: 10_000 };
    const queue = new Queue<BullJobData, BullJobResult>(queueName, {
      // Not null: a server's calls must fail (UNAVAILABLE) when Redis is down, not hang.
      connection: { url: redisUrl, maxRetriesPerRequest: 3 },
      prefix,
      defaultJobOptions: {
        attempts: options.attempts ?? JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: options.backoffMs ?? JOB_BACKOFF_MS },
        removeOnComplete: keep(options.keepCompleted, 24 * 3600),
        removeOnFail: keep(options.keepFailed, 7 * 24 * 3600),
      },
    });
    const events = new QueueEvents(queueName, { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix });
    for (const emitter of [queue, events] as EventEmitter[]) emitter.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new BullJobQueue(options, queue, events, redis, subscriber, keys);
  }

  submit(spec: JobSpec): Promise<{ job: JobInfo; created: boolean }> {
    return this.guard(async () => {
      if (!this.knownDomains.has(spec.domain.id)) {
        // Stored once per domain, not per job: workers fetch it by id and cache it.
        await this.redis.hsetnx(this.keys.domains, spec.domain.id, spec.domainJson);
        this.knownDomains.add(spec.domain.id);
      }
      if (spec.jobId !== undefined && (await this.queue.getJob(spec.jobId))) {
        return { job: await this.view(spec.jobId, true), created: false };
      }
      const nonce = randomUUID();
      const data: BullJobData = { domain: spec.domain, problems: spec.problems, options: spec.options, username: spec.username, nonce };
      const job = (await this.queue.add(JOB_NAME, data, { jobId: spec.jobId ?? randomUUID() })) as BullJob;
      if (spec.jobId !== undefined) {
        // BullMQ ignores an add whose id exists: a concurrent submission of the same id may have won.
        const stored = await this.queue.getJob(spec.jobId);
        if (stored && stored.data.nonce !== nonce) return { job: await this.view(spec.jobId, true), created: false };
      }
      return { job: jobInfoOf(job, 'waiting', null, {}), created: true };
    });
  }

  get(id: string): Promise<JobInfo> {
    return this.guard(() => this.view(id, true));
  }

  watch(id: string, signal?: AbortSignal): AsyncIterable<JobEvent> {
    return watchJob({
      read: (withResults) => this.guard(() => this.view(id, withResults)),
      subscribe: (nudge) => {
        this.nudges.on(id, nudge);
        return () => this.nudges.off(id, nudge);
      },
      pollMs: this.options.pollMs,
    }, signal);
  }

  cancel(id: string): Promise<{ job: JobInfo; cancelled: boolean }> {
    return this.guard(async () => {
      const before = await this.view(id, false);
      if (FINAL_STATES.has(before.state)) return { job: await this.view(id, true), cancelled: false };
      // The mark first, then the announcement: a worker that misses the message finds the mark when it starts the job.
      await this.redis.set(this.keys.cancel(id), String(Date.now()), 'EX', AUX_TTL_S, 'NX');
      await this.redis.publish(this.keys.cancelChannel, id);
      return { job: await this.view(id, true), cancelled: true };
    });
  }

  list(filter: JobFilter = {}): Promise<JobInfo[]> {
    return this.guard(async () => {
      const limit = Math.min(MAX_LIST, filter.limit || 100);
      const states = filter.state ? BULL_STATES_OF[filter.state] : ALL_BULL_STATES;
      // Some jobs fetched are filtered out afterwards (other domain, cancelled or not): fetch more than asked.
      const fetch = filter.domainName || filter.state ? limit * 4 : limit;
      const found: { job: BullJob; state: BullState }[] = [];
      for (const state of states) {
        for (const job of (await this.queue.getJobs([state], 0, fetch - 1, false)) as BullJob[]) found.push({ job, state });
      }
      const marks = found.length ? await this.redis.mget(found.map((f) => this.keys.cancel(String(f.job.id)))) : [];
      return found
        .map((f, i) => jobInfoOf(f.job, f.state, marks[i] ?? null, undefined))
        .filter((j) => (!filter.state || j.state === filter.state) && (!filter.domainName || j.domain.name === filter.domainName))
        .sort((a, b) => b.createdUnixMs - a.createdUnixMs)
        .slice(0, limit);
    });
  }

  counts(): Promise<Record<JobState, number>> {
    return this.guard(async () => {
      const c = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed');
      const n = (k: string): number => c[k] ?? 0;
      return {
        queued: n('waiting') + n('delayed') + n('prioritized') + n('waiting-children'), running: n('active'),
        completed: n('completed'), failed: n('failed'), cancelled: 0,
      };
    });
  }

  async close(): Promise<void> {
    // BullMQ's close waits for a lost connection to come back: give it a moment, not forever.
    await withTimeout(Promise.allSettled([this.events.close(), this.queue.close()]), 2000, '').catch(() => undefined);
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  /**
   * The job now. An ended job says so in its own hash (finishedOn, with a
   * returnvalue when it completed), so reading it takes one round trip;
   * only a job still under way needs BullMQ's state lookup, and a job that
   * ends between the two reads shows as running until the next read.
   */
  private async view(id: string, withResults: boolean): Promise<JobInfo> {
    if (!id) throw jobNotFound(id);
    const [job, mark] = await Promise.all([this.queue.getJob(id) as Promise<BullJob | undefined>, this.redis.get(this.keys.cancel(id))]);
    if (!job) throw jobNotFound(id);
    if (job.finishedOn && job.returnvalue) return jobInfoOf(job, 'completed', mark, undefined);
    // A failed or cancelled batch keeps the results it saved before it ended.
    if (job.finishedOn) return jobInfoOf(job, 'failed', mark, withResults ? await this.redis.hgetall(this.keys.results(id)) : undefined);
    const [state, partial] = await Promise.all([
      this.queue.getJobState(id),
      withResults ? this.redis.hgetall(this.keys.results(id)) : undefined,
    ]);
    if (state === 'unknown') throw jobNotFound(id);
    return jobInfoOf(job, state === 'completed' || state === 'failed' ? 'active' : state, mark, partial);
  }

  /** Runs a Redis operation; a failure that is not the queue's own becomes UnavailableError. */
  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof NotFoundError) throw err;
      throw new UnavailableError(`the job queue's Redis failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }
}

/** `p`, or UnavailableError(message) after `ms`. */
async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new UnavailableError(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
