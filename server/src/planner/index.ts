/**
 * The planner library: load a domain once, plan many times.
 *
 * ```ts
 * const domain = await loadDomain(text);              // parse, validate, compile
 * const result = domain.plan({ state, todo });         // synchronous, in this thread
 * ```
 */
export * from './types.js';
export type { Domain } from './language/ast.js';
export { DomainError, LimitError, PlanningError } from './errors.js';
export { InvalidArgumentError } from '../core/errors.js';
export { loadDomain, DomainHandle } from './domain-handle.js';
export { builtinDomainNames, readBuiltinDomain } from './builtin-domains.js';
export { type Pos, type ActionDecl, type Expr, type Stmt, type ConstDecl, type FunctionDecl, type MethodDecl, type TaskDecl } from './language/ast.js';
export { importLibrary, DEFAULT_LIBRARY_URL, type DomainHandleLike, type PlannerLibrary } from './library.js';
export { PLAN_DEFAULTS } from './runtime/engine.js';
export { parseOrderedJson } from './language/ordered-json.js';
export type * as ast from './language/ast.js';
