/**
 * Formulas as expressions of the domain model. Quantifiers become helper
 * functions that loop over the objects of the variable's type and stop at
 * the first witness, so a `forall` costs one call, not a list.
 */
import type { Expr, Stmt } from '../planner/index.js';
import type { Formula, Term } from './hddl-ast.js';
import { type MapContext, andAll, bin, bool, call, nameE, not } from './map-context.js';

/** The variables occurring free in f. */
export function freeVars(f: Formula, out = new Set<string>(), bound = new Set<string>()): Set<string> {
  const add = (t: Term): void => { if (t.startsWith('?') && !bound.has(t)) out.add(t); };
  switch (f.kind) {
    case 'true': break;
    case 'atom': f.args.forEach(add); break;
    case 'eq': add(f.left); add(f.right); break;
    case 'not': freeVars(f.arg, out, bound); break;
    case 'and': case 'or': for (const a of f.args) freeVars(a, out, bound); break;
    case 'imply': freeVars(f.left, out, bound); freeVars(f.right, out, bound); break;
    case 'forall': case 'exists': freeVars(f.body, out, new Set([...bound, ...f.vars.map((v) => v.name)])); break;
  }
  return out;
}

/** The expression for f with its free variables bound by env. */
export function formulaExpr(ctx: MapContext, f: Formula, env: Map<string, Expr>): Expr {
  switch (f.kind) {
    case 'true': return bool(true);
    case 'atom': return ctx.atom(f.pred, f.args.map((t) => ctx.term(t, env)));
    case 'eq': return bin('==', ctx.term(f.left, env), ctx.term(f.right, env));
    case 'not': return not(formulaExpr(ctx, f.arg, env));
    case 'and': return andAll(f.args.map((a) => formulaExpr(ctx, a, env)));
    case 'or':
      return f.args.length === 0 ? bool(false) : f.args.map((a) => formulaExpr(ctx, a, env)).reduce((a, b) => bin('or', a, b));
    case 'imply': return bin('or', not(formulaExpr(ctx, f.left, env)), formulaExpr(ctx, f.right, env));
    case 'forall': case 'exists': return quantifier(ctx, f, env);
  }
}

/** `forall`/`exists` as a call of a new helper taking the formula's free variables. */
function quantifier(ctx: MapContext, f: Extract<Formula, { kind: 'forall' | 'exists' }>, env: Map<string, Expr>): Expr {
  const free = [...freeVars(f)];
  const inner = new Map<string, Expr>();
  const params = free.map((v) => { inner.set(v, nameE(ctx.local(v))); return ctx.local(v); });
  for (const v of f.vars) inner.set(v.name, nameE(ctx.local(v.name)));
  const test = formulaExpr(ctx, f.body, inner);
  // forall: the first counterexample returns false; exists: the first witness returns true.
  const hit: Stmt = f.kind === 'forall'
    ? { if: { test: not(test), then: [{ return: { value: bool(false) } }], else: [] } }
    : { if: { test, then: [{ return: { value: bool(true) } }], else: [] } };
  let body: Stmt[] = [hit];
  for (let i = f.vars.length - 1; i >= 0; i--) {
    const v = f.vars[i];
    body = [{ for: { vars: [ctx.local(v.name)], iter: ctx.objects(v.type), body } }];
  }
  body.push({ return: { value: bool(f.kind === 'forall') } });
  const name = ctx.freshFn();
  ctx.functions.push({ name, params, body });
  return call(name, free.map((v) => ctx.term(v, env)));
}
