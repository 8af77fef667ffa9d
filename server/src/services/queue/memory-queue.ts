/**
 * The in-process job queue: the embedded default when no REDIS_URL is set.
 * Jobs run on the server's own planner pool, a few at a time, with the same
 * attempt logic as `aria worker` (run-job.ts): transient failures are
 * retried with exponential backoff, domain errors are not. Jobs live in
 * memory: a restart forgets them (their history records stay).
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { CallAbortedError } from '../../core/errors.js';
import { FINAL_STATES, MAX_LIST, type JobEvent, type JobFilter, type JobInfo, type JobQueue, type JobState, type JobSpec, type ProblemOutcome } from './job-types.js';
import { watchJob } from './job-watch.js';
import { NO_HISTORY, type JobHistory } from './job-history.js';
import { failureOf, jobNotFound } from './queue-errors.js';
import { runJobAttempt, type JobPlanner } from './run-job.js';

/** Settings of the in-process queue. */
export interface MemoryQueueOptions {
  planner: JobPlanner;
  history?: JobHistory;
  /** Jobs run at once (default: the pool's size). */
  concurrency?: number;
  /** Attempts per job, the first included (default 3). */
  attempts?: number;
  /** Wait before the first retry; it doubles for each further one (default 500 ms). */
  backoffMs?: number;
  /** Ended jobs kept for GetJob (default 10000; the oldest go first). */
  keepFinished?: number;
  /** Where job failures are reported; a pino logger fits. */
  log?: { warn(obj: object, msg: string): void };
}

interface MemoryJob {
  info: Omit<JobInfo, 'results' | 'done'>;
  spec: JobSpec;
  outcomes: (ProblemOutcome | undefined)[];
  done: number;
  controller?: AbortController;
  retryTimer?: NodeJS.Timeout;
}

/** A JobQueue in this process. */
export class MemoryJobQueue implements JobQueue {
  readonly kind = 'memory';
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly pending: MemoryJob[] = [];
  private readonly finished: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly events = new EventEmitter();
  private readonly concurrency: number;
  private closed = false;

