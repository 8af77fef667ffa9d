/**
 * A compiled domain ready to plan: the handle, without the parser, validator
 * or compiler (domain-handle.ts loads those), so that a domain read from the
 * compiled-domain cache plans without loading them. Each handle owns one
 * engine instance, so a handle serves one call at a time (the worker pool
 * gives each worker its own handles).
 */
import { createHash } from 'node:crypto';
import type { Domain } from '../language/ast.js';
import type { CompiledDomain } from '../compile/compiled-domain.js';
import { Engine } from './engine.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { ActResult, Executor, JsonState, JsonValue, PlanOptions, PlanResult, Problem } from '../types.js';

/**
 * The domain with source positions dropped and every object's keys sorted:
 * what its identity is made of. Sorted, because a model kept in a jsonb
 * column comes back with its keys in another order, and the id must name
 * the same content after a restart.
 */
export function canonicalDomain(d: Domain): unknown {
  return JSON.parse(JSON.stringify(d, (k, v) => {
    if (k === 'pos') return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  }));
}

/** Hex SHA-256 of the canonical domain (DomainHandle.hash). */
export function domainHash(d: Domain): string {
  return createHash('sha256').update(JSON.stringify(canonicalDomain(d))).digest('hex');
}

/** Options of lazy-lookahead acting. */
export interface ActOptions extends PlanOptions {
  /** Runs each command; default: the domain's command (or action) applied to the state. */
  executor?: Executor;
  /** How many times to plan (GTPyhop's max_tries, default 10). */
  maxTries?: number;
}

/** A compiled domain ready to plan. */
export class DomainHandle {
  /** Hex SHA-256 of the canonical domain: equal domains share it. */
  readonly hash: string;
  private readonly engine: Engine;

  /** hash: the domain's hash when already known (the compiled-domain cache keeps it), else computed here. */
  constructor(readonly domain: Domain, readonly compiled: CompiledDomain, hash?: string) {
    this.hash = hash ?? domainHash(domain);
    this.engine = new Engine(compiled);
  }

  get name(): string { return this.domain.name; }

  /** Drops this handle's engine instance; the handle must not be used afterwards. */
  dispose(): void { (this as unknown as { engine?: Engine }).engine = undefined; }

  /** Plans one problem; malformed input throws InvalidArgumentError, every other outcome is a result. */
  plan(problem: Problem, options: PlanOptions = {}): PlanResult {
    checkProblem(problem);
    return this.engine.plan(problem, options);
  }

  /** Executes one command on a state (acting); false when it is not applicable. `actionsFirst`: the action before the command of that name. */
  execute(command: JsonValue[], state: JsonState, actionsFirst = false): JsonState | false {
    return this.engine.execute(command, state, actionsFirst);
  }

  /**
   * GTPyhop's run_lazy_lookahead: plan, execute the plan's commands until
   * one fails, then plan again from the state reached, up to maxTries plans.
   * Unlike GTPyhop 1.1 it always replans after a failed command.
   */
  async act(problem: Problem, options: ActOptions = {}): Promise<ActResult> {
    checkProblem(problem);
    const maxTries = options.maxTries ?? 10;
    if (!Number.isInteger(maxTries) || maxTries < 1) throw new InvalidArgumentError('max_tries', 'must be a positive integer');
    const exec: Executor = options.executor ?? ((cmd, st) => this.execute(cmd, st));
    let state: JsonState = structuredClone(problem.state);
    const executed: JsonValue[][] = [];
    for (let tries = 1; tries <= maxTries; tries++) {
      const r = this.plan({ state, todo: problem.todo, verify_goals: problem.verify_goals }, options);
      if (r.status !== 'plan') {
        const message = r.status === 'error' || r.status === 'limit' ? r.message : 'find_plan found no plan';
        return { status: r.status, state, executed, tries, message };
      }
      if (r.plan.length === 0) return { status: 'done', state, executed, tries };
      for (const action of r.plan) {
        const next = await exec(action, state);
        if (next === false) break;
        state = next;
        executed.push(action);
      }
    }
    return { status: 'max_tries', state, executed, tries: maxTries, message: `gave up after ${maxTries} tries` };
  }
}

function checkProblem(p: Problem): void {
  if (p === null || typeof p !== 'object') throw new InvalidArgumentError('problem', 'must be an object with state and todo');
  if (p.state === undefined) throw new InvalidArgumentError('state', 'is required');
  if (!Array.isArray(p.todo)) throw new InvalidArgumentError('todo', 'must be a list of todo items');
  if (p.verify_goals !== undefined && typeof p.verify_goals !== 'boolean') throw new InvalidArgumentError('verify_goals', 'must be a boolean');
}

