/**
 * Encoding of jobs as QueueService messages. A problem's failure and a
 * job's failure become ErrorDetails through status-mapping's mapError, from
 * the same typed errors that Plan throws, so that a job's problem and a Plan
 * call report the same failure with the same code.
 */
import { PlanStatus, type ErrorDetail, type PlanResponse } from '../../../../gen/ts/aria/planner/v1/planner.js';
import type { Job, ProblemResult, WatchJobResponse } from '../../../../gen/ts/aria/queue/v1/queue.js';
import { mapError, type StatusLog } from '../status-mapping.js';
import { DomainError, LimitError, PlanningError } from '../../planner/index.js';
import { InvalidArgumentError, CallAbortedError, WorkerCrashError } from '../../core/errors.js';
import { encodeStats } from '../engine/response-codec.js';
import { jsonToStep } from '../../pool/index.js';
import type { JobEvent, JobFailure, JobInfo, ProblemOutcome } from '../../services/queue/index.js';
import { JobFailedError } from '../../services/queue/index.js';
import { encodeJobState } from './request-codec.js';

/** A job as the Job message; `withResults: false` leaves the results out (ListJobs). */
export function encodeJob(info: JobInfo, log: StatusLog, withResults = true): Job {
  const results: ProblemResult[] = [];
  if (withResults) {
    info.results?.forEach((o, index) => {
      if (o) results.push(encodeOutcome(index, o, info.domain.id, log));
    });
  }
  return {
    id: info.id,
    state: encodeJobState(info.state),
    domainId: info.domain.id,
    domainName: info.domain.name,
    domainVersion: info.domain.version,
    total: info.total,
    done: info.done,
    attempts: info.attempts,
    createdUnixMs: info.createdUnixMs,
    startedUnixMs: info.startedUnixMs,
    finishedUnixMs: info.finishedUnixMs,
    error: info.failure ? detailOf(failureError(info.failure), log) : undefined,
    results,
    username: info.username,
  };
}

/** A watch event as WatchJobResponse. */
export function encodeJobEvent(event: JobEvent, log: StatusLog): WatchJobResponse {
  if (event.kind === 'finished') return { event: { $case: 'finished', finished: encodeJob(event.job, log) } };
  return { event: { $case: 'progress', progress: { state: encodeJobState(event.state), done: event.done, total: event.total } } };
}

/** One problem's outcome as ProblemResult. */
export function encodeOutcome(index: number, o: ProblemOutcome, domainId: string, log: StatusLog): ProblemResult {
  const durationMs = o.durationMs;
  if (o.status === 'plan' || o.status === 'no_plan') {
    const result: PlanResponse = {
      status: o.status === 'plan' ? PlanStatus.PLAN_STATUS_PLAN : PlanStatus.PLAN_STATUS_NO_PLAN,
      plan: o.status === 'plan' ? o.plan.map((step, i) => jsonToStep(step, `results[${index}].plan[${i}]`)) : [],
      stats: encodeStats(o.stats),
      trace: [],
      domainId,
      cost: o.status === 'plan' ? o.cost ?? o.plan.length : 0,
    };
    return { index, outcome: { $case: 'result', result }, durationMs };
  }
  return { index, outcome: { $case: 'error', error: detailOf(outcomeError(index, o), log) }, durationMs };
}

/** The typed error a failed problem stands for. */
function outcomeError(index: number, o: Exclude<ProblemOutcome, { status: 'plan' | 'no_plan' }>): Error {
  switch (o.status) {
    case 'error':
      return new PlanningError(o.message, o.stats);
    case 'limit':
      return new LimitError(o.limit, o.message, o.stats);
    case 'invalid':
      return new InvalidArgumentError(`problems[${index}].${o.field}`, unprefixed(o.message, o.field));
    case 'crash':
      return new WorkerCrashError(o.message);
  }
}

/** The typed error a failed job stands for. */
function failureError(f: JobFailure): Error {
  switch (f.kind) {
    case 'cancelled':
      return new CallAbortedError('cancelled', f.message);
    case 'domain':
      return new DomainError(f.where, unprefixed(f.message, f.where));
    case 'internal':
      return new JobFailedError(f);
  }
}

/**
 * The ErrorDetail of an error. Unexpected failures were logged where they
 * happened (on the worker); reading a job again only notes them at debug level.
 */
function detailOf(err: Error, log: StatusLog): ErrorDetail {
  const quiet: StatusLog = { error: (obj, msg) => (log as { debug?: (o: object, m: string) => void }).debug?.(obj, msg) };
  return mapError(err, quiet).detail;
}

/** A library message without the `field: ` prefix that its error class adds again. */
function unprefixed(message: string, prefix: string): string {
  return prefix && message.startsWith(`${prefix}: `) ? message.slice(prefix.length + 2) : message;
}
