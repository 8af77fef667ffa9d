/** The face of pool: everything other folders may use. */
export { InlinePlanner, type InlineOptions } from './inline-planner.js';
export { PlannerPool, type PoolDomain } from './planner-pool.js';
export { jsonToState, jsonToTodo, stepToJson, valueToJson, jsonToStep, stateToJson, todoToJson, jsonToValue } from './value-proto.js';
export { resolveProblem, type ProblemSource } from './problem-source.js';
