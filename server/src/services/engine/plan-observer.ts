/**
 * The outcome of each planning call, handed to whoever keeps a record of
 * them (the data service's plan history), so that the planner service
 * knows nothing about history. The handlers report answers (a plan or no
 * plan) and the failures that are planning outcomes (FAILED_PRECONDITION:
 * a domain bug; RESOURCE_EXHAUSTED or DEADLINE_EXCEEDED: a limit); bad
 * requests are not planning calls and are not reported. Reporting happens
 * after the answer is sent and must be cheap; it never fails a call.
 */
import { status, type Metadata } from '@grpc/grpc-js';
import { PlanStatus, type PlanResponse } from '../../../../gen/ts/aria/planner/v1/planner.js';

/** One planning call's outcome. */
export interface PlanOutcome {
  method: 'Plan' | 'PlanStream' | 'Trace';
  /** The call's request metadata (whose principal the auth interceptor attached). */
  metadata: Metadata;
  /** The domain as the request named it (an id, a name or name@version). */
  domainRef: string;
  /** The resolved domain's id, when the call got that far. */
  domainId?: string;
  status: 'plan' | 'no_plan' | 'error' | 'limit';
  planLength: number;
  durationMs: number;
}

/** Told about each planning call's outcome. */
export type PlanObserver = (outcome: PlanOutcome) => void;

/** The outcome status of a failed call; undefined for failures that are not planning outcomes. */
export function failureOutcome(code: number): 'error' | 'limit' | undefined {
  if (code === status.FAILED_PRECONDITION) return 'error';
  if (code === status.RESOURCE_EXHAUSTED || code === status.DEADLINE_EXCEEDED) return 'limit';
  return undefined;
}

/** Reports an answer or a failure (by its status code) to the observer, if any; never throws. */
export function report(
  observe: PlanObserver | undefined,
  base: Pick<PlanOutcome, 'method' | 'metadata' | 'domainRef'> & { started: number },
  result: { response: PlanResponse } | { code: number },
): void {
  if (!observe) return;
  try {
    const durationMs = performance.now() - base.started;
    const { method, metadata, domainRef } = base;
    if ('response' in result) {
      const r = result.response;
      observe({ method, metadata, domainRef, domainId: r.domainId, status: r.status === PlanStatus.PLAN_STATUS_PLAN ? 'plan' : 'no_plan', planLength: r.plan.length, durationMs });
      return;
    }
    const outcome = failureOutcome(result.code);
    if (outcome) observe({ method, metadata, domainRef, status: outcome, planLength: 0, durationMs });
  } catch {
    // A record must never break a call.
  }
}