  constructor(private readonly options: MemoryQueueOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? options.planner.size);
    // One listener per watcher: no cap.
    this.events.setMaxListeners(0);
  }

  async submit(spec: JobSpec): Promise<{ job: JobInfo; created: boolean }> {
    if (this.closed) throw new CallAbortedError('shutdown', 'the job queue is closed');
    const existing = spec.jobId === undefined ? undefined : this.jobs.get(spec.jobId);
    if (existing) return { job: this.view(existing, true), created: false };
    const id = spec.jobId ?? randomUUID();
    const job: MemoryJob = {
      info: {
        id, state: 'queued', domain: spec.domain, total: spec.problems.length, attempts: 0,
        createdUnixMs: Date.now(), startedUnixMs: 0, finishedUnixMs: 0, username: spec.username,
      },
      spec, outcomes: spec.problems.map(() => undefined), done: 0,
    };
    this.jobs.set(id, job);
    this.pending.push(job);
    this.pump();
    return { job: this.view(job, true), created: true };
  }

  async get(id: string): Promise<JobInfo> {
    return this.view(this.find(id), true);
  }

  watch(id: string, signal?: AbortSignal): AsyncIterable<JobEvent> {
    const job = this.find(id);
    return watchJob({
      read: async (withResults) => this.view(job, withResults),
      subscribe: (nudge) => {
        this.events.on(id, nudge);
        return () => this.events.off(id, nudge);
      },
    }, signal);
  }

  async cancel(id: string): Promise<{ job: JobInfo; cancelled: boolean }> {
    const job = this.find(id);
    if (FINAL_STATES.has(job.info.state)) return { job: this.view(job, true), cancelled: false };
    if (job.controller) {
      // Running: the search stops inside the worker thread; the run then ends the job.
      job.controller.abort(new CallAbortedError('cancelled', 'job cancelled'));
    } else {
      clearTimeout(job.retryTimer);
      const at = this.pending.indexOf(job);
      if (at >= 0) this.pending.splice(at, 1);
      this.end(job, 'cancelled', { kind: 'cancelled', message: 'job cancelled' });
    }
    return { job: this.view(job, true), cancelled: true };
  }

  async list(filter: JobFilter = {}): Promise<JobInfo[]> {
    const limit = Math.min(MAX_LIST, filter.limit || 100);
    const out: JobInfo[] = [];
    for (const job of [...this.jobs.values()].reverse()) {
      if (out.length >= limit) break;
      if (filter.state && job.info.state !== filter.state) continue;
      if (filter.domainName && job.info.domain.name !== filter.domainName) continue;
      out.push(this.view(job, false));
    }
    return out;
  }

  async counts(): Promise<Record<JobState, number>> {
    const out: Record<JobState, number> = { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const job of this.jobs.values()) out[job.info.state]++;
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) {
      clearTimeout(job.retryTimer);
      job.controller?.abort(new CallAbortedError('shutdown'));
    }
    await Promise.all([...this.running]);
  }

  private find(id: string): MemoryJob {
    const job = this.jobs.get(id);
    if (!job) throw jobNotFound(id);
    return job;
  }

  private view(job: MemoryJob, withResults: boolean): JobInfo {
    return { ...job.info, done: job.done, ...(withResults ? { results: [...job.outcomes] } : {}) };
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.pending.length > 0) {
      const job = this.pending.shift() as MemoryJob;
      const run = this.run(job).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(job: MemoryJob): Promise<void> {
    const controller = new AbortController();
    job.controller = controller;
    job.info.state = 'running';
    job.info.attempts++;
    job.info.startedUnixMs ||= Date.now();
    this.events.emit(job.info.id);
    const attempts = this.options.attempts ?? 3;
    const saved = new Map<number, ProblemOutcome>();
    job.outcomes.forEach((o, i) => o && saved.set(i, o));
    try {
      await runJobAttempt(
        { ...job.spec, jobId: job.info.id, saved, lastAttempt: job.info.attempts >= attempts },
        {
          planner: this.options.planner,
          history: this.options.history ?? NO_HISTORY,
          save: async (index, outcome) => {
            if (job.outcomes[index]) return;
            job.outcomes[index] = outcome;
            job.done++;
          },
          onProgress: () => void this.events.emit(job.info.id),
          signal: controller.signal,
        },
      );
      this.end(job, 'completed');
    } catch (err) {
      const failure = failureOf(err);
      const shutdown = err instanceof CallAbortedError && err.kind === 'shutdown';
      if (failure.kind === 'cancelled') this.end(job, 'cancelled', failure);
      else if (shutdown) this.end(job, 'failed', { kind: 'internal', message: 'the server shut down while the job ran' });
      else if (failure.kind === 'internal' && job.info.attempts < attempts && !this.closed) this.retryLater(job, failure.message);
      else {
        this.options.log?.warn({ job: job.info.id, attempts: job.info.attempts, failure }, 'job failed');
        this.end(job, 'failed', failure);
      }
    } finally {
      job.controller = undefined;
    }
  }

  private retryLater(job: MemoryJob, reason: string): void {
    const wait = (this.options.backoffMs ?? 500) * 2 ** (job.info.attempts - 1);
    this.options.log?.warn({ job: job.info.id, attempt: job.info.attempts, wait, reason }, 'job attempt failed; retrying');
    job.info.state = 'queued';
    this.events.emit(job.info.id);
    job.retryTimer = setTimeout(() => {
      job.retryTimer = undefined;
      this.pending.push(job);
      this.pump();
    }, wait);
  }

  private end(job: MemoryJob, state: 'completed' | 'failed' | 'cancelled', failure?: JobInfo['failure']): void {
    job.info.state = state;
    job.info.finishedUnixMs = Date.now();
    if (failure) job.info.failure = failure;
    this.finished.push(job.info.id);
    while (this.finished.length > (this.options.keepFinished ?? 10_000)) this.jobs.delete(this.finished.shift() as string);
    this.events.emit(job.info.id);
  }
}
