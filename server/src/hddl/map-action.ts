/**
 * An HDDL action as an Aria action: the precondition as one `require`,
 * then the effects with PDDL's semantics: every condition is evaluated in
 * the state before the action, deletes are applied before adds (so an atom
 * both deleted and added ends up true). Each add and delete also keeps the
 * predicate's indexes (map-context.ts) and, for the `state` loop check, the
 * state hash (state-hash.ts) up to date.
 */
import type { ActionDecl, Expr, Stmt } from '../planner/index.js';
import type { ActionDef, Effect, Term } from './hddl-ast.js';
import { finalVar } from './goal-checks.js';
import { formulaExpr } from './map-formula.js';
import { hashUpdate } from './state-hash.js';
import {
  type MapContext, andAll, assign, bin, bool, idx, keyOf, letS, list, nameE, not, num, req, tuple,
} from './map-context.js';

/** Per-body counter for temporaries. */
interface Gen { n: number }

/** Statements that make pred(args) true (add) or false (delete), keeping its indexes. */
export function writeAtom(ctx: MapContext, pred: string, args: Expr[], add: boolean, g: Gen): Stmt[] {
  const ixs = [...ctx.indexes.values()].filter((ix) => ix.pred === pred);
  const hashed = ctx.stateHashed;
  if (ixs.length === 0 && !hashed) return [assign(ctx.atom(pred, args), bool(add))];
  // Guarded, so that an index never lists an atom twice or loses one that is still true.
  const k = `k${g.n++}`;
  const key = nameE(k);
  const elem = args.length === 1 ? args[0] : key;
  const cell = (ix: { name: string }, kx: Expr): Expr => idx(nameE(ix.name), kx);
  const upd: Stmt[] = ixs.map((ix) => {
    const kx = ctx.indexKey(ix, args);
    if (add) return assign(cell(ix, kx), bin('+', bin('or', cell(ix, kx), nameE('__empty')), list([elem])));
    const e = `e${g.n++}`;
    return assign(cell(ix, kx), { comp: { elem: nameE(e), vars: [e], iter: bin('or', cell(ix, kx), nameE('__empty')), cond: bin('!=', nameE(e), elem) } });
  });
  if (hashed) upd.push(...hashUpdate(pred, args, add, `h${g.n++}`));
  const now = idx(nameE(ctx.predVar(pred)), key);
  return [
    letS(k, keyOf(args)),
    { if: { test: add ? not(now) : now, then: [assign(now, bool(add)), ...upd], else: [] } },
  ];
}

const hasWhen = (e: Effect): boolean =>
  e.kind === 'when' || (e.kind === 'and' && e.args.some(hasWhen)) || (e.kind === 'forall' && hasWhen(e.body));

/** Effects without conditions: loops for forall, writes of one polarity. */
function direct(ctx: MapContext, e: Effect, env: Map<string, Expr>, add: boolean, g: Gen): Stmt[] {
  switch (e.kind) {
    case 'add': case 'del':
      return (e.kind === 'add') === add ? writeAtom(ctx, e.pred, e.args.map((t) => ctx.term(t, env)), add, g) : [];
    case 'and': return e.args.flatMap((x) => direct(ctx, x, env, add, g));
    case 'forall': return loops(ctx, e.vars, env, (inner) => direct(ctx, e.body, inner, add, g));
    case 'when': throw new Error('internal: when in a direct effect');
  }
}

/** Nested loops over the objects of each variable's type. */
function loops(ctx: MapContext, vars: { name: string; type: string }[], env: Map<string, Expr>, body: (env: Map<string, Expr>) => Stmt[]): Stmt[] {
  const inner = new Map(env);
  for (const v of vars) inner.set(v.name, nameE(ctx.local(v.name)));
  let out = body(inner);
  for (let i = vars.length - 1; i >= 0; i--) out = [{ for: { vars: [ctx.local(vars[i].name)], iter: ctx.objects(vars[i].type), body: out } }];
  return out;
}

