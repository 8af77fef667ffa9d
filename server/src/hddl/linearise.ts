/**
 * Partial order for the depth-first engine: each partially ordered method
 * (and the initial task network) becomes one totally ordered method per
 * total order its constraints allow, tried in lexicographic order of the
 * file's subtask order, at most `maxOrders` of them. This is incomplete:
 * a linearisation never interleaves the decompositions of sibling
 * subtasks (see docs/hddl.md).
 */
import type { HddlDomain, MethodDef } from './hddl-ast.js';
import { linearisations } from './partial-order.js';

/** How many total orders of one method are tried, unless told otherwise. */
export const DEFAULT_MAX_ORDERS = 24;

/** The name of a method's k-th linearisation (1-based). Names starting with `__` are reserved in HDDL input here. */
export const orderName = (method: string, k: number): string => (k === 1 ? method : `${method}__o${k}`);

/** The linearisations of one method, each with `source` naming the method; a note when some were left out. */
export function lineariseMethod(m: MethodDef, maxOrders: number): { methods: MethodDef[]; note?: string } {
  if (!m.ordering) return { methods: [m] };
  const { orders, all } = linearisations(m.subtasks.length, m.ordering, maxOrders);
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
