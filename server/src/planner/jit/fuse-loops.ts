/**
 * Loops over a filtering helper, fused. The blocks domains' methods loop
 * over `all_clear_blocks()`, a helper that returns
 * `[x for x in clear if clear[x] == true]`: compiled as written, every step
 * builds the whole list in the arena, then walks it, though the loop
 * usually stops at its first or second element. Fused, the loop walks the
 * state variable itself and tests each key as it goes.
 *
 * The rewrite keeps the meaning exactly: the state cannot change while a
 * method, action or helper body runs, and a fused test is one that cannot
 * raise an error (see `safe`), so testing a key late, or never (the loop
 * left early), changes nothing but the work done. The bytecode interpreter
 * runs the domain as written and gives the same results.
 */
import type { Expr, Stmt } from '../language/ast.js';

/** What the fusion needs to know about the domain's names. */
export interface FuseScope {
  /** A helper's parameters and body, by name. */
  helperBody(name: string): { params: string[]; body: Stmt[] } | undefined;
  isVar(name: string): boolean;
  isConst(name: string): boolean;
}

/**
 * The body (of a function with these parameters) with every loop over a
 * filtering helper fused; the same array when nothing changed.
 */
export function fuseLoops(params: string[], body: Stmt[], scope: FuseScope): Stmt[] {
  // A global name of the helper that is a local of the caller would mean something else there.
  const bound = new Set(params);
  const walk = (ss: Stmt[]): void => {
    for (const st of ss) {
      if ('let' in st) bound.add(st.let.name);
      else if ('choose' in st) bound.add(st.choose.name);
      else if ('for' in st) { st.for.vars.forEach((v) => bound.add(v)); walk(st.for.body); }
      else if ('if' in st) { walk(st.if.then); walk(st.if.else); }
    }
  };
  walk(body);
  return fuseHelperLoops(body, { ...scope, isVar: (n) => !bound.has(n) && scope.isVar(n), isConst: (n) => !bound.has(n) && scope.isConst(n) });
}

function fuseHelperLoops(body: Stmt[], scope: FuseScope): Stmt[] {
  let changed = false;
  const out = body.map((s) => { const r = fuseStmt(s, scope); if (r !== s) changed = true; return r; });
  return changed ? out : body;
}

function fuseStmt(s: Stmt, scope: FuseScope): Stmt {
  if ('if' in s) {
    const then = fuseHelperLoops(s.if.then, scope), els = fuseHelperLoops(s.if.else, scope);
    return then === s.if.then && els === s.if.else ? s : { ...s, if: { ...s.if, then, else: els } };
  }
  if (!('for' in s)) return s;
  const body = fuseHelperLoops(s.for.body, scope);
  const fused = s.for.vars.length === 1 ? fusedLoop(s.for.vars[0]!, s.for.iter, body, scope) : undefined;
  if (fused) return { ...fused, pos: s.pos };
  return body === s.for.body ? s : { ...s, for: { ...s.for, body } };
}

/** `for x in h(args) { body }` as a loop over h's variable, or undefined when h is not a filter that can be fused. */
function fusedLoop(x: string, iter: Expr, body: Stmt[], scope: FuseScope): Stmt | undefined {
  if (!('call' in iter)) return undefined;
  const h = scope.helperBody(iter.call.fn);
  if (!h || h.body.length !== 1 || h.params.length !== iter.call.args.length) return undefined;
  const ret = h.body[0]!;
  if (!('return' in ret) || !ret.return.value || !('comp' in ret.return.value)) return undefined;
  const comp = ret.return.value.comp;
  if (comp.vars.length !== 1 || !('name' in comp.elem) || comp.elem.name !== comp.vars[0]) return undefined;
  const cv = comp.vars[0]!;
  // The helper walks a state variable (not one of its parameters, which would hide it).
  if (!('name' in comp.iter) || !scope.isVar(comp.iter.name) || h.params.includes(comp.iter.name) || cv === comp.iter.name) return undefined;
  // Arguments are names or literals, so putting them in place of the parameters neither repeats work nor
  // reads another x: the loop's own variable must not be one of them.
  const subst = new Map<string, Expr>();
  for (let i = 0; i < h.params.length; i++) {
    const a = iter.call.args[i]!;
    if (!('lit' in a) && !('name' in a)) return undefined;
    if ('name' in a && a.name === x) return undefined;
    subst.set(h.params[i]!, a);
  }
  subst.set(cv, { name: x });
  let test: Expr | undefined;
  if (comp.cond) {
    test = rename(comp.cond, subst, x, h.params, scope);
    if (!test) return undefined;
  }
  return { for: { vars: [x], iter: comp.iter, body: test ? [{ if: { test, then: body, else: [] } }] : body } };
}

/**
 * A copy of a test with the helper's names replaced, or undefined when it
 * is not `safe`: built only from literals, names, state reads `v[key]`,
 * `==`, `!=`, `and`, `or` and `not`, none of which can raise an error.
 * Undefined also when a global name in it is x (the loop's variable would
 * hide it).
 */
function rename(e: Expr, subst: Map<string, Expr>, x: string, params: string[], scope: FuseScope): Expr | undefined {
  const r = (y: Expr): Expr | undefined => rename(y, subst, x, params, scope);
  if ('lit' in e) return e;
  if ('name' in e) {
    const to = subst.get(e.name);
    if (to) return to;
    if (e.name === x || !(scope.isVar(e.name) || scope.isConst(e.name))) return undefined;
    return e;
  }
  if ('index' in e) {
    const b = e.index.base;
    if (!('name' in b) || !scope.isVar(b.name) || subst.has(b.name) || b.name === x) return undefined;
    const key = r(e.index.key);
    return key && { ...e, index: { base: b, key } };
  }
  if ('binary' in e) {
    if (!['==', '!=', 'and', 'or'].includes(e.binary.op)) return undefined;
    const left = r(e.binary.left), right = r(e.binary.right);
    return left && right && { ...e, binary: { op: e.binary.op, left, right } };
  }
  if ('unary' in e && e.unary.op === 'not') {
    const arg = r(e.unary.arg);
    return arg && { ...e, unary: { op: 'not', arg } };
  }
  return undefined;
}
