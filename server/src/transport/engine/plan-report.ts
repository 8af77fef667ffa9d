/**
 * Reports each planning call's outcome to the engine's PlanObserver (plan
 * history), so that the planner service knows nothing about history. The
 * handlers report answers (a plan or no plan) and the failures that are
 * planning outcomes (FAILED_PRECONDITION: a domain bug; RESOURCE_EXHAUSTED
 * or DEADLINE_EXCEEDED: a limit); bad requests are not planning calls and
 * are not reported. Reporting happens after the answer is sent and must be
 * cheap; it never fails a call.
 */
import { status } from '@grpc/grpc-js';
import { PlanStatus, type PlanResponse } from '../../../../gen/ts/aria/planner/v1/planner.js';
import type { PlanObserver, PlanOutcome } from '../../services/engine/index.js';
import type { CallOutcome, HandlerContext } from '../handler.js';

/** The outcome a failed call's status code stands for, if it is a planning outcome. */
export function failureOutcome(code: number): 'error' | 'limit' | undefined {
  if (code === status.FAILED_PRECONDITION) return 'error';
  if (code === status.RESOURCE_EXHAUSTED || code === status.DEADLINE_EXCEEDED) return 'limit';
  return undefined;
}

/** Tells the observer, if any, how one planning call ended. */
export function report(
  observe: PlanObserver | undefined,
  base: { method: PlanOutcome['method']; call: HandlerContext; domainRef: string; started: number },
  result: CallOutcome<PlanResponse>,
): void {
  if (!observe) return;
  try {
    const durationMs = performance.now() - base.started;
    const { method, domainRef } = base;
    const username = base.call.principal?.username ?? '';
    if ('response' in result) {
      const r = result.response;
      observe({
        method, username, domainRef, domainId: r.domainId, status: r.status === PlanStatus.PLAN_STATUS_PLAN ? 'plan' : 'no_plan', planLength: r.plan.length, durationMs,
        expansions: r.stats?.expansions, backtracks: r.stats?.backtracks,
      });
      return;
    }
    const outcome = failureOutcome(result.code);
    if (outcome) observe({ method, username, domainRef, status: outcome, planLength: 0, durationMs });
  } catch {
    // A record must never break a call.
  }
}
