/**
 * GTPyhop's run_lazy_lookahead on the reference planner, with Aria's fix
 * (README.md: it always replans after a failed command): plan, execute the
 * plan's commands until one fails, plan again from the state reached.
 */
import type { JsonState, JsonValue, Problem } from '../../../server/src/planner/types.js';
import { runBody } from './run-body.js';
import { fromJson, RefState, stateFromJson } from './state.js';
import { toJson, type Value } from './values.js';
import type { ReferenceDomain } from './index.js';

/** Decides whether the executor fails a command (leaving the state as it was). */
export type CommandFailure = (command: JsonValue[]) => boolean;

/** The outcome of acting, in the fields the conformance cases check. */
export interface ReferenceActResult { status: 'done' | 'no_plan' | 'error' | 'limit' | 'max_tries'; state: JsonState; executed: JsonValue[][] }

/** Lazy lookahead: each command runs its `command` body, else its action's (GTPyhop's c_ prefix lookup). */
export function referenceAct(d: ReferenceDomain, problem: Problem, maxTries: number, fails: CommandFailure): ReferenceActResult {
  let state = stateFromJson(problem.state);
  const executed: JsonValue[][] = [];
  for (let tries = 1; tries <= maxTries; tries++) {
    const r = d.plan({ state: stateToJson(state), todo: problem.todo, verify_goals: problem.verify_goals });
    if (r.status !== 'plan') return { status: r.status, state: stateToJson(state), executed };
    if (r.plan.length === 0) return { status: 'done', state: stateToJson(state), executed };
    for (const step of r.plan) {
      if (fails(step)) break;
      const name = String(step[0]);
      const body = d.domain.commands.find((c) => c.name === name) ?? d.domain.actions.find((a) => a.name === name)!;
      const next = state.copy();
      const args = step.slice(1).map((x) => fromJson(x, 'list'));
      if (runBody(d.ctx, next, 'action', name, body.params, body.body, args).k === 'fail') break;
      state = next;
      executed.push(step);
    }
  }
  return { status: 'max_tries', state: stateToJson(state), executed };
}

/** A state in the conformance encoding (symbol keys as an object, integer keys under __intkeys__, scalars bare). */
export function stateToJson(s: RefState): JsonState {
  const out: JsonState = {};
  for (const [name, d] of s.vars) {
    const entries = [...d.values()];
    if (entries.length === 1 && entries[0].key === null) { out[name] = toJson(entries[0].value); continue; }
    if (entries.every((e) => typeof e.key === 'string')) {
      out[name] = Object.fromEntries(entries.map((e) => [e.key as string, toJson(e.value)]));
    } else if (entries.every((e) => typeof e.key === 'number')) {
      out[name] = { __intkeys__: entries.map((e) => [e.key as number, toJson(e.value)]) };
    } else {
      out[name] = { __pairs__: entries.map((e) => [toJson(e.key as Value), toJson(e.value)]) };
    }
  }
  return out;
}
