/**
 * Decoding of QueueService requests into the job service's plain inputs.
 * Problems and options go through the planner service's own decoder, so a
 * job checks its input exactly as Plan does; field names in errors are the
 * request's (problems[3].state.vars, options.trace_level).
 */
import { PlanRequest } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { JobState as PbJobState, type ListJobsRequest, type SubmitPlanJobRequest } from '../../../../gen/ts/aria/queue/v1/queue.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { ProblemSource } from '../../pool/index.js';
import { decodePlanRequest } from '../engine/request-codec.js';
import type { JobFilter, JobState, SubmitCall } from '../../services/queue/index.js';

const STATES: Record<JobState, PbJobState> = {
  queued: PbJobState.JOB_STATE_QUEUED,
  running: PbJobState.JOB_STATE_RUNNING,
  completed: PbJobState.JOB_STATE_COMPLETED,
  failed: PbJobState.JOB_STATE_FAILED,
  cancelled: PbJobState.JOB_STATE_CANCELLED,
};

/** A JobState as its protobuf enum value. */
export function encodeJobState(state: JobState): PbJobState {
  return STATES[state];
}

/** A protobuf JobState as the queue's; undefined for UNSPECIFIED. */
export function decodeJobState(state: PbJobState, field: string): JobState | undefined {
  if (state === PbJobState.JOB_STATE_UNSPECIFIED) return undefined;
  const found = (Object.keys(STATES) as JobState[]).find((k) => STATES[k] === state);
  if (!found) throw new InvalidArgumentError(field, `unknown job state ${state}`);
  return found;
}

/** SubmitPlanJob's request as a SubmitCall. */
export function decodeSubmitRequest(req: SubmitPlanJobRequest, username: string): SubmitCall {
  // The options alone, against an empty problem: verify_goals then comes only
  // from the options, and each problem keeps its own JSON verify_goals.
  const { options } = decodePlanRequest(PlanRequest.fromPartial({ options: req.options }));
  const problems = req.problems.map((p, i): ProblemSource => {
    if (!p.problemJson) return decodePlanRequest(PlanRequest.fromPartial({ state: p.state, todo: p.todo }), `problems[${i}].`).problem;
    if (p.state !== undefined || p.todo.length > 0) throw new InvalidArgumentError(`problems[${i}].problem_json`, 'give either problem_json or state and todo, not both');
    // Parsed by the worker that plans it, like Plan's problem_json; its errors
    // name `problem_json`, which the answer places under problems[i].
    return { json: p.problemJson, field: 'problem_json' };
  });
  return { domain: req.domain, problems, options, jobId: req.jobId || undefined, username };
}

/** ListJobs' request as a filter. */
export function decodeListRequest(req: ListJobsRequest): JobFilter {
  return { state: decodeJobState(req.state, 'state'), limit: req.limit || undefined, domainName: req.domainName || undefined };
}
