/**
 * Records plan history from the planner's reports of its calls' outcomes
 * (plan-outcome.ts): who called (the principal the auth interceptor
 * attached), which domain, the outcome, the plan's length and the time.
 * Recording only queues (PlanHistory batches the writes). An observer, not
 * an interceptor: wrapping every planning call in an intercepting call cost
 * a third of a small Plan call's server time.
 */
import type { PlanObserver } from './plan-outcome.js';
import type { PlanHistory } from '../data/index.js';

/** Finds a domain's id and name from a reference (id, name, name@version); undefined when unknown. */
export type DomainResolver = (ref: string) => { id: string; name: string } | undefined;

/** The observer; `resolve` names domains (the server's registry). */
export function planHistoryObserver(history: PlanHistory, resolve: DomainResolver): PlanObserver {
  return (o) => {
    const ref = o.domainId || o.domainRef;
    const known = ref ? resolve(ref) : undefined;
    history.record({
      username: o.username,
      method: o.method, domainId: known?.id ?? o.domainId ?? '', domainName: known?.name ?? ref,
      status: o.status, planLength: o.planLength, durationMs: o.durationMs,
    });
  };
}
