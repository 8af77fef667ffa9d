/**
 * Ordering constraints of subtask lists (`:ordering`): checking them when
 * parsing, closing them, and enumerating the total orders they allow.
 * A subtask list is kept in its one total order when the constraints
 * allow only one; otherwise it keeps the file's order with the
 * constraints as index pairs (MethodDef.ordering).
 */
import type { Pos } from '../planner/index.js';
import type { Ordering, Subtask } from './hddl-ast.js';
import type { Ctx } from './parse-formula.js';
import { hddlError } from './sexpr.js';

/** One `(< a b)` constraint as parsed. */
export interface OrderPair { before: string; after: string; pos: Pos }

/** A subtask list with its ordering: `ordering` is absent when `subtasks` is a total order. */
export interface OrderedList { subtasks: Subtask[]; ordering?: Ordering }

/**
 * Resolves `(< a b)` labels to indices and checks them: unknown or
 * duplicate labels and cycles are errors naming `what` (the method). A list
 * whose constraints leave one total order comes back in that order.
 */
export function orderSubtasks(ctx: Ctx, subtasks: Subtask[], order: OrderPair[], at: Pos, what: string): OrderedList {
  if (subtasks.length <= 1 && order.length === 0) return { subtasks };
  const byId = new Map<string, number>();
  subtasks.forEach((s, i) => {
    if (s.id === undefined) {
      if (order.length > 0) hddlError(ctx.file, s.pos, `${what}: subtasks that are ordered by :ordering need labels`);
      return;
    }
    if (byId.has(s.id)) hddlError(ctx.file, s.pos, `${what}: duplicate subtask label '${s.id}'`);
    byId.set(s.id, i);
  });
  const pairs: Ordering = [];
  const seen = new Set<string>();
  for (const o of order) {
    const a = byId.get(o.before);
    const b = byId.get(o.after);
    if (a === undefined || b === undefined) hddlError(ctx.file, o.pos, `${what}: unknown subtask label '${a === undefined ? o.before : o.after}'`);
    if (a === b) hddlError(ctx.file, o.pos, `${what}: the ordering puts '${o.before}' before itself`);
    if (!seen.has(`${a} ${b}`)) { seen.add(`${a} ${b}`); pairs.push([a, b]); }
  }
  const cycle = findCycle(subtasks.length, pairs);
  if (cycle) hddlError(ctx.file, at, `${what}: the ordering constraints form a cycle (${[...cycle, cycle[0]].map((i) => subtasks[i].id).join(' < ')})`);
  const first = linearisations(subtasks.length, pairs, 2);
  if (first.orders.length === 1) return { subtasks: first.orders[0].map((i) => subtasks[i]) };
  return { subtasks, ordering: pairs };
}

/** A cycle of the constraints (indices in order), or undefined. */
function findCycle(n: number, pairs: Ordering): number[] | undefined {
  const succ = Array.from({ length: n }, () => [] as number[]);
  for (const [a, b] of pairs) succ[a].push(b);
  const state = new Array<number>(n).fill(0); // 0 new, 1 on the path, 2 done
  const path: number[] = [];
  const dfs = (i: number): number[] | undefined => {
    state[i] = 1;
    path.push(i);
    for (const j of succ[i]) {
      if (state[j] === 1) return path.slice(path.indexOf(j));
      if (state[j] === 0) { const c = dfs(j); if (c) return c; }
    }
    path.pop();
    state[i] = 2;
    return undefined;
  };
  for (let i = 0; i < n; i++) if (state[i] === 0) { const c = dfs(i); if (c) return c; }
  return undefined;
}

/** Every pair [i, j] with i before j, directly or through others (the transitive closure). */
export function closure(n: number, pairs: Ordering): Ordering {
  const before = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (const [a, b] of pairs) before[a][b] = true;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) if (before[i][k]) for (let j = 0; j < n; j++) if (before[k][j]) before[i][j] = true;
  const out: Ordering = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (before[i][j]) out.push([i, j]);
  return out;
}

/**
 * The total orders of n items that the constraints allow, in lexicographic
 * order of the indices (the file's order first), at most `max` of them;
 * `all` says whether these are all. The constraints must have no cycle.
 */
export function linearisations(n: number, pairs: Ordering, max: number): { orders: number[][]; all: boolean } {
  const preds = Array.from({ length: n }, () => 0);
  const succ = Array.from({ length: n }, () => [] as number[]);
  for (const [a, b] of pairs) { succ[a].push(b); preds[b]++; }
  const orders: number[][] = [];
  const cur: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  let all = true;
  const rec = (): void => {
    if (orders.length >= max) { all = false; return; }
    if (cur.length === n) { orders.push([...cur]); return; }
    for (let i = 0; i < n; i++) {
      if (used[i] || preds[i] > 0) continue;
      if (orders.length >= max) { all = false; return; }
      used[i] = true; cur.push(i);
      for (const j of succ[i]) preds[j]--;
      rec();
      for (const j of succ[i]) preds[j]++;
      cur.pop(); used[i] = false;
    }
  };
  rec();
  return { orders, all };
}
