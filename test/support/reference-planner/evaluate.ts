/**
 * Expressions of the domain language, evaluated directly on the AST
 * (docs/domain-language.md, "Expressions" and "Names"). Errors name the
 * function, action or method running, in the engine's words
 * (server/src/planner/runtime/engine-messages.ts), so that messages can be
 * compared exactly.
 */
import type { Expr } from '../../../server/src/planner/language/ast.js';
import { DomainBug, step } from './domain-context.js';
import type { Frame } from './frame.js';
import { callHelper } from './run-body.js';
import {
  equals as equalsKey, isSeq, keyOf, list, makeSet, show, truthy as truthyOf, tuple, type Dict, type Multigoal, type Value,
} from './values.js';

/** `in f: op cannot take a and b`: the engine's type error. */
export function typeError(f: Frame, op: string, a: Value, b: Value): never {
  throw new DomainBug(`in ${f.fn}: ${op} cannot take ${show(a)} and ${show(b)}`);
}

/** `in f: cannot iterate over x`. */
export function iterError(f: Frame, x: Value): never {
  throw new DomainBug(`in ${f.fn}: cannot iterate over ${show(x)}`);
}

/**
 * A bare name: local or parameter, then constant, then state variable (its
 * value when it is a scalar variable, else a reference to it).
 */
function nameValue(f: Frame, name: string): Value {
  const local = f.lookup(name);
  if (local) return local.value;
  if (f.ctx.consts.has(name)) return f.ctx.consts.get(name)!;
  if (f.state.hasScalar(name)) return f.state.get(name, null);
  return { t: 'varref', name };
}

/** Whether a bare name in this place reads the state (not shadowed by a local or constant). */
export function isStateName(f: Frame, e: Expr): e is { name: string } {
  return 'name' in e && !f.lookup(e.name) && !f.ctx.consts.has(e.name) && f.ctx.vars.has(e.name);
}

/** Evaluates an expression. */
export function evaluate(f: Frame, e: Expr): Value {
  if ('lit' in e) {
    const l = e.lit;
    return 'sym' in l ? l.sym : 'num' in l ? l.num : 'bool' in l ? l.bool : null;
  }
  if ('name' in e) return nameValue(f, e.name);
  if ('index' in e) {
    const { base, key } = e.index;
    if (isStateName(f, base)) return f.state.get(base.name, evaluate(f, key));
    if ('field' in base) {
      const mg = evaluate(f, base.field.base);
      const k = evaluate(f, key);
      if (!isMg(mg)) typeError(f, '.', mg, k);
      return dictGet(mg.vars.get(base.field.name), k);
    }
    return index(f, evaluate(f, base), evaluate(f, key));
  }
  if ('field' in e) {
    const mg = evaluate(f, e.field.base);
    if (!isMg(mg)) typeError(f, '.', mg, null);
    return { t: 'mgvar', mg, name: e.field.name };
  }
  if ('call' in e) return call(f, e.call.fn, e.call.args);
  if ('binary' in e) return binary(f, e.binary.op, e.binary.left, e.binary.right);
  if ('unary' in e) {
    const a = evaluate(f, e.unary.arg);
    if (e.unary.op === 'not') return !truthyOf(a);
    if (typeof a !== 'number') typeError(f, 'unary -', a, null);
    return -a;
  }
  if ('list' in e) return list(e.list.map((x) => evaluate(f, x)));
  if ('tuple' in e) return tuple(e.tuple.map((x) => evaluate(f, x)));
  if ('set' in e) return makeSet(e.set.map((x) => evaluate(f, x)));
  if ('comp' in e) {
    const { elem, vars, iter, cond } = e.comp;
    const out: Value[] = [];
    forEach(f, vars, evaluate(f, iter), () => {
      if (!cond || truthyOf(evaluate(f, cond))) out.push(evaluate(f, elem));
      return undefined;
    });
    return list(out);
  }
  if ('multigoal' in e) return multigoal(f, e.multigoal.name, e.multigoal.goals);
  throw new Error(`the validator lets no ${Object.keys(e)[0]} expression through here`);
}


function isMg(v: Value): v is Multigoal { return v !== null && typeof v === 'object' && v.t === 'mg'; }

