/**
 * An HDDL method as an Aria method. The task's arguments arrive as
 * parameters; every other parameter is bound by `choose` (so backtracking
 * tries every binding), one generator at a time, cheapest first:
 *
 * - an equality with a bound side binds without choosing;
 * - a positive atom with some bound arguments enumerates the matching atoms
 *   of the state through a predicate index (binding all its free variables
 *   at once);
 * - otherwise the objects of the variable's type are enumerated.
 *
 * Every condition is tested as soon as its variables are bound, inside the
 * generator's list comprehension, so a failing binding costs no
 * backtracking. Conditions are the method's precondition plus the
 * necessary preconditions pulled up from its subtasks (analysis.ts).
 *
 * The decomposition starts with the marker action `__method_<name>(params)`
 * (no effect), from which the decomposition tree is rebuilt after planning.
 */
import type { Expr, MethodDecl, Stmt, TaskDecl } from '../planner/index.js';
import { litKey, type Lit } from './analysis.js';
import type { Formula, HddlDomain, MethodDef, Term } from './hddl-ast.js';
import type { InitStats } from './init-stats.js';
import { freeVars, formulaExpr } from './map-formula.js';
import {
  type MapContext, andAll, bin, idx, item, letS, nameE, not, num, req, tuple,
} from './map-context.js';

/** A condition waiting for its variables. */
type Cond = { vars: string[] } & (
  | { kind: 'lit'; lit: Lit }
  | { kind: 'eq'; left: Term; right: Term; neg: boolean }
  | { kind: 'formula'; f: Formula }
  | { kind: 'visit'; key: Term[]; knot: number }
);

const varsOf = (ts: Term[]): string[] => [...new Set(ts.filter((t) => t.startsWith('?')))];

/** Splits a precondition into conditions: conjuncts, literals and equalities apart. */
function conds(f: Formula, out: Cond[]): void {
  if (f.kind === 'true') return;
  if (f.kind === 'and') { for (const a of f.args) conds(a, out); return; }
  const neg = f.kind === 'not';
  const g = f.kind === 'not' ? f.arg : f;
  if (g.kind === 'atom') out.push({ kind: 'lit', lit: { pred: g.pred, args: g.args, neg }, vars: varsOf(g.args) });
  else if (g.kind === 'eq') out.push({ kind: 'eq', left: g.left, right: g.right, neg, vars: varsOf([g.left, g.right]) });
  else if (g.kind === 'not' && !neg) conds(g.arg, out);
  else out.push({ kind: 'formula', f, vars: [...freeVars(f)] });
}

/** The name of a method's marker action. */
export const markerName = (method: string): string => `__method_${method}`;

/**
 * Whether applications of m need a marker in the plan. A task's only
 * method, all of whose parameters come from the task, is known from the
 * task alone, so it goes without (fewer steps for wrapper methods).
 */
export function needsMarker(d: HddlDomain, m: MethodDef): boolean {
  if ((m.source ?? m.name) === '__top' || m.params.some((p) => !m.taskArgs.includes(p.name))) return true;
  let n = 0;
  for (const x of d.methods) if (x.task === m.task && ++n > 1) return true;
  return false;
}

/** An Aria method for one HDDL method, and the continuation tasks it needs. */
export interface MappedMethod {
  method: MethodDecl;
  /**
   * A method binds at most 16 parameters by `choose` (the engine's limit);
   * past that, it hands what it has bound to a continuation task
   * `__bind_<method>_<n>` whose one method binds the next ones.
   */
  continuations: TaskDecl[];
}

/**
 * Maps method m (of the task with these parameter types) to an Aria method.
 * `checks` names actions (without parameters) to run after subtask i (-1:
 * before the first); the initial task network's early goal checks.
 */
