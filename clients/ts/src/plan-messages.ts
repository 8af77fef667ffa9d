/**
 * Planning requests and answers between the planner's JSON form and the
 * protobuf messages, shared by the planner calls and the job queue.
 */
import { PlanRequest, PlanStatus, TraceEventKind, type PlanOptions, type PlanResponse } from './gen/aria/planner/v1/planner.js';
import type { CallSettings } from './call-settings.js';
import { fromStep, fromValue, toState, toTodo, type JsonValue, type Problem } from './values.js';

/** Options of planning calls. */
export interface PlanSettings extends CallSettings {
  verifyGoals?: boolean;
  /** 0 (none) to 3 (every method tried). */
  traceLevel?: number;
  maxExpansions?: number;
  maxDepth?: number;
  maxPlanLength?: number;
  /** The planner's own wall-clock budget. */
  timeoutMs?: number;
  maxMemoryBytes?: number;
}

/** Counters of one planning call. */
export interface PlanStats {
  expansions: number;
  backtracks: number;
  maxDepth: number;
  peakMemoryBytes: number;
}

/** One trace event (kind names as in the planner library). */
export interface TraceEvent {
  kind: string;
  depth: number;
  method?: string;
  item?: JsonValue;
}

/** A planning answer. Failures (domain bugs, limits, bad input) reject with AriaError instead. */
export type PlanOutcome =
  | { status: 'plan'; plan: JsonValue[][]; stats: PlanStats; trace: TraceEvent[]; domainId: string }
  | { status: 'no_plan'; stats: PlanStats; trace: TraceEvent[]; domainId: string };

const TRACE_KINDS: Record<number, string> = {
  [TraceEventKind.TRACE_EVENT_KIND_TODO]: 'todo', [TraceEventKind.TRACE_EVENT_KIND_METHOD_TRIED]: 'method_tried',
  [TraceEventKind.TRACE_EVENT_KIND_METHOD_FAILED]: 'method_failed', [TraceEventKind.TRACE_EVENT_KIND_ACTION_APPLIED]: 'action_applied',
  [TraceEventKind.TRACE_EVENT_KIND_ACTION_FAILED]: 'action_failed', [TraceEventKind.TRACE_EVENT_KIND_GOAL_ACHIEVED]: 'goal_achieved',
  [TraceEventKind.TRACE_EVENT_KIND_GOAL_VERIFIED]: 'goal_verified', [TraceEventKind.TRACE_EVENT_KIND_BACKTRACK]: 'backtrack',
  [TraceEventKind.TRACE_EVENT_KIND_RESULT]: 'result',
};

/** The PlanOptions message of `s` (a problem's own verify_goals when `s` does not say). */
export function planOptions(s: PlanSettings, problem?: Problem): PlanOptions {
  return {
    verifyGoals: s.verifyGoals ?? problem?.verify_goals,
    traceLevel: s.traceLevel ?? 0,
    limits: {
      maxExpansions: s.maxExpansions ?? 0, maxDepth: s.maxDepth ?? 0, maxPlanLength: s.maxPlanLength ?? 0,
      timeoutMs: s.timeoutMs ?? 0, maxMemoryBytes: s.maxMemoryBytes ?? 0,
    },
  };
}

/** A PlanRequest for one problem. */
export function planRequest(domain: string, problem: Problem, s: PlanSettings): PlanRequest {
  return PlanRequest.fromPartial({ domain, state: toState(problem.state), todo: toTodo(problem.todo), options: planOptions(s, problem) });
}

/** A PlanResponse as a PlanOutcome. */
export function outcome(r: PlanResponse): PlanOutcome {
  const stats = r.stats ?? { expansions: 0, backtracks: 0, maxDepth: 0, peakMemoryBytes: 0 };
  const trace = r.trace.map(traceEvent);
  if (r.status === PlanStatus.PLAN_STATUS_PLAN) return { status: 'plan', plan: r.plan.map(fromStep), stats, trace, domainId: r.domainId };
  return { status: 'no_plan', stats, trace, domainId: r.domainId };
}

/** A trace event message as a TraceEvent. */
export function traceEvent(t: { kind: number; depth: number; method: string; item?: Parameters<typeof fromValue>[0] }): TraceEvent {
  const e: TraceEvent = { kind: TRACE_KINDS[t.kind] ?? 'unknown', depth: t.depth };
  if (t.method) e.method = t.method;
  if (t.item) e.item = fromValue(t.item);
  return e;
}
