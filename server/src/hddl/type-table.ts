/**
 * The type hierarchy of a domain and the objects of a problem: subtype
 * tests, which objects belong to a type, and the type of each object.
 */
import type { HddlDomain, HddlProblem } from './hddl-ast.js';
import { hddlError } from './sexpr.js';

/** Types and objects of one domain and problem. Types form a DAG under `object` (a type may have several parents). */
export class TypeTable {
  /** Each type's parents; `object` has none. */
  readonly parents = new Map<string, string[]>();
  /** Each type's first parent (a supertype; with several parents, not the only one). */
  readonly parent = new Map<string, string>();
  /** Every object (problem objects and domain constants) with its declared type, in declaration order. */
  readonly objectType = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly subCache = new Map<string, boolean>();
  /** Whether some type has several parents. */
  private readonly dag: boolean;
  private readonly overlapCache = new Map<string, boolean>();

  constructor(d: HddlDomain, p?: HddlProblem) {
    for (const [t, par] of d.typeParent) this.parents.set(t, par);
    // A type named only as a parent is a child of object.
    for (const ps of d.typeParent.values()) for (const par of ps) if (par !== 'object' && !this.parents.has(par)) this.parents.set(par, ['object']);
    for (const [t, ps] of this.parents) this.parent.set(t, ps[0]);
    this.dag = [...this.parents.values()].some((ps) => ps.length > 1);
    // A cycle: a type reachable from itself through parents.
    const state = new Map<string, number>();
    const walk = (t: string): void => {
      if (t === 'object' || state.get(t) === 2) return;
      if (state.get(t) === 1) hddlError(d.file, d.typePos.get(t), `the type hierarchy has a cycle through '${t}'`);
      state.set(t, 1);
      for (const par of this.parents.get(t) ?? []) walk(par);
      state.set(t, 2);
    };
    for (const t of this.parents.keys()) walk(t);
    const add = (name: string, type: string, file: string, pos: { line: number; col: number }): void => {
      if (!this.has(type)) hddlError(file, pos, `unknown type '${type}'`);
      const had = this.objectType.get(name);
      if (had !== undefined && had !== type) hddlError(file, pos, `object '${name}' declared with two types ('${had}' and '${type}')`);
      if (had === undefined) this.objectType.set(name, type);
    };
    for (const c of d.constants) add(c.name, c.type, d.file, c.pos);
    if (p) for (const o of p.objects) add(o.name, o.type, p.file, o.pos);
  }

  /** Whether the type is known (declared, used as a parent, or `object`). */
  has(t: string): boolean { return t === 'object' || this.parents.has(t); }

  /** Whether a is b or a subtype of b (through any parent). */
  isSub(a: string, b: string): boolean {
    if (b === 'object' || a === b) return true;
    if (!this.dag) {
      // A tree (every IPC total-order domain): walk up, no cache needed.
      for (let x: string | undefined = a; x !== undefined; x = this.parent.get(x)) if (x === b) return true;
      return false;
    }
    const k = `${a} ${b}`;
    let r = this.subCache.get(k);
    if (r === undefined) {
      r = (this.parents.get(a) ?? []).some((x) => this.isSub(x, b));
      this.subCache.set(k, r);
    }
    return r;
  }

  /** Whether some object could have both types: one is a subtype of the other, or some type is a subtype of both. */
  overlap(a: string, b: string): boolean {
    if (this.isSub(a, b) || this.isSub(b, a)) return true;
    if (!this.dag) return false;
    const k = `${a} ${b}`;
    let r = this.overlapCache.get(k);
    if (r === undefined) {
      r = [...this.parents.keys()].some((c) => this.isSub(c, a) && this.isSub(c, b));
      this.overlapCache.set(k, r);
    }
    return r;
  }

  /** The narrower of two types when one is a subtype of the other, else undefined (with several parents they may still overlap). */
  meet(a: string, b: string): string | undefined {
    if (this.isSub(a, b)) return a;
    if (this.isSub(b, a)) return b;
    return undefined;
  }

  /** Objects of type t or a subtype, in declaration order (domain constants first). */
  objectsOf(t: string): string[] {
    let m = this.members.get(t);
    if (!m) {
      m = [...this.objectType].filter(([, ty]) => this.isSub(ty, t)).map(([o]) => o);
      this.members.set(t, m);
    }
    return m;
  }

  /** Whether object o is of type t (or a subtype). */
  objectIs(o: string, t: string): boolean {
    const ty = this.objectType.get(o);
    return ty !== undefined && this.isSub(ty, t);
  }
}
