/**
 * The type hierarchy of a domain and the objects of a problem: subtype
 * tests, which objects belong to a type, and the type of each object.
 */
import type { HddlDomain, HddlProblem } from './hddl-ast.js';
import { hddlError } from './sexpr.js';

/** Types and objects of one domain and problem. */
export class TypeTable {
  /** Each type's parent; `object` has none. */
  readonly parent = new Map<string, string>();
  /** Every object (problem objects and domain constants) with its declared type, in declaration order. */
  readonly objectType = new Map<string, string>();
  private readonly members = new Map<string, string[]>();

  constructor(d: HddlDomain, p?: HddlProblem) {
    for (const [t, par] of d.typeParent) this.parent.set(t, par);
    // A type named only as a parent is a child of object.
    for (const par of d.typeParent.values()) if (par !== 'object' && !this.parent.has(par)) this.parent.set(par, 'object');
    for (const t of this.parent.keys()) {
      const seen = new Set<string>();
      for (let x: string | undefined = t; x !== undefined && x !== 'object'; x = this.parent.get(x)) {
        if (seen.has(x)) hddlError(d.file, d.typePos.get(t), `the type hierarchy has a cycle through '${t}'`);
        seen.add(x);
      }
    }
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
  has(t: string): boolean { return t === 'object' || this.parent.has(t); }

  /** Whether a is b or a subtype of b. */
  isSub(a: string, b: string): boolean {
    if (b === 'object') return true;
    for (let x: string | undefined = a; x !== undefined; x = this.parent.get(x)) if (x === b) return true;
    return false;
  }

  /** Whether some object could have both types (in a tree: one is a subtype of the other). */
  overlap(a: string, b: string): boolean { return this.isSub(a, b) || this.isSub(b, a); }

  /** The narrower of two types when one is a subtype of the other, else undefined. */
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
