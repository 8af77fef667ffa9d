/**
 * Errors of the job queue. Job lookups reuse the planner service's
 * NotFoundError, cancellation its CallAbortedError, so that the gRPC layer's
 * one status mapping covers the queue without new cases.
 */
import { NotFoundError } from '../../core/errors.js';
import type { JobFailure } from './job-types.js';

/** A job attempt that must not be retried: the job fails with `failure`. */
export class JobFailedError extends Error {
  readonly failure: JobFailure;
  constructor(failure: JobFailure) {
    super(failure.message);
    this.name = 'JobFailedError';
    this.failure = failure;
  }
}

/** The NotFoundError for an unknown job id. */
export function jobNotFound(id: string): NotFoundError {
  return new NotFoundError(`no job with id ${JSON.stringify(id)}`);
}

/** Job ids a client may choose: they become Redis key parts, so only plain characters. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** True when `id` is a job id a client may choose. BullMQ reserves ids made of digits only. */
export function isValidJobId(id: string): boolean {
  return JOB_ID.test(id) && !/^\d+$/.test(id);
}

/**
 * The failure carried by a job-level error: JobFailedError's own, a
 * cancellation, or `internal` for anything else (its message is kept for
 * the logs; clients see only that the job failed).
 */
export function failureOf(err: unknown): JobFailure {
  if (err instanceof JobFailedError) return err.failure;
  const e = err as { name?: string; kind?: string; message?: string } | null;
  if (e?.name === 'CallAbortedError' && e.kind === 'cancelled') return { kind: 'cancelled', message: 'job cancelled' };
  return { kind: 'internal', message: e?.message ?? String(err) };
}
