/** The face of pool: everything other folders may use. */
export { InlinePlanner, type InlineOptions } from './inline-planner.js';
export { PlannerPool, type PoolDomain } from './planner-pool.js';
export { jsonToState, jsonToTodo, stepToJson, valueToJson, jsonToStep, stateToJson, todoToJson, jsonToValue } from './value-proto.js';
export { isJsonProblem, isProtoProblem, problemFromObject, resolveProblem, type JsonProblem, type ProblemSource, type ProtoProblem } from './problem-source.js';