/**
 * Effects with conditions: first collect, in the old state, the argument
 * tuples of every atom to delete and to add; then delete, then add.
 */
function conditional(ctx: MapContext, eff: Effect, env: Map<string, Expr>, g: Gen): Stmt[] {
  const lists = new Map<string, { name: string; pred: string; add: boolean; arity: number }>();
  const collect = (e: Effect, en: Map<string, Expr>): Stmt[] => {
    switch (e.kind) {
      case 'add': case 'del': {
        const k = `${e.kind}:${e.pred}`;
        let l = lists.get(k);
        if (!l) { l = { name: `w${g.n++}`, pred: e.pred, add: e.kind === 'add', arity: e.args.length }; lists.set(k, l); }
        return [assign(nameE(l.name), bin('+', nameE(l.name), list([tuple(e.args.map((t) => ctx.term(t, en)))])))];
      }
      case 'and': return e.args.flatMap((x) => collect(x, en));
      case 'forall': return loops(ctx, e.vars, en, (inner) => collect(e.body, inner));
      case 'when': return [{ if: { test: formulaExpr(ctx, e.cond, en), then: collect(e.body, en), else: [] } }];
    }
  };
  const phase1 = collect(eff, env);
  const out: Stmt[] = [...[...lists.values()].map((l) => letS(l.name, list([]))), ...phase1];
  for (const add of [false, true]) {
    for (const l of lists.values()) {
      if (l.add !== add) continue;
      const t = `t${g.n++}`;
      const args = Array.from({ length: l.arity }, (_, i) => idx(nameE(t), num(i)));
      out.push({ for: { vars: [t], iter: nameE(l.name), body: writeAtom(ctx, l.pred, args, add, g) } });
    }
  }
  return out;
}

/**
 * After the effects: an atom this action deleted must not be one marked to
 * stay true, nor an atom it added one marked to stay false (goal-checks.ts);
 * tested after both deletes and adds, since an atom deleted and added stays
 * true. Only plain effects are guarded (not those under forall or when): a
 * guard only prunes early what the goal would reject at the end.
 */
function finalGuards(ctx: MapContext, e: Effect, env: Map<string, Expr>): Stmt[] {
  if (e.kind === 'and') return e.args.flatMap((x) => finalGuards(ctx, x, env));
  if (e.kind !== 'add' && e.kind !== 'del') return [];
  const add = e.kind === 'add';
  if (!(add ? ctx.finalPreds.neg : ctx.finalPreds.pos).has(e.pred)) return [];
  const args = e.args.map((t) => ctx.term(t, env));
  const final = idx(nameE(finalVar(e.pred, !add)), keyOf(args));
  const now = ctx.atom(e.pred, args);
  return [req(not(bin('and', final, add ? now : not(now))))];
}

/**
 * Maps action a. `checkParam[i]` says whether some caller may pass an
 * object not of parameter i's type, so the action must test it.
 */
export function mapAction(ctx: MapContext, a: ActionDef, checkParam: boolean[]): ActionDecl {
  const params = a.params.map((_, i) => `a${i}`);
  const env = new Map<Term, Expr>(a.params.map((p, i) => [p.name, nameE(params[i])]));
  const body: Stmt[] = [];
  const typeTests = a.params.flatMap((p, i) => (checkParam[i] ? [ctx.isType(nameE(params[i]), p.type)] : []));
  if (typeTests.length > 0) body.push(req(andAll(typeTests)));
  if (a.pre.kind !== 'true') body.push(req(formulaExpr(ctx, a.pre, env)));
  const g: Gen = { n: 0 };
  if (hasWhen(a.effect)) body.push(...conditional(ctx, a.effect, env, g));
  else body.push(...direct(ctx, a.effect, env, false, g), ...direct(ctx, a.effect, env, true, g), ...finalGuards(ctx, a.effect, env));
  return { name: a.name, params, body };
}