export function mapMethod(ctx: MapContext, stats: InitStats, m: MethodDef, taskTypes: string[], checks = new Map<number, string>()): MappedMethod {
  let body: Stmt[] = [];
  let env = new Map<string, Expr>();
  const typeOf = new Map(m.params.map((p) => [p.name, p.type]));
  const params = m.taskArgs.map((_, j) => `a${j}`);
  m.taskArgs.forEach((t, j) => {
    const a = nameE(params[j]);
    if (!t.startsWith('?')) body.push(req(bin('==', a, ctx.term(t, env))));
    else if (env.has(t)) body.push(req(bin('==', a, env.get(t)!)));
    else {
      env.set(t, a);
      if (!ctx.types.isSub(taskTypes[j], typeOf.get(t)!)) body.push(req(ctx.isType(a, typeOf.get(t)!)));
    }
  });

  const pool: Cond[] = [];
  conds(m.pre, pool);
  const have = new Set(pool.filter((c) => c.kind === 'lit').map((c) => litKey((c as { lit: Lit }).lit)));
  for (const l of ctx.an.necessaryOf(m)) {
    if (!have.has(litKey(l))) { have.add(litKey(l)); pool.push({ kind: 'lit', lit: l, vars: varsOf(l.args) }); }
  }
  const knotAt = new Map<number, { knot: number; key: Term[] }>();
  if (ctx.loopCheck !== 'none') {
    const seen: Term[] = [];
    const hasFree = m.params.some((p) => !m.taskArgs.includes(p.name));
    m.subtasks.forEach((s, i) => {
      for (const a of s.args) if (!seen.includes(a)) seen.push(a);
      if (!ctx.an.knots.has(`${m.name}/${i}`)) return;
      // HyperTensioN's rule: a recursive call that carries every term seen so far, through a
      // method that chooses something, is left unchecked (it is how counting loops recurse).
      const carriesAll = s.args.length === seen.length && seen.every((t) => s.args.includes(t));
      const direct = s.task === m.task && m.subtasks.length > 1;
      if (ctx.loopCheck === 'terms' && !(direct || !hasFree || s.args.length === 0 || !carriesAll)) return;
      const v = { knot: ctx.knotId(`${m.name}/${i}`), key: knotKey(m, s.args, seen, direct) };
      if (ctx.loopCheck === 'state' || v.key.length === 0) ctx.stateHashed = true;
      knotAt.set(i, v);
      pool.push({ kind: 'visit', ...v, vars: varsOf(v.key) });
    });
  }

  // The state loop check adds the state's hash (at the method's application) to the key; so does
  // the terms check when there are no terms: a loop like `achieve -> [step, achieve]` progresses
  // only in the state, and a key without terms or state would forbid its second round.
  const withState = (key: Term[]): boolean => ctx.loopCheck === 'state' || key.length === 0;
  const visitKey = (knot: number, key: Term[], e: Map<string, Expr>): Expr =>
    tuple([num(knot), ...key.map((t) => ctx.term(t, e)), ...(withState(key) ? [nameE('__h1'), nameE('__h2')] : [])]);
  const condExpr = (c: Cond, e: Map<string, Expr>): Expr => {
    switch (c.kind) {
      case 'lit': { const a = ctx.atom(c.lit.pred, c.lit.args.map((t) => ctx.term(t, e))); return c.lit.neg ? not(a) : a; }
      case 'eq': return bin(c.neg ? '!=' : '==', ctx.term(c.left, e), ctx.term(c.right, e));
      case 'formula': return formulaExpr(ctx, c.f, e);
      case 'visit': return not(idx(nameE('__visited'), visitKey(c.knot, c.key, e)));
    }
  };
  /** Removes and returns the pooled conditions whose variables are all bound in e. */
  const ready = (e: Map<string, Expr>): Cond[] => {
    const out: Cond[] = [];
    for (let i = 0; i < pool.length; i++) {
      if (pool[i].vars.every((v) => e.has(v))) { out.push(pool[i]); pool.splice(i--, 1); }
    }
    const rank = (c: Cond): number => (c.kind === 'eq' ? 0 : c.kind === 'lit' ? (c.lit.neg ? 2 : 1) : c.kind === 'visit' ? 3 : 4);
    return out.sort((a, b) => rank(a) - rank(b));
  };

  const used = new Set<string>([...m.taskArgs, ...m.subtasks.flatMap((s) => s.args), ...pool.flatMap((c) => c.vars)]);
  const segments: { name: string; params: string[]; body: Stmt[] }[] = [{ name: m.name, params, body }];
  let chooses = 0;
  for (;;) {
    for (const c of ready(env)) body.push(req(condExpr(c, env)));
    const free = m.params.filter((p) => !env.has(p.name) && used.has(p.name)).map((p) => p.name);
    if (free.length === 0) break;
    const g = pickGenerator(ctx, stats, pool, env, free, typeOf);
    if (g.kind === 'eq') {
      // An equality with one side bound: bind without choosing.
      env.set(g.v, g.value);
      if (!ctx.types.isSub(g.from, typeOf.get(g.v)!)) body.push(req(ctx.isType(g.value, typeOf.get(g.v)!)));
      continue;
    }
    if (chooses >= 16) {
      const carry = [...env.keys()];
      const name = `__bind_${m.name}_${segments.length}`;
      body.push({ return: { value: { list: [item(name, carry.map((v) => env.get(v)!))] } } });
      segments.push({ name, params: carry.map((_, i) => `b${i}`), body: [] });
      body = segments[segments.length - 1].body;
      env = new Map(carry.map((v, i) => [v, nameE(`b${i}`)]));
      chooses = 0;
    }
    const c = `c${chooses}`;
    const e = `e${chooses++}`;
    const inner = new Map(env);
    const filter: Expr[] = [];
    let src: Expr;
    const bindings: [string, (x: Expr) => Expr][] = [];
    if (g.kind === 'atom') {
      // The index lists exactly the true atoms, so the generating literal needs no test.
      pool.splice(pool.findIndex((x) => x.kind === 'lit' && x.lit === g.lit), 1);
      const ix = ctx.index(g.lit.pred, g.bound);
      src = bin('or', idx(nameE(ix.name), ctx.indexKey(ix, g.lit.args.map((t) => (env.has(t) || !t.startsWith('?') ? ctx.term(t, env) : nameE('?'))))), nameE('__empty'));
      const arity = g.lit.args.length;
      const at = (x: Expr, i: number): Expr => (arity === 1 ? x : idx(x, num(i)));
      g.lit.args.forEach((t, i) => {
        if (!t.startsWith('?') || env.has(t)) return;
        const prev = bindings.find(([v]) => v === t);
        if (prev) { filter.push(bin('==', at(nameE(e), i), prev[1](nameE(e)))); return; }
        bindings.push([t, (x) => at(x, i)]);
        const from = stats.argType(g.lit.pred, i);
        if (!ctx.types.isSub(from, typeOf.get(t)!)) filter.push(ctx.isType(at(nameE(e), i), typeOf.get(t)!));
      });
    } else {
      src = ctx.objects(typeOf.get(g.v)!);
      bindings.push([g.v, (x) => x]);
    }
    for (const [v, f] of bindings) inner.set(v, f(nameE(e)));
    for (const cd of ready(inner)) filter.push(condExpr(cd, inner));
    const iter: Expr = filter.length === 0 ? src : { comp: { elem: nameE(e), vars: [e], iter: src, cond: andAll(filter) } };
    body.push({ choose: { name: c, iter } });
    for (const [v, f] of bindings) {
      body.push(letS(ctx.local(v), f(nameE(c))));
      env.set(v, nameE(ctx.local(v)));
    }
  }
  // Parameters that nothing mentions need some object of their type, not every one.
  for (const p of m.params) {
    if (env.has(p.name)) continue;
    const objs = ctx.objects(p.type);
    body.push(req(objs), letS(ctx.local(p.name), idx(objs, num(0))));
    env.set(p.name, nameE(ctx.local(p.name)));
  }

  const todo: Expr[] = needsMarker(ctx.d, m) ? [item(markerName(m.name), m.params.map((p) => env.get(p.name)!))] : [];
  if (checks.has(-1)) todo.push(item(checks.get(-1)!, []));
  m.subtasks.forEach((s, i) => {
    const k = knotAt.get(i);
    const key = k ? visitKey(k.knot, k.key, env) : undefined;
    if (key) todo.push(item('__visit', [key]));
    todo.push(item(s.task, s.args.map((t) => ctx.term(t, env))));
    if (key) todo.push(item('__unvisit', [key]));
    if (checks.has(i)) todo.push(item(checks.get(i)!, []));
  });
  body.push({ return: { value: { list: todo } } });
  const [first, ...rest] = segments;
  return { method: first, continuations: rest.map((x) => ({ name: x.name, methods: [x] })) };
}

