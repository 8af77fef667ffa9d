/**
 * The initial state of a mapped problem. The atoms and the initial contents
 * of the predicate indexes travel in the problem's JSON state, as lists held
 * by scalar state variables (`i__<pred>`, `j__<index>`), and the `__init`
 * action writes them into the predicate variables. Keeping this data out of
 * the domain keeps the domain small: it is validated, hashed and compiled,
 * while the state is only encoded.
 *
 * JSON arrays in a state arrive as lists, and state keys and index elements
 * must be tuples, so `__init` rebuilds each as a tuple.
 */
import type { ActionDecl, Expr, Stmt, JsonState, JsonValue } from '../planner/index.js';
import type { InitStats } from './init-stats.js';
import { hashState } from './state-hash.js';
import { type MapContext, assign, bool, idx, nameE, nil, num, tuple } from './map-context.js';

/** Name of the state variable listing predicate p's initial atoms. */
const atomsVar = (pred: string): string => `i__${pred}`;
/** Name of the state variable listing an index's initial (key, atoms) pairs. */
const indexVar = (ix: string): string => `j__${ix}`;

/** A JSON array (or single value, for one position) of atom arguments at positions. */
const pick = (a: string[], at: number[]): JsonValue => (at.length === 1 ? a[at[0]] : at.map((i) => a[i]));

/** The JSON state: initial atoms per predicate and initial index contents. */
export function initState(ctx: MapContext, stats: InitStats): JsonState {
  const state: JsonState = {};
  for (const pred of ctx.d.predicates.keys()) {
    const atoms = stats.atoms(pred);
    if (atoms.length > 0 && atoms[0].length > 0) state[atomsVar(pred)] = atoms.map((a) => pick(a, a.map((_, i) => i)));
  }
  for (const ix of ctx.indexes.values()) {
    const groups = new Map<string, { key: JsonValue; elems: JsonValue[] }>();
    const seen = new Set<string>();
    for (const a of stats.atoms(ix.pred)) {
      const id = a.join(' ');
      if (seen.has(id)) continue;
      seen.add(id);
      const k = ix.bound.map((i) => a[i]).join(' ');
      let g = groups.get(k);
      if (!g) { g = { key: ix.bound.length === 0 ? '*' : pick(a, ix.bound), elems: [] }; groups.set(k, g); }
      g.elems.push(pick(a, a.map((_, i) => i)));
    }
    if (groups.size > 0) state[indexVar(ix.name)] = [...groups.values()].map((g) => [g.key, g.elems]);
  }
  if (ctx.stateHashed) Object.assign(state, hashState(ctx.types.objectType.keys(), ctx.p.init));
  return state;
}

/** `(x[0], ..., x[n-1])`: a list of n elements rebuilt as a tuple (n > 1), or x itself. */
function asTuple(x: Expr, n: number): Expr {
  return n <= 1 ? x : tuple(Array.from({ length: n }, (_, i) => idx(x, num(i))));
}

/** The `__init` action: loads the initial atoms, index contents and type tests. */
export function initAction(ctx: MapContext, stats: InitStats): ActionDecl {
  const body: Stmt[] = [];
  const loop = (iter: Expr, v: string, inner: Stmt[]): Stmt => ({ for: { vars: [v], iter, body: inner } });
  for (const [pred, def] of ctx.d.predicates) {
    const atoms = stats.atoms(pred);
    if (atoms.length === 0) continue;
    const n = def.params.length;
    if (n === 0) { body.push(assign(idx(nameE(ctx.predVar(pred)), nil), bool(true))); continue; }
    ctx.vars.add(atomsVar(pred));
    body.push(loop(nameE(atomsVar(pred)), 'k', [assign(idx(nameE(ctx.predVar(pred)), asTuple(nameE('k'), n)), bool(true))]));
  }
  for (const ix of ctx.indexes.values()) {
    if (stats.atoms(ix.pred).length === 0) continue;
    ctx.vars.add(indexVar(ix.name));
    const n = ctx.d.predicates.get(ix.pred)!.params.length;
    const kv = nameE('kv');
    const key = asTuple(idx(kv, num(0)), ix.bound.length);
    const elems: Expr = n <= 1 ? idx(kv, num(1)) : { comp: { elem: asTuple(nameE('e'), n), vars: ['e'], iter: idx(kv, num(1)) } };
    body.push(loop(nameE(indexVar(ix.name)), 'kv', [assign(idx(nameE(ix.name), key), elems)]));
  }
  for (const t of ctx.testedTypes) body.push(loop(ctx.objects(t), 'o', [assign(idx(nameE(`y__${t}`), nameE('o')), bool(true))]));
  return { name: '__init', params: [], body };
}
