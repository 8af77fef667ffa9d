/**
 * Partial order for the depth-first engine: each partially ordered method
 * (and the initial task network) becomes one totally ordered method per
 * total order its constraints allow, at most `maxOrders` of them (all in
 * lexicographic order of the file's subtask order when they fit, else a
 * spread: see ordersToTry). This is incomplete:
 * a linearisation never interleaves the decompositions of sibling
 * subtasks (see docs/hddl.md).
 */
import type { HddlDomain, MethodDef } from './hddl-ast.js';
import type { Ordering } from './hddl-ast.js';
import { linearisations } from './partial-order.js';

/** How many total orders of one method are tried, unless told otherwise. */
export const DEFAULT_MAX_ORDERS = 24;

/** The name of a method's k-th linearisation (1-based). Names starting with `__` are reserved in HDDL input here. */
export const orderName = (method: string, k: number): string => (k === 1 ? method : `${method}__o${k}`);

/**
 * The total orders to try, at most max. When they are all within max:
 * every one, lexicographically. Otherwise a spread: the file's order; for
 * each subtask that may come first (last), the order with it first (last)
 * and the others in the file's order; then lexicographic orders. Capped
 * lexicographic orders alone differ only in their last few places, so
 * they never try moving an early subtask later (Woodworking p02 needs its
 * second task after the fourth and fifth). No order twice.
 */
export function ordersToTry(n: number, pairs: Ordering, max: number): { orders: number[][]; all: boolean } {
  const lex = linearisations(n, pairs, max);
  if (lex.all) return lex;
  const preds = Array.from({ length: n }, () => new Set<number>());
  const succs = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of pairs) { preds[b].add(a); succs[a].add(b); }
  /** The file-first topological order of the subtasks but `skip`, after `head` (placed). */
  const rest = (head: number[], skip: number): number[] => {
    const out = [...head];
    const done = new Set(out);
    if (skip >= 0) done.add(skip);
    const total = skip >= 0 && !head.includes(skip) ? n - 1 : n;
    while (out.length < total) {
      // The constraints have no cycle, so some subtask is always ready.
      const next = [...Array(n).keys()].find((i) => !done.has(i) && [...preds[i]].every((j) => done.has(j) || j === skip))!;
      out.push(next);
      done.add(next);
    }
    return out;
  };
  const seen = new Set<string>();
  const orders: number[][] = [];
  const add = (o: number[]): void => { const k = o.join(' '); if (!seen.has(k) && orders.length < max) { seen.add(k); orders.push(o); } };
  add(lex.orders[0]);
  for (let i = 0; i < n; i++) if (preds[i].size === 0) add(rest([i], i));
  for (let i = 0; i < n; i++) if (succs[i].size === 0) add([...rest([], i), i]);
  for (const o of lex.orders) add(o);
  return { orders, all: false };
}

/** The linearisations of one method, each with `source` naming the method; a note when some were left out. */
export function lineariseMethod(m: MethodDef, maxOrders: number): { methods: MethodDef[]; note?: string } {
  if (!m.ordering) return { methods: [m] };
  const { orders, all } = ordersToTry(m.subtasks.length, m.ordering, maxOrders);
  const methods = orders.map((o, k): MethodDef => ({
    ...m, name: orderName(m.name, k + 1), subtasks: o.map((i) => m.subtasks[i]), ordering: undefined, source: m.name,
  }));
  const what = m.name === '__top' ? 'the initial task network' : `method '${m.name}'`;
  return { methods, note: all ? undefined : `${what}: only the first ${maxOrders} of its subtask orders are tried (partial order; see docs/hddl.md)` };
}

/** The domain with every partially ordered method replaced by its linearisations, and the notes. */
export function lineariseDomain(d: HddlDomain, maxOrders: number): { domain: HddlDomain; notes: string[] } {
  if (!d.methods.some((m) => m.ordering)) return { domain: d, notes: [] };
  const notes: string[] = [];
  const methods: MethodDef[] = [];
  for (const m of d.methods) {
    const r = lineariseMethod(m, maxOrders);
    methods.push(...r.methods);
    if (r.note) notes.push(r.note);
  }
  return { domain: { ...d, methods }, notes };
}

/** The HDDL method name a (possibly linearised) method stands for. */
export const hddlName = (m: MethodDef): string => m.source ?? m.name;
