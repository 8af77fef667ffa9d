/**
 * Puts QueueService on a server: opens the configured job queue (BullMQ
 * when REDIS_URL is set, in-process otherwise), adds the service with the
 * lenient request decoding every Aria service uses, and hands back what
 * the server's shutdown must close. The bootstrap (serve-with-foundation.ts) calls
 * this once; it needs nothing else from the queue.
 */
import type { Server } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { QueueServiceService } from '../../../gen/ts/aria/queue/v1/queue.js';
import { lenientService } from '../transport/lenient-service.js';
import type { JobHistory, JobQueue, JobPlanner } from '../services/queue/index.js';
import { openJobQueue, queueConfigFromEnv, type QueueEnvConfig, PlanJobService, type DomainResolver } from '../services/queue/index.js';
import { queueServiceHandlers } from '../transport/queue/adapter.js';

/** What the server gives the queue service. */
export interface QueueServiceOptions {
  /** Resolves domain references (the planner service's registry). */
  domains: DomainResolver;
  /** The server's planner pool: the in-process queue plans on it. */
  planner: JobPlanner;
  /** Where the in-process queue records plan history (with Redis, `aria worker` records it). */
  history?: JobHistory;
  log: Logger;
  /** Aborts every call when the server stops waiting for them. */
  shutdown: AbortSignal;
  /** Where the queue lives (default: REDIS_URL, ARIA_QUEUE_NAME, ARIA_QUEUE_PREFIX). */
  config?: QueueEnvConfig;
}

/** The queue behind a registered QueueService. */
export interface RegisteredQueue {
  readonly queue: JobQueue;
  /** Closes the queue: call after the server has drained, before the pool closes. */
  close(): Promise<void>;
}

/** Opens the queue and adds QueueService to `server` (before it binds). */
export async function addQueueService(server: Server, options: QueueServiceOptions): Promise<RegisteredQueue> {
  const config = options.config ?? queueConfigFromEnv();
  const queue = await openJobQueue({ ...config, planner: options.planner, history: options.history, log: options.log });
  options.log.info({ backend: queue.kind, queue: config.redisUrl ? config.queueName ?? 'aria-plan' : undefined }, 'job queue ready');
  server.addService(
    lenientService(QueueServiceService, 'aria.queue.v1'),
    queueServiceHandlers({ service: new PlanJobService(options.domains, queue), log: options.log, shutdown: options.shutdown }),
  );
  return { queue, close: () => queue.close() };
}
