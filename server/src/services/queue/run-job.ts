/**
 * Runs one attempt of a job on a planner pool: the part that the in-process
 * queue and `aria worker` share. Problems that earlier attempts saved are
 * skipped; each new outcome is recorded in the plan history and then saved,
 * in that order, so that a worker that dies between the two leaves a
 * problem that the next attempt plans and records again under the same
 * history id (which the history ignores) rather than a saved result that
 * was never recorded.
 *
 * What a problem's failure means for the job:
 * - a plan, no plan, domain bug (status error) or limit is the problem's
 *   result, never retried;
 * - a malformed problem is its result too (`invalid`);
 * - a domain that does not compile fails the job (JobFailedError, not retried);
 * - a planner worker that crashed is retried with the job, and on the last
 *   attempt becomes the problem's result (`crash`), so that one bad problem
 *   does not sink a batch;
 * - anything else (the queue's backend, an overloaded pool) is thrown as it
 *   is, and the queue retries the job with backoff.
 */
import { performance } from 'node:perf_hooks';
import { DomainError } from '../../planner/index.js';
import { InvalidArgumentError, CallAbortedError, WorkerCrashError } from '../../core/errors.js';
import type { PlanResult } from '../../planner/index.js';
import type { ProblemSource, PlannerPool } from '../../pool/index.js';
import { abortReason } from '../../core/signals.js';
import type { CallPlanOptions } from '../engine/index.js';
import { JobFailedError } from './queue-errors.js';
import type { JobDomain, ProblemOutcome } from './job-types.js';
import { historyRecordOf, type JobHistory } from './job-history.js';

/** The part of the planner pool a job needs. */
export type JobPlanner = Pick<PlannerPool, 'plan' | 'size'>;

/** One attempt's input. */
export interface JobAttempt {
  jobId: string;
  domain: JobDomain;
  domainJson: string;
  problems: ProblemSource[];
  options: CallPlanOptions;
  username: string;
  /** Outcomes that earlier attempts saved, by problem index. */
  saved: ReadonlyMap<number, ProblemOutcome>;
  /** No retry follows this attempt: a crashing problem becomes a `crash` result. */
  lastAttempt: boolean;
}

/** What an attempt runs with. */
export interface JobRunDeps {
  planner: JobPlanner;
  history: JobHistory;
  /** Makes one outcome durable (the first one saved for an index wins). */
  save(index: number, outcome: ProblemOutcome): Promise<void>;
  /** Told after each saved outcome. */
  onProgress?(done: number, total: number): void | Promise<void>;
  /** Problems planned at once (default: the pool's size). */
  parallelism?: number;
  /** Cancellation or shutdown; its reason is a CallAbortedError. */
  signal: AbortSignal;
}

/** Runs the problems not yet saved; resolves with every outcome, by index. */
export async function runJobAttempt(job: JobAttempt, deps: JobRunDeps): Promise<ProblemOutcome[]> {
  const outcomes: (ProblemOutcome | undefined)[] = job.problems.map((_, i) => job.saved.get(i));
  const todo = outcomes.flatMap((o, i) => (o ? [] : [i]));
  let done = job.problems.length - todo.length;
  // The first failure stops the other lanes: their in-flight problems are cancelled.
  const stop = new AbortController();
  const signal = AbortSignal.any([deps.signal, stop.signal]);
  let failure: { err: unknown } | undefined;
  let next = 0;
  const poolDomain = { id: job.domain.id, domainJson: job.domainJson };

  const lane = async () => {
    while (next < todo.length && !failure) {
      const index = todo[next++];
      try {
        const outcome = await planOne(deps.planner, poolDomain, job.problems[index], job, signal);
        const record = historyRecordOf(job.jobId, index, job.domain, job.username, outcome);
        if (record) await deps.history.record(record);
        await deps.save(index, outcome);
        outcomes[index] = outcome;
        done++;
        await deps.onProgress?.(done, job.problems.length);
      } catch (err) {
        if (!failure) {
          failure = { err };
          stop.abort(err);
        }
      }
    }
  };
  const lanes = Math.max(1, Math.min(deps.parallelism ?? deps.planner.size, todo.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  // A cancellation or shutdown wins over the errors it caused in other lanes.
  if (deps.signal.aborted) throw abortReason(deps.signal);
  if (failure) throw failure.err;
  return outcomes as ProblemOutcome[];
}

async function planOne(
  planner: JobPlanner,
  domain: { id: string; domainJson: string },
  problem: ProblemSource,
  job: JobAttempt,
  signal: AbortSignal,
): Promise<ProblemOutcome> {
  const t0 = performance.now();
  const ms = () => Math.round((performance.now() - t0) * 1000) / 1000;
  try {
    const result = await planner.plan(domain, problem, job.options, signal);
    // The engine reports an abort as a `cancelled` limit; the signal says why.
    if (signal.aborted) throw abortReason(signal);
    return outcomeOf(result, ms());
  } catch (err) {
    if (err instanceof InvalidArgumentError) return { status: 'invalid', field: err.field, message: err.message, durationMs: ms() };
    if (err instanceof DomainError) throw new JobFailedError({ kind: 'domain', where: err.where, message: err.message });
    if (err instanceof WorkerCrashError && job.lastAttempt) {
      return { status: 'crash', message: 'the planner failed on this problem on every attempt', durationMs: ms() };
    }
    if (err instanceof CallAbortedError || !signal.aborted) throw err;
    throw abortReason(signal);
  }
}

/** A library result as a problem outcome. */
export function outcomeOf(r: PlanResult, durationMs: number): ProblemOutcome {
  switch (r.status) {
    case 'plan':
      return { status: 'plan', plan: r.plan, cost: r.cost ?? r.plan.length, stats: r.stats, durationMs };
    case 'no_plan':
      return { status: 'no_plan', stats: r.stats, durationMs };
    case 'error':
      return { status: 'error', message: r.message, stats: r.stats, durationMs };
    case 'limit':
      return { status: 'limit', limit: r.limit, message: r.message, stats: r.stats, durationMs };
  }
}
