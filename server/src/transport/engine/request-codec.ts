/**
 * Decoding of PlannerService requests into the service's plain inputs. The
 * exact input checks live here, at the edge: each failure is a
 * InvalidArgumentError whose field is the request's own (snake_case) path.
 */
import { OptimizeMetric, type PlanRequest, type PlanOptions as PbPlanOptions, type RegisterDomainRequest } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { domainFromProto } from './domain-from-proto.js';
import type { DomainSource, CallPlanOptions, PlanCall } from '../../services/engine/index.js';
import type { ProblemSource } from '../../pool/index.js';
import type { DeferredPlanRequest } from './deferred-plan-request.js';
import { stateToJson, todoToJson } from '../../pool/index.js';

/** The highest trace level. */
export const MAX_TRACE_LEVEL = 3;

/** RegisterDomain's source: text or data. */
export function decodeRegisterRequest(req: RegisterDomainRequest): DomainSource {
  const source = req.source;
  if (source === undefined) throw new InvalidArgumentError('source', 'give the domain as `domain` (data) or `text`');
  if (source.$case === 'text') return { text: source.text, file: req.file || undefined };
  return { domain: domainFromProto(source.domain) };
}

/**
 * A PlanRequest as a planning call. `prefix` is the request's path inside
 * its envelope (such as `problem.` in TraceRequest); `defaultTraceLevel`
 * replaces a trace level of 0.
 */
export function decodePlanRequest(req: DeferredPlanRequest, prefix = '', defaultTraceLevel = 0): PlanCall {
  let problem: ProblemSource;
  if (req.problemJson) {
    const field = `${prefix}problem_json`;
    if (req.state !== undefined || req.todo.length > 0 || req.deferred) throw new InvalidArgumentError(field, 'give either problem_json or state and todo, not both');
    problem = { json: req.problemJson, field };
  } else if (req.deferred) {
    // Decoded on the worker that plans it (deferred-plan-request.ts).
    problem = { pbState: req.deferred.pbState, pbTodo: req.deferred.pbTodo, prefix };
  } else {
    problem = { state: stateToJson(req.state, `${prefix}state`), todo: todoToJson(req.todo, `${prefix}todo`) };
  }
  return { domain: req.domain, problem, options: decodeOptions(req.options, `${prefix}options`, defaultTraceLevel) };
}

/** PlanOptions as the planner's options; `field` names them in errors (`options`). */
export function decodeOptions(o: PbPlanOptions | undefined, field: string, defaultTraceLevel: number): CallPlanOptions {
  const traceLevel = o?.traceLevel || defaultTraceLevel;
  if (traceLevel > MAX_TRACE_LEVEL) throw new InvalidArgumentError(`${field}.trace_level`, `must be 0 to ${MAX_TRACE_LEVEL}`);
  const out: CallPlanOptions = { traceLevel };
  // Unset: the library takes the problem's verify_goals, else true.
  if (o?.verifyGoals !== undefined) out.verifyGoals = o.verifyGoals;
  const l = o?.limits;
  if (l?.maxExpansions) out.maxExpansions = l.maxExpansions;
  if (l?.maxDepth) out.maxDepth = l.maxDepth;
  if (l?.maxPlanLength) out.maxPlanLength = l.maxPlanLength;
  if (l?.timeoutMs) out.timeoutMs = l.timeoutMs;
  if (l?.maxMemoryBytes) out.maxMemoryBytes = l.maxMemoryBytes;
  const opt = o?.optimize;
  if (opt !== undefined) {
    if (opt.metric !== OptimizeMetric.OPTIMIZE_METRIC_COST) throw new InvalidArgumentError(`${field}.optimize.metric`, 'must be OPTIMIZE_METRIC_COST (the only metric)');
    out.optimize = { metric: 'cost' };
    if (opt.budgetMs) out.optimize.budgetMs = opt.budgetMs;
    if (opt.budgetExpansions) out.optimize.budgetExpansions = opt.budgetExpansions;
  }
  return out;
}