/**
 * The terms of a knot's visit key: every term seen up to the recursive call
 * (HyperTensioN's rule), except in a direct recursion whose call passes on
 * a parameter the method chose. There, a chosen parameter the call does not
 * receive (Snake's body and tail positions, read off the state) only says
 * how the step before the call went; keyed on it, a path search may repeat
 * the same step once per body shape, and proving a target unreachable
 * (Snake p09 tries a mouse's cell first) takes exponential time. The key
 * keeps the task's arguments and the call's: the same step is not taken
 * twice on the way to the same target.
 */
export function knotKey(m: MethodDef, call: Term[], seen: Term[], direct: boolean): Term[] {
  const chosen = (t: Term): boolean => t.startsWith('?') && !m.taskArgs.includes(t);
  if (!direct || !call.some(chosen)) return [...seen];
  return seen.filter((t) => call.includes(t) || !chosen(t));
}

type Generator =
  | { kind: 'eq'; v: string; value: Expr; from: string }
  | { kind: 'atom'; lit: Lit; bound: number[] }
  | { kind: 'type'; v: string };

/** The cheapest way to bind some of the free variables. */
function pickGenerator(ctx: MapContext, stats: InitStats, pool: Cond[], env: Map<string, Expr>, free: string[], typeOf: Map<string, string>): Generator {
  const isBound = (t: Term): boolean => !t.startsWith('?') || env.has(t);
  for (const c of pool) {
    if (c.kind !== 'eq' || c.neg) continue;
    for (const [a, b] of [[c.left, c.right], [c.right, c.left]]) {
      if (a.startsWith('?') && !env.has(a) && isBound(b)) {
        return { kind: 'eq', v: a, value: ctx.term(b, env), from: b.startsWith('?') ? typeOf.get(b)! : ctx.types.objectType.get(b)! };
      }
    }
  }
  let best: Generator | undefined;
  let bestCost = Infinity;
  for (const c of pool) {
    if (c.kind !== 'lit' || c.lit.neg || c.lit.args.every(isBound)) continue;
    const bound = c.lit.args.map((t, i) => (isBound(t) ? i : -1)).filter((i) => i >= 0);
    const cost = stats.estimate(c.lit.pred, bound);
    if (cost < bestCost) { best = { kind: 'atom', lit: c.lit, bound }; bestCost = cost; }
  }
  for (const v of free) {
    const cost = ctx.types.objectsOf(typeOf.get(v)!).length;
    if (cost < bestCost) { best = { kind: 'type', v }; bestCost = cost; }
  }
  return best!;
}

