/**
 * aria-planner-client: a TypeScript client of the Aria planner service.
 * AriaClient wraps the generated gRPC client (exported as `raw` for
 * everything else); DomainBuilder, `e` and `s` build domains as data.
 */
export { AriaClient } from './client.js';
export type { ActOutcome, AriaClientOptions, CallSettings, DomainInfo, PlanOutcome, PlanSettings, PlanStats, RemoteExecutor, TraceEvent } from './client.js';
export { AriaError, type AriaErrorCode } from './errors.js';
export { DomainBuilder, MethodsBuilder, e, s, type ExprLike } from './domain-builder.js';
export { fromState, fromStep, fromValue, toState, toStep, toTodo, toValue } from './values.js';
export type { JsonState, JsonValue, Problem, TodoItem } from './values.js';
export type { Domain } from './gen/aria/planner/v1/domain.js';
