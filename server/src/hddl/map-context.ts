/**
 * Shared state of the mapping from HDDL to the Aria domain model: the names
 * it generates, the predicate indexes that methods ask for, the helper
 * functions of quantified formulas, and small builders for expressions.
 *
 * Generated names cannot clash with HDDL names: HDDL names may not start
 * with `__` (check-hddl.ts), and every generated state variable, constant
 * and function has a `__` in it after a one-letter prefix, or starts with `__`.
 */
import type { ConstDecl, Expr, FunctionDecl, Stmt } from '../planner/index.js';
import type { Analysis } from './analysis.js';
import type { HddlDomain, HddlProblem, Term } from './hddl-ast.js';
import type { TypeTable } from './type-table.js';

/** How recursion is kept finite (see docs/hddl.md). */
export type LoopCheck = 'terms' | 'state' | 'none';

/** A state variable listing, per key of the bound argument positions, the true atoms of a predicate. */
export interface IndexDef {
  pred: string;
  /** Bound argument positions, ascending; the key is their values. */
  bound: number[];
  /** State variable name. */
  name: string;
}

// Expression builders.
export const sym = (s: string): Expr => ({ lit: { sym: s } });
export const num = (x: number): Expr => ({ lit: { num: x } });
export const bool = (b: boolean): Expr => ({ lit: { bool: b } });
export const nil: Expr = { lit: { nil: true } };
export const nameE = (n: string): Expr => ({ name: n });
export const idx = (base: Expr, key: Expr): Expr => ({ index: { base, key } });
export const tuple = (xs: Expr[]): Expr => ({ tuple: xs });
export const list = (xs: Expr[]): Expr => ({ list: xs });
export const not = (e: Expr): Expr => ({ unary: { op: 'not', arg: e } });
export const bin = (op: '==' | '!=' | 'and' | 'or' | '+' | '-' | '*' | '%' | 'in', left: Expr, right: Expr): Expr => ({ binary: { op, left, right } });
export const call = (fn: string, args: Expr[]): Expr => ({ call: { fn, args } });
export const req = (e: Expr): Stmt => ({ require: e });
export const letS = (name: string, value: Expr): Stmt => ({ let: { name, value } });
export const assign = (target: Expr, value: Expr): Stmt => ({ assign: { target, value } });
/** `a and b and ...`, or true when empty. */
export const andAll = (xs: Expr[]): Expr => (xs.length === 0 ? bool(true) : xs.reduce((a, b) => bin('and', a, b)));
/** A todo item with an explicit symbol head: never resolved as a helper or built-in name. */
export const item = (name: string, args: Expr[]): Expr => tuple([sym(name), ...args]);

/** The key under which an atom with these argument expressions is stored. */
export function keyOf(args: Expr[]): Expr {
  if (args.length === 0) return nil;
  if (args.length === 1) return args[0];
  return tuple(args);
}

/** Everything the mapping of one domain and problem shares. */
export class MapContext {
  readonly consts: ConstDecl[] = [];
  readonly functions: FunctionDecl[] = [];
  readonly vars = new Set<string>();
  /** Types whose membership some body tests, so `__init` must fill `y__<type>`. */
  readonly testedTypes = new Set<string>();
  readonly indexes = new Map<string, IndexDef>();
  /** Object types enumerated by some body, so `o__<type>` must exist. */
  readonly listedTypes = new Set<string>();
  /** Whether actions keep the state hash (state-hash.ts) up to date: some loop check needs it. */
  stateHashed = false;
  /**
   * Predicates with goal atoms that some early goal check marks final
   * (goal-checks.ts): `pos` atoms must stay true, `neg` ones false.
   */
  readonly finalPreds = { pos: new Set<string>(), neg: new Set<string>() };
  /** Knot keys (`method/subtask`) to the number used in visit keys. */
  readonly knotIds = new Map<string, number>();
  private fnCount = 0;

  constructor(
    readonly d: HddlDomain,
    readonly p: HddlProblem,
    readonly types: TypeTable,
    readonly an: Analysis,
    readonly loopCheck: LoopCheck,
  ) {
    for (const pred of d.predicates.keys()) this.vars.add(this.predVar(pred));
  }

  /** State variable holding predicate p's atoms (key: the arguments; value true or false). */
  predVar(p: string): string { return `s__${p}`; }

  /** The expression `s__p[key]`: whether the atom holds. */
  atom(pred: string, args: Expr[]): Expr { return idx(nameE(this.predVar(pred)), keyOf(args)); }

  /** The expression testing that object expression e is of type t. */
  isType(e: Expr, t: string): Expr {
    if (t === 'object') return bool(true);
    this.testedTypes.add(t);
    const v = `y__${t}`;
    this.vars.add(v);
    return idx(nameE(v), e);
  }

  /** The constant listing the objects of type t, in declaration order. */
  objects(t: string): Expr {
    this.listedTypes.add(t);
    return nameE(`o__${t}`);
  }

  /** The index of predicate pred by the given bound positions, created on first use. */
  index(pred: string, bound: number[]): IndexDef {
    const key = `${pred}|${bound.join(',')}`;
    let d = this.indexes.get(key);
    if (!d) {
      d = { pred, bound, name: `x__${pred}__${bound.length === 0 ? 'all' : bound.join('_')}` };
      this.indexes.set(key, d);
      this.vars.add(d.name);
    }
    return d;
  }

  /** The key of an index entry for an atom's argument expressions. */
  indexKey(ix: IndexDef, args: Expr[]): Expr {
    if (ix.bound.length === 0) return sym('*');
    return keyOf(ix.bound.map((i) => args[i]));
  }

  /** A new helper function name. */
  freshFn(): string { return `f__${this.fnCount++}`; }

  /** The number of a knot, for visit keys. */
  knotId(k: string): number {
    let n = this.knotIds.get(k);
    if (n === undefined) { n = this.knotIds.size; this.knotIds.set(k, n); }
    return n;
  }

  /** The local variable name of an HDDL variable. */
  local(v: Term): string { return `v_${v.slice(1)}`; }

  /** A term as an expression: a bound variable's expression, or the constant's symbol. */
  term(t: Term, env: Map<string, Expr>): Expr {
    if (!t.startsWith('?')) return sym(t);
    const e = env.get(t);
    if (!e) throw new Error(`internal: variable ${t} is not bound`);
    return e;
  }
}
