/**
 * QueueService's logic, independent of the transport: resolves the domain
 * when a job is submitted (so that the job plans in that exact version
 * whatever is registered later), checks the job's shape, and hands the rest
 * to the JobQueue. Failures are typed errors; the gRPC layer maps them.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { DomainEntry, CallPlanOptions } from '../engine/index.js';
import type { ProblemSource } from '../../pool/index.js';
import type { JobEvent, JobFilter, JobInfo, JobQueue } from './job-types.js';
import { isValidJobId } from './queue-errors.js';

/** The most problems one job may hold. */
export const MAX_JOB_PROBLEMS = 10_000;

/** What SubmitPlanJob asks for, decoded. */
export interface SubmitCall {
  /** An id, a name or name@version. */
  domain: string;
  /** Problems, or JSON text that the worker parses (its errors name the field `problem_json`). */
  problems: ProblemSource[];
  options: CallPlanOptions;
  /** A client-chosen job id (idempotent submission). */
  jobId?: string;
  /** The caller ("" when authentication is off). */
  username: string;
}

/** Resolves domain references: the planner service's registry fits. */
export interface DomainResolver {
  resolve(ref: string, field?: string): DomainEntry;
}

/** Submitting, reading, watching, cancelling and listing planning jobs. */
export class PlanJobService {
  constructor(
    private readonly domains: DomainResolver,
    /** The queue jobs go to. */
    readonly queue: JobQueue,
  ) {}

  /** Queues a job. Throws InvalidArgumentError (bad shape), NotFoundError (unknown domain). */
  async submit(call: SubmitCall): Promise<{ job: JobInfo; created: boolean }> {
    if (call.problems.length === 0) throw new InvalidArgumentError('problems', 'give at least one problem');
    if (call.problems.length > MAX_JOB_PROBLEMS) throw new InvalidArgumentError('problems', `at most ${MAX_JOB_PROBLEMS} problems per job, got ${call.problems.length}`);
    if (call.options.traceLevel) throw new InvalidArgumentError('options.trace_level', 'jobs keep no traces: use 0 here, or the Trace call');
    if (call.jobId !== undefined && !isValidJobId(call.jobId)) {
      throw new InvalidArgumentError('job_id', 'use 1 to 128 letters, digits and - _ . : (starting with a letter or digit, not digits only)');
    }
    const entry = this.domains.resolve(call.domain);
    return this.queue.submit({
      domain: { id: entry.id, name: entry.name, version: entry.version },
      domainJson: entry.domainJson,
      problems: call.problems,
      options: call.options,
      username: call.username,
      jobId: call.jobId,
    });
  }

  /** One job with its results so far (NotFoundError for an unknown id). */
  get(id: string): Promise<JobInfo> {
    return this.queue.get(checkId(id));
  }

  /** The job's progress, then the ended job. */
  watch(id: string, signal?: AbortSignal): AsyncIterable<JobEvent> {
    return this.queue.watch(checkId(id), signal);
  }

  /** Cancels a job that has not ended. */
  cancel(id: string): Promise<{ job: JobInfo; cancelled: boolean }> {
    return this.queue.cancel(checkId(id));
  }

  /** Recent jobs, newest first. */
  list(filter: JobFilter): Promise<JobInfo[]> {
    return this.queue.list(filter);
  }
}

function checkId(id: string): string {
  if (!id) throw new InvalidArgumentError('job_id', 'must name a job');
  return id;
}
