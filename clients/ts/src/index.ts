/**
 * aria-planner-client: a TypeScript client of every Aria service. AriaClient
 * holds the planner's calls and `auth`, `secrets`, `data` and `queue`; it
 * sends a fixed token or a login session's. DomainBuilder, `e` and `s`
 * build domains as data.
 */
export { AriaClient } from './client.js';
export type { ActOutcome, AriaClientOptions, CallSettings, DomainInfo, PlanOutcome, PlanSettings, PlanStats, RemoteExecutor, TraceEvent } from './client.js';
export { AuthApi, type RoleName, type TokenPair, type User, type UserChanges } from './auth-api.js';
export { SecretsApi, type SecretMetadata } from './secrets-api.js';
export { DataApi, type PlanHistoryQuery, type PlanRecord } from './data-api.js';
export { QueueApi, type Job, type JobEvent, type JobStateName } from './queue-api.js';
export type { LoginCredentials, TokenOption } from './token-source.js';
export { AriaError, type AriaErrorCode } from './errors.js';
export { DomainBuilder, MethodsBuilder, e, s, type ExprLike } from './domain-builder.js';
export { fromState, fromStep, fromValue, toState, toStep, toTodo, toValue } from './values.js';
export type { JsonState, JsonValue, Problem, TodoItem } from './values.js';
export type { Domain } from './gen/aria/planner/v1/domain.js';
