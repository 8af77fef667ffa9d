/**
 * QueueService, typed: background planning jobs. Problems go in the
 * planner's JSON form; results come back as PlanOutcome or AriaError, one
 * per problem, like `AriaClient.planMany`.
 */
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  CancelJobRequest, GetJobRequest, JobState, ListJobsRequest, SubmitPlanJobRequest, WatchJobRequest, type Job as JobMessage,
  type QueueServiceClient, type WatchJobResponse,
} from './gen/aria/queue/v1/queue.js';
import { callOptions, cancelOn, unaryCall, type CallSettings } from './call-settings.js';
import { AriaError } from './errors.js';
import { outcome, planOptions, type PlanOutcome, type PlanSettings } from './plan-messages.js';
import { toState, toTodo, type Problem } from './values.js';

/** Where a job is. */
export type JobStateName = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

const STATES: Record<JobStateName, JobState> = {
  queued: JobState.JOB_STATE_QUEUED, running: JobState.JOB_STATE_RUNNING, completed: JobState.JOB_STATE_COMPLETED,
  failed: JobState.JOB_STATE_FAILED, cancelled: JobState.JOB_STATE_CANCELLED,
};

/** A job, with the results it has (in problem order; a problem without a result yet is left out). */
export interface Job {
  id: string;
  state: JobStateName;
  domainId: string;
  domainName: string;
  domainVersion: number;
  total: number;
  done: number;
  attempts: number;
  createdUnixMs: number;
  startedUnixMs: number;
  finishedUnixMs: number;
  /** Why the job failed as a whole. */
  error?: AriaError;
  results: { index: number; outcome: PlanOutcome | AriaError; durationMs: number }[];
  /** Who submitted it. */
  username: string;
}

/** A job's progress, as WatchJob streams it. */
export type JobEvent = { kind: 'progress'; state: JobStateName; done: number; total: number } | { kind: 'finished'; job: Job };

function stateName(s: JobState): JobStateName {
  return (Object.keys(STATES) as JobStateName[]).find((k) => STATES[k] === s) ?? 'queued';
}

/** A Job message as a Job. */
export function jobOf(j: JobMessage): Job {
  return {
    id: j.id, state: stateName(j.state), domainId: j.domainId, domainName: j.domainName, domainVersion: j.domainVersion,
    total: j.total, done: j.done, attempts: j.attempts, createdUnixMs: j.createdUnixMs, startedUnixMs: j.startedUnixMs,
    finishedUnixMs: j.finishedUnixMs, error: j.error && new AriaError(j.error.code, j.error.message, j.error), username: j.username,
    results: j.results.map((r) => ({
      index: r.index,
      durationMs: r.durationMs,
      outcome: r.outcome?.$case === 'result' ? outcome(r.outcome.result) : new AriaError(r.outcome?.error.code ?? 2, r.outcome?.error.message ?? 'no outcome', r.outcome?.error),
    })),
  };
}

/** The calls of aria.queue.v1.QueueService. */
export class QueueApi {
  /** @param raw the generated client; @param deadlineMs the default deadline */
  constructor(readonly raw: QueueServiceClient, private readonly deadlineMs?: number) {}

  /**
   * Queues a job of one or more problems in one domain; returns at once.
   * `jobId` makes the submission idempotent (an existing id returns that job, `created: false`).
   */
  async submit(domain: string, problems: Problem[], settings: PlanSettings & { jobId?: string } = {}): Promise<{ job: Job; created: boolean }> {
    const req = SubmitPlanJobRequest.fromPartial({
      domain, jobId: settings.jobId ?? '', options: planOptions(settings),
      problems: problems.map((p) => ({ state: toState(p.state), todo: toTodo(p.todo) })),
    });
    const res = await unaryCall(this.raw, this.raw.submitPlanJob, req, settings, this.deadlineMs);
    return { job: jobOf(res.job!), created: res.created };
  }

  /** One job with the results it has so far. */
  async get(jobId: string, settings: CallSettings = {}): Promise<Job> {
    return jobOf((await unaryCall(this.raw, this.raw.getJob, GetJobRequest.fromPartial({ jobId }), settings, this.deadlineMs)).job!);
  }

  /** Cancels a job that has not ended (`cancelled: false` when it had). */
  async cancel(jobId: string, settings: CallSettings = {}): Promise<{ job: Job; cancelled: boolean }> {
    const res = await unaryCall(this.raw, this.raw.cancelJob, CancelJobRequest.fromPartial({ jobId }), settings, this.deadlineMs);
    return { job: jobOf(res.job!), cancelled: res.cancelled };
  }

  /** Recent jobs, newest first, without their results. */
  async list(query: { state?: JobStateName; limit?: number; domainName?: string } = {}, settings: CallSettings = {}): Promise<Job[]> {
    const req = ListJobsRequest.fromPartial({ state: query.state ? STATES[query.state] : JobState.JOB_STATE_UNSPECIFIED, limit: query.limit ?? 0, domainName: query.domainName ?? '' });
    return (await unaryCall(this.raw, this.raw.listJobs, req, settings, this.deadlineMs)).jobs.map(jobOf);
  }

  /** Streams a job's progress, then the finished job (the last event). */
  async *watch(jobId: string, settings: CallSettings = {}): AsyncGenerator<JobEvent> {
    const call = this.raw.watchJob(WatchJobRequest.fromPartial({ jobId }), new Metadata(), callOptions(settings, this.deadlineMs));
    const stop = cancelOn(call, settings.signal);
    try {
      for await (const res of call as AsyncIterable<WatchJobResponse>) {
        const e = res.event;
        if (e?.$case === 'progress') yield { kind: 'progress', state: stateName(e.progress.state), done: e.progress.done, total: e.progress.total };
        else if (e?.$case === 'finished') yield { kind: 'finished', job: jobOf(e.finished) };
      }
    } catch (err) {
      throw AriaError.from(err as ServiceError);
    } finally {
      stop();
    }
  }

  /** Waits for a job to end (through WatchJob) and returns it with its results. */
  async wait(jobId: string, settings: CallSettings = {}): Promise<Job> {
    for await (const e of this.watch(jobId, settings)) if (e.kind === 'finished') return e.job;
    throw new AriaError(2, `the server ended watching job ${jobId} without the finished job`);
  }
}
