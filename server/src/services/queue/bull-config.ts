/**
 * What the BullMQ queue (servers) and `aria worker` processes must agree
 * on: the queue's name and key prefix, the job data, the Redis keys the
 * queue keeps beside BullMQ's own, and how a job's failure is written into
 * BullMQ's failedReason.
 *
 * Extra keys live under `<prefix>:<queue>:aria:` so that everything of one
 * queue shares BullMQ's prefix (a test removes `<prefix>:*` and is clean).
 */
import { Redis } from 'ioredis';
import type { ProblemSource } from '../../pool/index.js';
import type { CallPlanOptions } from '../engine/index.js';
import type { JobDomain, JobFailure, ProblemOutcome } from './job-types.js';

/** Where a queue lives. */
export interface BullQueueConfig {
  /** redis://[user:password@]host:port[/db] (rediss:// for TLS). */
  redisUrl: string;
  /** Default "aria-plan". */
  queueName?: string;
  /** BullMQ's key prefix (default "aria"). */
  prefix?: string;
}

/** BullMQ's job name for planning jobs. */
export const JOB_NAME = 'plan';

/** What a BullMQ job carries. The domain model itself is stored once per domain (QueueKeys.domains). */
export interface BullJobData {
  domain: JobDomain;
  problems: ProblemSource[];
  options: CallPlanOptions;
  username: string;
  /** Tells a submission whether it created the job or found one with its id. */
  nonce: string;
}

/** What a completed job returns (BullMQ keeps it as the job's returnvalue). */
export interface BullJobResult {
  outcomes: ProblemOutcome[];
}

/** What a running batch reports through job.updateProgress. */
export interface BullJobProgress {
  done: number;
  total: number;
}

/** How many attempts a job gets, and the backoff between them (exponential from `delay`). */
export const JOB_ATTEMPTS = 4;
/** First retry delay in ms; it doubles for each further attempt. */
export const JOB_BACKOFF_MS = 500;
/** How long a job's saved results and cancel mark outlive it, in seconds. */
export const AUX_TTL_S = 7 * 24 * 3600;

/** The queue's name and prefix with their defaults. */
export function resolveConfig(c: BullQueueConfig): Required<BullQueueConfig> {
  return { redisUrl: c.redisUrl, queueName: c.queueName || 'aria-plan', prefix: c.prefix || 'aria' };
}

/** The queue's own keys beside BullMQ's. */
export interface QueueKeys {
  /** Hash: domain id → domain model JSON. */
  domains: string;
  /** Hash of one job: problem index → ProblemOutcome JSON (first writer wins). */
  results(jobId: string): string;
  /** Set when a job is cancelled; its value is the time (ms). */
  cancel(jobId: string): string;
  /** Pub/sub channel on which cancelled job ids are announced to workers and servers. */
  cancelChannel: string;
}

/** The keys of a queue. */
export function queueKeys(c: BullQueueConfig): QueueKeys {
  const { queueName, prefix } = resolveConfig(c);
  const base = `${prefix}:${queueName}:aria`;
  return {
    domains: `${base}:domains`,
    results: (id) => `${base}:results:${id}`,
    cancel: (id) => `${base}:cancel:${id}`,
    cancelChannel: `${base}:cancelled`,
  };
}

/**
 * BullMQ's connection options for a URL. `maxRetriesPerRequest: null` is
 * what BullMQ requires of workers: a command waits out a Redis restart
 * instead of failing the worker's loop.
 */
export function connectionOf(redisUrl: string): { url: string; maxRetriesPerRequest: null } {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/** A Redis client for the queue's own keys, or (`subscriber`) for its cancel channel; commands wait out a Redis restart. */
export function redisClient(redisUrl: string, options: { subscriber?: boolean } = {}): Redis {
  // Commands issued in the same tick share one write: on a busy loopback the syscalls cost more than Redis does.
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: !options.subscriber });
}

/** A job failure as BullMQ's failedReason (a string). */
export function encodeFailure(f: JobFailure): string {
  return JSON.stringify({ aria: f });
}

/** The failure in a failedReason; BullMQ's own reasons (a stalled job given up, retries exhausted) are `internal`. */
export function decodeFailure(reason: string | undefined): JobFailure {
  try {
    const parsed = JSON.parse(reason ?? '') as { aria?: JobFailure };
    if (parsed?.aria && typeof parsed.aria.kind === 'string') return parsed.aria;
  } catch {
    // Not one of ours: fall through.
  }
  return { kind: 'internal', message: reason || 'the job failed' };
}
