/**
 * Facts about the initial state and the effects that the binding order
 * uses: how many atoms of a predicate match a partly bound pattern (to
 * enumerate the smallest set first), and which types really occur at each
 * argument position (to skip type tests that cannot fail).
 */
import type { HddlDomain, HddlProblem } from './hddl-ast.js';
import type { TypeTable } from './type-table.js';

/** Statistics of one problem's initial state. */
export class InitStats {
  private readonly facts = new Map<string, string[][]>();
  private readonly estimates = new Map<string, number>();
  private readonly argTypes = new Map<string, string>();

  constructor(readonly d: HddlDomain, p: HddlProblem, readonly types: TypeTable) {
    for (const a of p.init) {
      let l = this.facts.get(a.pred);
      if (!l) { l = []; this.facts.set(a.pred, l); }
      l.push(a.args);
    }
    this.collectArgTypes(p);
  }

  /** Initial atoms of a predicate. */
  atoms(pred: string): string[][] { return this.facts.get(pred) ?? []; }

  /**
   * Expected number of atoms matching a pattern whose `bound` positions are
   * fixed: atoms per distinct key in the initial state (at least 1, so a
   * predicate that starts empty is not taken for free).
   */
  estimate(pred: string, bound: number[]): number {
    const k = `${pred}|${bound.join(',')}`;
    let e = this.estimates.get(k);
    if (e === undefined) {
      const atoms = this.atoms(pred);
      const keys = new Set(atoms.map((a) => bound.map((i) => a[i]).join(' ')));
      e = atoms.length === 0 ? 1 : Math.max(1, atoms.length / keys.size);
      this.estimates.set(k, e);
    }
    return e;
  }

  /** The narrowest type covering every object that can appear at position i of pred. */
  argType(pred: string, i: number): string {
    return this.argTypes.get(`${pred}/${i}`) ?? this.d.predicates.get(pred)?.params[i]?.type ?? 'object';
  }

  /** The least common supertype of two types. */
  join(a: string, b: string): string {
    for (let x: string | undefined = a; x !== undefined; x = this.types.parent.get(x)) if (this.types.isSub(b, x)) return x;
    return 'object';
  }

  private note(pred: string, i: number, type: string): void {
    const k = `${pred}/${i}`;
    const had = this.argTypes.get(k);
    this.argTypes.set(k, had === undefined ? type : this.join(had, type));
  }

  private collectArgTypes(p: HddlProblem): void {
    for (const a of p.init) a.args.forEach((o, i) => this.note(a.pred, i, this.types.objectType.get(o) ?? 'object'));
    for (const act of this.d.actions.values()) {
      const walk = (e: typeof act.effect, scope: Map<string, string>): void => {
        if (e.kind === 'add') e.args.forEach((t, i) => this.note(e.pred, i, scope.get(t) ?? this.types.objectType.get(t) ?? 'object'));
        else if (e.kind === 'and') for (const x of e.args) walk(x, scope);
        else if (e.kind === 'forall') walk(e.body, new Map([...scope, ...e.vars.map((v) => [v.name, v.type] as [string, string])]));
        else if (e.kind === 'when') walk(e.body, scope);
      };
      walk(act.effect, new Map(act.params.map((x) => [x.name, x.type])));
    }
  }
}
