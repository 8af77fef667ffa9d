/**
 * Statements, and running a whole body: a helper function (its value), an
 * action (success with its changes, or failure) or a method (a
 * decomposition, or not applicable). docs/domain-language.md,
 * "Statements".
 */
import type { Expr, FunctionDecl, Stmt } from '../../../server/src/planner/language/ast.js';
import { DomainBug, step, type DomainContext } from './domain-context.js';
import { elementAt, evaluate, forEach, iterError, sizeOf } from './evaluate.js';
import { Frame, type ChooseRun } from './frame.js';
import type { RefState } from './state.js';
import { keyOf, show, truthy, type Value } from './values.js';

/** What a body ended with. */
export type Outcome = { k: 'value'; v: Value } | { k: 'fail' } | { k: 'succeed' };

/** What a statement list ended with: nothing (go on), a loop signal, or the body's outcome. */
type Signal = undefined | 'break' | 'continue' | Outcome;

/**
 * Nesting of helper calls at which the reference calls it runaway
 * recursion. The engine allows more (200,000 in its interpreter); a
 * comparison of this kind of error compares the status only.
 */
const MAX_CALL_DEPTH = 2000;

/** Runs a body with its arguments bound to its parameters. */
export function runBody(
  ctx: DomainContext, state: RefState, kind: Frame['kind'], name: string,
  params: string[], body: Stmt[], args: Value[], callDepth = 0, choose?: ChooseRun,
): Outcome {
  const f = new Frame(ctx, state, name, kind, callDepth, choose);
  params.forEach((p, i) => f.declare(p, args[i]));
  const s = block(f, body);
  if (s !== undefined && s !== 'break' && s !== 'continue') return s;
  // Falling off the end: a function returns nil, an action succeeds, a method is not applicable.
  return kind === 'function' ? { k: 'value', v: null } : kind === 'action' ? { k: 'succeed' } : { k: 'fail' };
}

/** Calls helper `h` from frame f. */
export function callHelper(f: Frame, h: FunctionDecl, args: Value[]): Value {
  step(f.ctx);
  if (f.callDepth + 1 >= MAX_CALL_DEPTH) {
    throw new DomainBug(`runaway recursion in function ${h.name}: calls nested deeper than the engine allows (a recursion without a base case?)`, 'runaway');
  }
  const r = runBody(f.ctx, f.state, 'function', h.name, h.params, h.body, args, f.callDepth + 1);
  return r.k === 'value' ? r.v : null;
}

/** `fail` and a failed `require`: a function returns false, an action or method gives up. */
function failure(f: Frame): Outcome {
  return f.kind === 'function' ? { k: 'value', v: false } : { k: 'fail' };
}

function block(f: Frame, stmts: Stmt[]): Signal {
  f.push();
  try {
    for (const s of stmts) {
      const r = stmt(f, s);
      if (r !== undefined) return r;
    }
    return undefined;
  } finally { f.pop(); }
}

function stmt(f: Frame, s: Stmt): Signal {
  if ('let' in s) { f.declare(s.let.name, evaluate(f, s.let.value)); return undefined; }
  if ('assign' in s) return assign(f, s.assign.target, s.assign.value);
  if ('if' in s) return block(f, truthy(evaluate(f, s.if.test)) ? s.if.then : s.if.else);
  if ('for' in s) return forEach<Signal>(f, s.for.vars, evaluate(f, s.for.iter), () => block(f, s.for.body));
  if ('break' in s) return 'break';
  if ('continue' in s) return 'continue';
  if ('return' in s) {
    // An action's `return` is success; its value, if any, is never evaluated (the engine compiles none).
    if (f.kind === 'action') return { k: 'succeed' };
    return { k: 'value', v: s.return.value ? evaluate(f, s.return.value) : null };
  }
  if ('fail' in s) return failure(f);
  if ('require' in s) return truthy(evaluate(f, s.require)) ? undefined : failure(f);
  if ('choose' in s) return choose(f, s.choose.name, evaluate(f, s.choose.iter));
  throw new Error(`unknown statement ${Object.keys(s)[0]}`);
}

/** `v[k] = e` on the state, `v = e` on a scalar variable, `x = e` on a local. */
function assign(f: Frame, target: Expr, value: Expr): Signal {
  if ('name' in target && !f.lookup(target.name) && f.ctx.vars.has(target.name)) {
    setState(f, target.name, null, evaluate(f, value));
  } else if ('name' in target) {
    f.lookup(target.name)!.value = evaluate(f, value);
  } else if ('index' in target && 'name' in target.index.base && !f.lookup(target.index.base.name) && f.ctx.vars.has(target.index.base.name)) {
    // The key is evaluated before the value, as the engine does.
    const k = evaluate(f, target.index.key);
    setState(f, target.index.base.name, k, evaluate(f, value));
  } else {
    throw new Error('the validator lets no other assignment through');
  }
  return undefined;
}

/** A state write: keys are scalars or tuples of scalars; a variable reference or `mg.v` cannot be stored. */
function setState(f: Frame, v: string, k: Value, x: Value): void {
  const bad = keyOf(k) === undefined ? k : x !== null && typeof x === 'object' && (x.t === 'varref' || x.t === 'mgvar') ? x : undefined;
  if (bad !== undefined) throw new DomainBug(`in ${f.fn}: ${show(bad)} cannot be a state key or value`);
  f.state.set(v, k, x);
}

/**
 * `choose x in e`: binds x to the element this run's binding vector says;
 * with no element there the method is not applicable for this binding.
 */
function choose(f: Frame, name: string, it: Value): Signal {
  const c = f.choose!;
  const n = sizeOf(f, it);
  if (n < 0) iterError(f, it);
  const k = c.sizes.length;
  const i = k < c.preset.length ? c.preset[k] : 0;
  c.sizes.push(n);
  c.taken.push(i);
  if (i >= n) return { k: 'fail' };
  f.declare(name, elementAt(f, it, i));
  return undefined;
}

