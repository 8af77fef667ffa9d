/**
 * The face of workflow: SOP documents (validated, compiled to planning
 * domains, stored by revision) and runs that execute them step by step,
 * persisted, repaired and resumable. docs/workflow.md describes the format.
 */
export type { Sop, Command, CommandKind, Condition, Method, Task, SopMetadata, SopValue } from './sop-types.js';
export { COMMAND_KINDS } from './sop-types.js';
export { validateSop, checkSop, MAX_SOP_BYTES, MAX_WAIT_MS } from './validate-sop.js';
export { compileSop, sopDomainText, planSop, type CompiledSop, type SopPlan } from './compile-sop.js';
export { type CommandConfig, type PlanFn, HTTP_BODY_LIMIT } from './commands.js';
export { type StepEvent, type RunEvent, type WorkflowEvent, isFinal, stepEvent } from './run-events.js';
export type { RunRecord, StepRecord, RunStatus, StepStatus, StoredSop } from './workflow-repo.js';
export { WorkflowService } from './workflow-service.js';
export type { WorkflowOptions, StartRun, Approval } from './workflow-types.js';
