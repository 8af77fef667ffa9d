/** The face of engine: everything other folders may use. */
export { DomainRegistry, type DomainEntry, type DomainSource } from './domain-registry.js';
export { FileDomainStore, MemoryDomainStore, type DomainStore } from './domain-store.js';
export { planHistoryObserver } from './plan-history-observer.js';
export { PlannerService, MAX_APPLY_ACTIONS, type CallPlanOptions, type PlanCall, type PlanAnswer } from './planner-service.js';
export { importFileDomains, SqlDomainStore } from './sql-domain-store.js';
export { lazyLookahead, type CommandReport } from './lazy-lookahead.js';
export type { PlanObserver, PlanOutcome } from './plan-outcome.js';
