/**
 * Picks the job queue: BullMQ on Redis when a Redis URL is configured
 * (REDIS_URL), the in-process queue otherwise (the embedded default). The
 * two have the same API; only where the work runs differs.
 */
import { BullJobQueue } from './bullmq-queue.js';
import type { JobQueue } from './job-types.js';
import { MemoryJobQueue } from './memory-queue.js';
import type { JobHistory } from './job-history.js';
import type { JobPlanner } from './run-job.js';

/** Where the queue lives, from the environment. */
export interface QueueEnvConfig {
  /** REDIS_URL: unset means the in-process queue. */
  redisUrl?: string;
  /** ARIA_QUEUE_NAME (default "aria-plan"). */
  queueName?: string;
  /** ARIA_QUEUE_PREFIX (default "aria"). */
  prefix?: string;
}

/** Reads REDIS_URL, ARIA_QUEUE_NAME and ARIA_QUEUE_PREFIX. */
export function queueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QueueEnvConfig {
  return { redisUrl: env.REDIS_URL || undefined, queueName: env.ARIA_QUEUE_NAME || undefined, prefix: env.ARIA_QUEUE_PREFIX || undefined };
}

/** What the server gives the queue. */
export interface OpenQueueOptions extends QueueEnvConfig {
  /** The server's planner pool: the in-process queue plans on it (unused with Redis). */
  planner: JobPlanner;
  /** Where the in-process queue records plan history (with Redis, the workers record it). */
  history?: JobHistory;
  /** A pino logger fits. */
  log?: { warn(obj: object, msg: string): void };
}

/** Opens the configured queue. With Redis, fails when it cannot be reached. */
export async function openJobQueue(options: OpenQueueOptions): Promise<JobQueue> {
  if (options.redisUrl) {
    return BullJobQueue.open({ redisUrl: options.redisUrl, queueName: options.queueName, prefix: options.prefix });
  }
  return new MemoryJobQueue({ planner: options.planner, history: options.history, log: options.log });
}