function dictGet(d: Dict | undefined, k: Value): Value {
  const key = keyOf(k);
  return key === undefined ? null : d?.get(key)?.value ?? null;
}

/** `b[k]` on a value: a variable, `mg.v`, a constant map, a list or tuple; nil on nil. */
function index(f: Frame, b: Value, k: Value): Value {
  if (b === null) return null;
  if (typeof b === 'object') {
    if (b.t === 'varref') return f.state.get(b.name, k);
    if (b.t === 'mgvar') return dictGet(b.mg.vars.get(b.name), k);
    if (b.t === 'map') return b.entries.find(([x]) => equalsKey(x, k))?.[1] ?? null;
    if (b.t === 'tuple' || b.t === 'list') {
      if (typeof k !== 'number') typeError(f, '[]', b, k);
      let i = Math.trunc(k);
      if (i < 0) i += b.items.length;
      return i >= 0 && i < b.items.length ? b.items[i] : null;
    }
  }
  return typeError(f, '[]', b, k);
}


/** `a in b`: membership in a variable's keys, `mg.v`'s keys, a sequence or a map's keys; false in a multigoal. */
export function member(f: Frame, op: string, a: Value, b: Value): boolean {
  if (b !== null && typeof b === 'object') {
    if (b.t === 'varref') return f.state.has(b.name, a);
    if (b.t === 'mgvar') { const key = keyOf(a); return key !== undefined && (b.mg.vars.get(b.name)?.has(key) ?? false); }
    if (isSeq(b)) return b.items.some((x) => equalsKey(x, a));
    if (b.t === 'map') return b.entries.some(([x]) => equalsKey(x, a));
    if (b.t === 'mg') return false;
  }
  return typeError(f, op, a, b);
}

const ARITH = new Set(['+', '-', '*', '/', '//', '%', '<', '<=', '>', '>=']);

