/** The face of pool: everything other folders may use. */
export { InlinePlanner, type InlineOptions } from './inline-planner.js';
export { PlannerPool, type PoolDomain } from './planner-pool.js';
