/**
 * GTPyhop 1.1's seek_plan, read next to its source (gtpyhop.py:
 * seek_plan, _apply_action_and_continue, _refine_task_and_continue,
 * _refine_unigoal_and_continue, _refine_multigoal_and_continue,
 * m_split_multigoal, _m_verify_g, _m_verify_mg), with the two fixes Aria
 * makes (README.md, "Correct where GTPyhop 1.1 is not"):
 * - each method is tried with the todo list the goal came with: GTPyhop
 *   1.1 rebinds `todo_list` inside its method loop, so a failed goal
 *   method's subgoals leak into the next method's todo list;
 * - no recursion limit on the todo list: an action, an achieved goal and a
 *   verification continue in a loop, only a refinement recurses (it has
 *   alternatives to come back to).
 * Plus Aria's `choose`: a method with choose statements is tried once per
 * combination of bindings, before the next method.
 */
import type { MethodDecl } from '../../../server/src/planner/language/ast.js';
import { DomainBug, type DomainContext } from './domain-context.js';
import { runBody } from './run-body.js';
import { RefState } from './state.js';
import { equals, show, tuple, type Multigoal, type Tuple, type Value } from './values.js';

/** GTPyhop's ('_verify_g', method, var, key, value, depth) and ('_verify_mg', method, mg, depth). */
type Verify =
  | { t: 'verify_g'; method: string; v: string; key: Value; value: Value; depth: number }
  | { t: 'verify_mg'; method: string; mg: Multigoal; depth: number };

/** A todo item: a task, action or unigoal tuple, a multigoal, a verification, or any value a method returned. */
export type Item = Value | Verify;

/** The search ran into its expansion limit. */
export class ExpansionLimit extends Error {}

/** The engine's name of the built-in split method in messages (it has no function index: '#-2'). */
const SPLIT_NAME = '#-2';

/** One planning call. */
export class Search {
  expansions = 0;

  constructor(
    private readonly ctx: DomainContext,
    private readonly verifyGoals: boolean,
    private readonly maxExpansions: number,
  ) {}

  /** Counts a method or action application tried, as the engine does. */
  private expand(): void {
    if (++this.expansions > this.maxExpansions) throw new ExpansionLimit();
  }

  /** seek_plan: the plan (actions as tuples), or false. */
  seekPlan(state0: RefState, todo0: Item[], plan0: Tuple[], depth0: number): Tuple[] | false {
    let state = state0, todo = todo0, plan = plan0, depth = depth0;
    for (;;) {
      if (todo.length === 0) return plan;
      const item = todo[0];
      const rest = todo.slice(1);
      if (isMultigoal(item)) return this.refine('multigoal', this.ctx.domain.multigoals, state, item, rest, plan, depth);
      if (isVerify(item)) {
        this.verify(state, item);
      } else {
        const head = isTuple(item) && item.items.length > 0 ? item.items[0] : null;
        if (typeof head !== 'string') throw notDispatchable(item, depth);
        const action = this.ctx.domain.actions.find((a) => a.name === head);
        const task = this.ctx.domain.tasks.filter((t) => t.name === head).flatMap((t) => t.methods);
        const goal = this.ctx.domain.unigoals.filter((g) => g.var === head).flatMap((g) => g.methods);
        const args = (item as Tuple).items.slice(1);
        if (action) {
          // _apply_action_and_continue: the action changes a copy of the state; failure backtracks.
          this.expand();
          if (args.length !== action.params.length) throw arityError(action.name, action.params.length, item);
          const next = state.copy();
          const r = runBody(this.ctx, next, 'action', action.name, action.params, action.body, args);
          if (r.k === 'fail') return false;
          state = next;
          plan = [...plan, item as Tuple];
        } else if (task.length > 0) {
          return this.refine('task', task, state, item as Tuple, rest, plan, depth);
        } else if (goal.length > 0) {
          if (args.length !== 2) throw new DomainBug(`unigoal ${show(item)} must be (variable, key, value)`);
          // _refine_unigoal_and_continue: a goal that already holds needs no method.
          if (!equals(state.get(head, args[0]), args[1])) return this.refine('unigoal', goal, state, item as Tuple, rest, plan, depth);
        } else {
          throw notDispatchable(item, depth);
        }
      }
      todo = rest;
      depth += 1;
    }
  }

  /** _m_verify_g / _m_verify_mg: a goal method must have achieved its goal. */
  private verify(state: RefState, v: Verify): void {
    if (v.t === 'verify_g') {
      if (!equals(state.get(v.v, v.key), v.value)) {
        throw new DomainBug(`depth ${v.depth}: method ${v.method} didn't achieve goal ${v.v}[${plain(v.key)}] = ${plain(v.value)}`);
      }
    } else if (unachieved(state, v.mg).length > 0) {
      throw new DomainBug(`depth ${v.depth}: method ${v.method} didn't achieve multigoal ${v.mg.name}`);
    }
  }

