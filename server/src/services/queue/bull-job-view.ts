/**
 * A BullMQ job as the queue's readers see it (JobInfo). BullMQ has no
 * cancelled state: a cancelled job is one that failed with a `cancelled`
 * failure, or one still waiting with a cancel mark (the first worker to
 * take it drops it).
 */
import type { Job, JobState as BullMqState } from 'bullmq';
import type { JobInfo, JobState, ProblemOutcome } from './job-types.js';
import { decodeFailure, type BullJobData, type BullJobProgress, type BullJobResult } from './bull-config.js';

/** BullMQ's job states. */
export type BullState = BullMqState;

/** The BullMQ states that a JobState covers (for ListJobs). */
export const BULL_STATES_OF: Record<JobState, BullState[]> = {
  queued: ['waiting', 'delayed', 'prioritized', 'waiting-children'],
  running: ['active'],
  completed: ['completed'],
  // Cancelled jobs end as failed, or wait with a cancel mark until a worker drops them.
  failed: ['failed'],
  cancelled: ['failed', 'waiting', 'delayed', 'prioritized'],
};

/** Every BullMQ state a job of ours can be in. */
export const ALL_BULL_STATES: BullState[] = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed'];

/** The JobState of a BullMQ job. `cancelMark` is the value of its cancel key (null when not cancelled). */
export function jobStateOf(state: BullState, failedReason: string | undefined, cancelMark: string | null): JobState {
  switch (state) {
    case 'completed':
      return 'completed';
    case 'failed':
      return decodeFailure(failedReason).kind === 'cancelled' ? 'cancelled' : 'failed';
    case 'active':
      // Cancelled but not yet stopped: it still runs until its worker notices.
      return 'running';
    default:
      return cancelMark ? 'cancelled' : 'queued';
  }
}

/**
 * The JobInfo of a BullMQ job. `partial` is the job's saved results hash
 * (index → outcome JSON), read for jobs that have not completed; a
 * completed job's results are its returnvalue.
 */
export function jobInfoOf(
  job: Job<BullJobData, BullJobResult>,
  state: BullState,
  cancelMark: string | null,
  partial: Record<string, string> | undefined,
): JobInfo {
  const data = job.data;
  const total = data.problems.length;
  const jobState = jobStateOf(state, job.failedReason, cancelMark);
  let results: (ProblemOutcome | undefined)[] | undefined;
  let done = Number((job.progress as BullJobProgress | undefined)?.done ?? 0);
  if (state === 'completed' && job.returnvalue?.outcomes) {
    results = job.returnvalue.outcomes;
    done = total;
  } else if (partial) {
    results = new Array<ProblemOutcome | undefined>(total).fill(undefined);
    for (const [index, json] of Object.entries(partial)) {
      const i = Number(index);
      if (Number.isInteger(i) && i >= 0 && i < total) results[i] = JSON.parse(json) as ProblemOutcome;
    }
    // The hash may already be expiring after completion: never report less than the progress said.
    done = Math.max(done, Object.keys(partial).length);
  }
  const info: JobInfo = {
    id: String(job.id),
    state: jobState,
    domain: data.domain,
    total,
    done: Math.min(done, total),
    attempts: job.attemptsStarted ?? job.attemptsMade,
    createdUnixMs: job.timestamp,
    startedUnixMs: job.processedOn ?? 0,
    finishedUnixMs: job.finishedOn ?? (jobState === 'cancelled' ? Number(cancelMark) || 0 : 0),
    username: data.username,
  };
  if (state === 'failed') info.failure = decodeFailure(job.failedReason);
  else if (jobState === 'cancelled') info.failure = { kind: 'cancelled', message: 'job cancelled' };
  if (results) info.results = results;
  return info;
}
