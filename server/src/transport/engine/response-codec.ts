/** Encoding of the service's results as PlannerService responses. */
import {
  PlanStatus, TraceEventKind, type DomainInfo, type PlanResponse, type PlanStats as PbPlanStats, type TraceEvent as PbTraceEvent,
} from '../../../../gen/ts/aria/planner/v1/planner.js';
import type { PlanStats, TraceEvent, TraceEventKind as Kind } from '../../planner/index.js';
import type { DomainEntry, PlanAnswer } from '../../services/engine/index.js';
import { jsonToStep, jsonToValue } from '../../pool/index.js';

const TRACE_KINDS: Record<Kind, TraceEventKind> = {
  todo: TraceEventKind.TRACE_EVENT_KIND_TODO,
  method_tried: TraceEventKind.TRACE_EVENT_KIND_METHOD_TRIED,
  method_failed: TraceEventKind.TRACE_EVENT_KIND_METHOD_FAILED,
  action_applied: TraceEventKind.TRACE_EVENT_KIND_ACTION_APPLIED,
  action_failed: TraceEventKind.TRACE_EVENT_KIND_ACTION_FAILED,
  goal_achieved: TraceEventKind.TRACE_EVENT_KIND_GOAL_ACHIEVED,
  goal_verified: TraceEventKind.TRACE_EVENT_KIND_GOAL_VERIFIED,
  backtrack: TraceEventKind.TRACE_EVENT_KIND_BACKTRACK,
  result: TraceEventKind.TRACE_EVENT_KIND_RESULT,
};

/** A registry entry as DomainInfo. */
export function encodeDomainInfo(e: DomainEntry): DomainInfo {
  return { id: e.id, name: e.name, version: e.version, builtin: e.builtin, createdUnixMs: e.createdUnixMs };
}

/** Planning counters as PlanStats. */
export function encodeStats(s: PlanStats | undefined): PbPlanStats | undefined {
  return s && { expansions: s.expansions, backtracks: s.backtracks, maxDepth: s.maxDepth, peakMemoryBytes: s.peakMemoryBytes };
}

/** One trace event. */
export function encodeTraceEvent(t: TraceEvent): PbTraceEvent {
  return {
    kind: TRACE_KINDS[t.kind] ?? TraceEventKind.TRACE_EVENT_KIND_UNSPECIFIED,
    depth: t.depth,
    method: t.method ?? '',
    item: t.item === undefined ? undefined : jsonToValue(t.item, 'trace.item'),
  };
}

/** A plan or no plan as PlanResponse; `withTrace: false` leaves the trace out (Trace streams it). */
export function encodePlanAnswer(entry: DomainEntry, answer: PlanAnswer, withTrace = true): PlanResponse {
  return {
    status: answer.status === 'plan' ? PlanStatus.PLAN_STATUS_PLAN : PlanStatus.PLAN_STATUS_NO_PLAN,
    plan: answer.status === 'plan' ? answer.plan.map((step, i) => jsonToStep(step, `plan[${i}]`)) : [],
    stats: encodeStats(answer.stats),
    trace: withTrace ? (answer.trace ?? []).map(encodeTraceEvent) : [],
    domainId: entry.id,
    cost: answer.status === 'plan' ? answer.cost ?? answer.plan.length : 0,
    anytime: answer.status === 'plan' && answer.anytime ? { ...answer.anytime, stoppedBy: answer.anytime.stoppedBy ?? '' } : undefined,
  };
}
