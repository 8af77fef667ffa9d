/**
 * HDDL input for the planner: parse domains and problems, plan them with
 * the WASM engine, write and verify plans in the IPC 2020 format.
 *
 * ```ts
 * const r = solveHddl(domainText, problemText, { timeoutMs: 10_000 });
 * if (r.plan) console.log(writeIpcPlan(r.plan));
 * ```
 */
export type * from './hddl-ast.js';
export { parseHddlDomain } from './parse-hddl-domain.js';
export { parseHddlProblem } from './parse-hddl-problem.js';
export { checkHddlDomain, checkHddlProblem } from './check-hddl.js';
export { mapHddl, type MapOptions, type MappedHddl } from './map-hddl.js';
export type { LoopCheck } from './map-context.js';
export { solveHddl, planHddl, type HddlOptions, type HddlResult } from './solve.js';
export { decompose, writeIpcPlan, spellingOf, type HddlPlan, type PlanStep, type TaskNode } from './decompose.js';
export { readIpcPlan, PlanFormatError } from './ipc-plan.js';
export { verifyPlan, verifyIpcPlan, type VerifyResult } from './verify-plan.js';
export { printDomain } from './print-aria.js';