function binary(f: Frame, op: string, left: Expr, right: Expr): Value {
  if (op === 'and') { const a = evaluate(f, left); return truthyOf(a) ? evaluate(f, right) : a; }
  if (op === 'or') { const a = evaluate(f, left); return truthyOf(a) ? a : evaluate(f, right); }
  if ((op === 'in' || op === 'not in') && isStateName(f, right)) {
    const a = evaluate(f, left);
    // A scalar variable: membership in its value; a type error names `in`, whether `in` or `not in` was written.
    const r = f.state.hasScalar(right.name) ? member(f, 'in', a, f.state.get(right.name, null)) : f.state.has(right.name, a);
    return op === 'in' ? r : !r;
  }
  if ((op === 'in' || op === 'not in') && 'field' in right) {
    // The multigoal is evaluated before the key here, as the engine compiles `k in mg.v`.
    const mg = evaluate(f, right.field.base);
    const a = evaluate(f, left);
    if (!isMg(mg)) typeError(f, 'an operator', mg, a);
    const key = keyOf(a);
    const r = key !== undefined && (mg.vars.get(right.field.name)?.has(key) ?? false);
    return op === 'in' ? r : !r;
  }
  const a = evaluate(f, left);
  const b = evaluate(f, right);
  if (op === '==') return equalsKey(a, b);
  if (op === '!=') return !equalsKey(a, b);
  if (op === 'in') return member(f, op, a, b);
  if (op === 'not in') return !member(f, op, a, b);
  if (!ARITH.has(op)) throw new Error(`unknown operator ${op}`);
  if (typeof a !== 'number' || typeof b !== 'number') {
    // `+` joins two lists or two tuples, as Python's does.
    if (op === '+' && a !== null && b !== null && typeof a === 'object' && typeof b === 'object'
      && a.t === b.t && (a.t === 'list' || a.t === 'tuple')) {
      return { t: a.t, items: [...a.items, ...(b as typeof a).items] };
    }
    return typeError(f, op, a, b);
  }
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': if (b === 0) typeError(f, op, a, b); return a / b;
    case '//': if (b === 0) typeError(f, op, a, b); return Math.floor(a / b);
    case '%': {
      if (b === 0) typeError(f, op, a, b);
      // Python's modulo takes the sign of the divisor.
      let m = a % b;
      if (m !== 0 && (m < 0) !== (b < 0)) m += b;
      return m;
    }
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

/** How many elements iterating over v visits, or -1 when v is not a collection (len, choose). */
export function sizeOf(f: Frame, v: Value): number {
  if (v === null || typeof v !== 'object') return -1;
  if (isSeq(v)) return v.items.length;
  if (v.t === 'map') return v.entries.length;
  if (v.t === 'varref') return f.state.dict(v.name).size;
  if (v.t === 'mgvar') return v.mg.vars.get(v.name)?.size ?? 0;
  return -1;
}

function call(f: Frame, fn: string, args: Expr[]): Value {
  const helper = f.ctx.helpers.get(fn);
  if (helper) return callHelper(f, helper, args.map((a) => evaluate(f, a)));
  const vals = args.map((a) => evaluate(f, a));
  switch (fn) {
    case 'len': { const n = sizeOf(f, vals[0]); if (n < 0) typeError(f, 'len', vals[0], null); return n; }
    case 'abs': if (typeof vals[0] !== 'number') typeError(f, 'abs', vals[0], null); return Math.abs(vals[0]);
    case 'min': case 'max': {
      const [a, b] = vals;
      if (typeof a !== 'number' || typeof b !== 'number') return typeError(f, fn, a, b);
      // Python's min/max return the first of equal arguments.
      return fn === 'min' ? (b < a ? b : a) : (b > a ? b : a);
    }
    default:
      // An action, command, task or unigoal variable: the todo item (name, args...).
      return tuple([fn, ...vals]);
  }
}

/** A multigoal literal: one entry per (variable, key), the value written last winning, as in a dict. */
function multigoal(f: Frame, name: string, goals: { var: string; key: Expr; value: Expr }[]): Multigoal {
  const triples = goals.map((g) => [g.var, evaluate(f, g.key), evaluate(f, g.value)] as const);
  const vars = new Map<string, Dict>();
  for (const [v, k] of triples) {
    // The engine checks every key before building the multigoal, and names no function (#-1).
    if (keyOf(k) === undefined) throw new DomainBug(`in #-1: ${show(k)} cannot be a state key or value`);
    void v;
  }
  for (const [v, k, x] of triples) {
    let d = vars.get(v);
    if (!d) { d = new Map(); vars.set(v, d); }
    const key = keyOf(k)!;
    d.set(key, { key: d.get(key)?.key ?? k, value: x });
  }
  return { t: 'mg', name, vars };
}

/**
 * `for vars in it`: calls body with each element bound (a variable's keys
 * and values, a map's, `mg.v`'s, or a sequence's elements, pairs split for
 * two names). Stops when body returns a signal other than undefined or
 * 'continue' ('break' ends the loop only), and returns it.
 */
export function forEach<T>(f: Frame, names: string[], it: Value, body: () => T | undefined | 'continue' | 'break'): T | undefined {
  const entries = iterate(f, it, names.length === 2);
  f.push();
  try {
    for (const [k, v] of entries) {
      step(f.ctx);
      f.declare(names[0], k);
      if (names.length === 2) f.declare(names[1], v);
      const r = body();
      if (r === 'break') break;
      if (r !== undefined && r !== 'continue') return r as T;
    }
    return undefined;
  } finally { f.pop(); }
}

function* iterate(f: Frame, it: Value, pairs: boolean): Generator<[Value, Value]> {
  if (it === null || typeof it !== 'object' || it.t === 'mg') return iterError(f, it);
  if (it.t === 'varref' || it.t === 'mgvar') {
    const d = it.t === 'varref' ? f.state.dict(it.name) : it.mg.vars.get(it.name) ?? new Map();
    for (const e of d.values()) yield [e.key, e.value];
    return;
  }
  if (it.t === 'map') { for (const [k, v] of it.entries) yield [k, v]; return; }
  if (!isSeq(it)) return iterError(f, it);
  for (const x of it.items) {
    if (!pairs) { yield [x, null]; continue; }
    if (x === null || typeof x !== 'object' || (x.t !== 'tuple' && x.t !== 'list') || x.items.length !== 2) iterError(f, x);
    yield [x.items[0], x.items[1]];
  }
}

/** The i-th element an iteration over it visits (the key, for a variable, map or `mg.v`); `choose` binds it. */
export function elementAt(f: Frame, it: Value, i: number): Value {
  let j = 0;
  for (const [k] of iterate(f, it, false)) if (j++ === i) return k;
  return null;
}
