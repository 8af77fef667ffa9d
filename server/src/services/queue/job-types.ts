/**
 * The job queue's vocabulary, independent of the transport and of the
 * backend: what a job asks for, what a reader sees of it, and the JobQueue
 * interface that the in-process queue and the BullMQ queue both implement.
 */
import type { JsonValue, LimitKind, PlanStats } from '../../planner/index.js';
import type { ProblemSource } from '../../pool/index.js';
import type { CallPlanOptions } from '../engine/index.js';

/** Where a job is. `cancelled` and `failed` are both ends; `completed` means every problem has a result. */
export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** The states a job does not leave. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled']);

/** The domain version a job plans in, resolved when it was submitted. */
export interface JobDomain {
  /** The content hash: workers compile and cache by it. */
  id: string;
  name: string;
  version: number;
}

/** What SubmitPlanJob hands the queue. */
export interface JobSpec {
  domain: JobDomain;
  /** The domain model as JSON (DomainEntry.domainJson). */
  domainJson: string;
  /** One or more problems, planned with the same options (JSON text is parsed by the worker that plans it). */
  problems: ProblemSource[];
  options: CallPlanOptions;
  /** Who submitted it ("" when authentication is off); plan history keeps it. */
  username: string;
  /** A client-chosen id; submitting it again returns the existing job. */
  jobId?: string;
}

/**
 * The result of one problem. `invalid` is a malformed problem (the library's
 * InvalidArgumentError); `crash` is a planner fault that outlasted the retries.
 */
export type ProblemOutcome =
  | { status: 'plan'; plan: JsonValue[][]; cost?: number; stats: PlanStats; durationMs: number }
  | { status: 'no_plan'; stats: PlanStats; durationMs: number }
  | { status: 'error'; message: string; stats: PlanStats; durationMs: number }
  | { status: 'limit'; limit: LimitKind; message: string; stats: PlanStats; durationMs: number }
  | { status: 'invalid'; field: string; message: string; durationMs: number }
  | { status: 'crash'; message: string; durationMs: number };

/**
 * Why a job ended without completing: cancelled, a domain that does not
 * compile on the worker (`where` is the library's location), or anything
 * else that outlasted the retries (`internal`; the message is for logs).
 */
export type JobFailure =
  | { kind: 'cancelled'; message: string }
  | { kind: 'domain'; where: string; message: string }
  | { kind: 'internal'; message: string };

/** A job as readers see it. */
export interface JobInfo {
  id: string;
  state: JobState;
  domain: JobDomain;
  total: number;
  done: number;
  /** Times a worker started it. */
  attempts: number;
  createdUnixMs: number;
  /** 0 until a worker starts it. */
  startedUnixMs: number;
  /** 0 until it ends. */
  finishedUnixMs: number;
  username: string;
  /** Set for failed and cancelled jobs. */
  failure?: JobFailure;
  /** Results by problem index (holes for problems not done); left out by `list`. */
  results?: (ProblemOutcome | undefined)[];
}

/** What `watch` yields: progress while the job runs, then the ended job (the last event). */
export type JobEvent =
  | { kind: 'progress'; state: JobState; done: number; total: number }
  | { kind: 'finished'; job: JobInfo };

/** ListJobs' filter. */
export interface JobFilter {
  state?: JobState;
  /** Default 100, at most 1000. */
  limit?: number;
  domainName?: string;
}

/** The most jobs one `list` returns. */
export const MAX_LIST = 1000;

/**
 * A queue of planning jobs. Implementations: the in-process queue (the
 * embedded default) and BullMQ on Redis (REDIS_URL). Unknown ids throw
 * NotFoundError.
 */
export interface JobQueue {
  /** "memory" or "bullmq". */
  readonly kind: 'memory' | 'bullmq';
  /** Queues a job; `created` is false when spec.jobId named an existing one. */
  submit(spec: JobSpec): Promise<{ job: JobInfo; created: boolean }>;
  /** One job with its results so far. */
  get(id: string): Promise<JobInfo>;
  /** Progress events, then the ended job; ends early (without error) when `signal` aborts. */
  watch(id: string, signal?: AbortSignal): AsyncIterable<JobEvent>;
  /** Cancels a job that has not ended; `cancelled` is false when it had. */
  cancel(id: string): Promise<{ job: JobInfo; cancelled: boolean }>;
  /** Recent jobs, newest first, without results. */
  list(filter?: JobFilter): Promise<JobInfo[]>;
  /**
   * Jobs by state, for the monitor. BullMQ's cancelled jobs count as failed
   * (telling them apart costs a read per job).
   */
  counts?(): Promise<Record<JobState, number>>;
  /** Stops taking work and releases connections; jobs running here are stopped (a BullMQ job goes back to its queue). */
  close(): Promise<void>;
}

/** The ended job from a watch: waits for the job to end (tests, bench, CLI). */
export async function waitForJob(queue: JobQueue, id: string, signal?: AbortSignal): Promise<JobInfo> {
  for await (const event of queue.watch(id, signal)) {
    if (event.kind === 'finished') return event.job;
  }
  throw signal?.reason ?? new Error(`watching job ${id} ended before the job did`);
}