  /**
   * _refine_{task,unigoal,multigoal}_and_continue: tries each method (each
   * binding of its choose statements) in order; the first whose subtasks
   * lead to a plan wins. Every method is tried on the same `rest`: the
   * todo list the item came with (GTPyhop 1.1's leak fixed).
   */
  private refine(kind: 'task' | 'unigoal' | 'multigoal', methods: MethodDecl[], state: RefState, item: Tuple | Multigoal,
    rest: Item[], plan: Tuple[], depth: number): Tuple[] | false {
    for (const m of methods) {
      for (const subtasks of this.applications(kind, m, state, item)) {
        if (subtasks === false) continue;
        const verification: Item[] = [];
        if (this.verifyGoals && kind === 'unigoal') {
          const [, key, value] = (item as Tuple).items;
          verification.push({ t: 'verify_g', method: m.name, v: (item as Tuple).items[0] as string, key, value, depth });
        } else if (this.verifyGoals && kind === 'multigoal') {
          verification.push({ t: 'verify_mg', method: m.builtin ? SPLIT_NAME : m.name, mg: item as Multigoal, depth });
        }
        const result = this.seekPlan(state, [...subtasks, ...verification, ...rest], plan, depth + 1);
        if (result !== false) return result;
      }
    }
    return false;
  }

  /**
   * The results of applying method m to item, one per binding of its
   * choose statements (a method without any has one): a list of subtasks,
   * or false when not applicable. Lazy, so later bindings are only run when
   * the earlier ones led nowhere.
   */
  private *applications(kind: string, m: MethodDecl, state: RefState, item: Tuple | Multigoal): Generator<Item[] | false> {
    if (m.builtin === 'split_multigoal') {
      this.expand();
      yield splitMultigoal(state, item as Multigoal);
      return;
    }
    const args = kind === 'multigoal' ? [item] : (item as Tuple).items.slice(1);
    let preset: number[] = [];
    for (;;) {
      this.expand();
      if (args.length !== m.params.length) throw arityError(m.name, m.params.length, item);
      const run = { preset, taken: [] as number[], sizes: [] as number[] };
      const r = runBody(this.ctx, state, 'method', m.name, m.params, m.body, args, 0, run);
      yield decomposition(m.name, r.k === 'value' ? r.v : false);
      // The next binding: the last choose with an element left moves on, the ones after it start again.
      let j = run.sizes.length - 1;
      while (j >= 0 && run.taken[j] + 1 >= run.sizes[j]) j--;
      if (j < 0) return;
      preset = [...run.taken.slice(0, j), run.taken[j] + 1];
    }
  }
}

/**
 * A method's answer: a list (or tuple) of todo items; false and nil mean
 * not applicable (GTPyhop's `!= False and != None`); anything else is a
 * domain bug.
 */
function decomposition(method: string, v: Value): Item[] | false {
  if (v === false || v === null) return false;
  if (typeof v === 'object' && (v.t === 'list' || v.t === 'tuple')) return v.items;
  throw new DomainBug(`method ${method} returned ${show(v)}, not a list of todo items`);
}

/** m_split_multigoal: the goals not achieved, as unigoals, then the multigoal again; [] when all hold. */
function splitMultigoal(state: RefState, mg: Multigoal): Item[] {
  const goals = unachieved(state, mg);
  return goals.length === 0 ? [] : [...goals, mg];
}

/** _goals_not_achieved, as a list of (var, key, value) tuples in the multigoal's order. */
function unachieved(state: RefState, mg: Multigoal): Tuple[] {
  const out: Tuple[] = [];
  for (const [v, d] of mg.vars) {
    for (const e of d.values()) if (!equals(state.get(v, e.key), e.value)) out.push(tuple([v, e.key, e.value]));
  }
  return out;
}

function arityError(name: string, n: number, item: Value): DomainBug {
  const given = isTuple(item) ? item.items.length - 1 : 1;
  return new DomainBug(`${name} takes ${n} argument(s), but ${show(item)} gives ${given}`);
}

function notDispatchable(item: Item, depth: number): DomainBug {
  return new DomainBug(`depth ${depth}: ${show(item as Value)} isn't an action, task, unigoal, or multigoal`);
}

/** A goal's key or value as GTPyhop's f-string prints it: a symbol bare, anything else as a value. */
function plain(v: Value): string { return typeof v === 'string' ? v : show(v); }

function isTuple(v: Item): v is Tuple { return v !== null && typeof v === 'object' && v.t === 'tuple'; }
function isMultigoal(v: Item): v is Multigoal { return v !== null && typeof v === 'object' && v.t === 'mg'; }
function isVerify(v: Item): v is Verify { return v !== null && typeof v === 'object' && (v.t === 'verify_g' || v.t === 'verify_mg'); }


