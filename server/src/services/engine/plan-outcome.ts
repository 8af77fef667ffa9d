/**
 * The outcome of each planning call, handed to whoever keeps a record of
 * them (plan history). The transport reports it (transport/engine/plan-report.ts).
 */

/** One planning call, as an observer sees it. */
export interface PlanOutcome {
  method: 'Plan' | 'PlanStream' | 'Trace';
  /** Who called ('' when authentication is off or no interceptor ran). */
  username: string;
  /** The domain as the request named it (an id, a name or name@version). */
  domainRef: string;
  /** The resolved domain's id, when the call got that far. */
  domainId?: string;
  status: 'plan' | 'no_plan' | 'error' | 'limit';
  planLength: number;
  durationMs: number;
  /** Search expansions and backtracks, when the call was answered (a plan or no plan). */
  expansions?: number;
  backtracks?: number;
}

/** Told about each planning call's outcome; must not throw. */
export type PlanObserver = (outcome: PlanOutcome) => void;
