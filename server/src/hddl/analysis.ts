/**
 * Static analysis that makes depth-first planning on HDDL fast without
 * changing which plans exist:
 *
 * - effect signatures: which predicates (with which argument types) each
 *   task can possibly add or delete, through any decomposition;
 * - necessary preconditions: literals that must hold when a method is
 *   applied, pulled up from its subtasks when no earlier subtask can change
 *   them (as HyperTensioN's Pullup does, but type-aware). They prune
 *   bindings early and let free parameters be bound from the state;
 * - knots: the subtask positions that close a recursion cycle, where the
 *   mapping puts its loop check (HyperTensioN's Dejavu).
 */
import type { Formula, HddlDomain, MethodDef, Term } from './hddl-ast.js';
import type { TypeTable } from './type-table.js';

/** A literal: an atom or its negation; args are variables, constants, or `#i` (task parameter i). */
export interface Lit {
  pred: string;
  args: Term[];
  neg: boolean;
}

/** What an action may do to one predicate: add or delete it, with these argument types. */
interface Sig {
  pred: string;
  types: string[];
  add: boolean;
}

export const litKey = (l: Lit): string => `${l.neg ? '!' : ''}${l.pred}(${l.args.join(',')})`;

const litCache = new WeakMap<Formula, Lit[]>();

/** The atoms and negated atoms among the top-level conjuncts of f (cached: the fixpoint asks often). */
export function topLits(f: Formula): Lit[] {
  let l = litCache.get(f);
  if (!l) {
    if (f.kind === 'atom') l = [{ pred: f.pred, args: f.args, neg: false }];
    else if (f.kind === 'not' && f.arg.kind === 'atom') l = [{ pred: f.arg.pred, args: f.arg.args, neg: true }];
    else if (f.kind === 'and') l = f.args.flatMap(topLits);
    else l = [];
    litCache.set(f, l);
  }
  return l;
}

/** Results of the analysis of one domain (with a problem's objects, for constant types). */
export class Analysis {
  /** Per task or action name: every effect it may have. */
  private readonly reach = new Map<string, Sig[]>();
  /** Per abstract task: literals over its parameters (`#i`) that hold whenever it is decomposed. */
  private readonly necTask = new Map<string, Lit[]>();
  /** Methods by task, in file order. */
  readonly methodsOf = new Map<string, MethodDef[]>();
  /** `method name/subtask index` of each knot. */
  readonly knots = new Set<string>();

  constructor(readonly d: HddlDomain, readonly types: TypeTable, roots: string[]) {
    for (const t of d.tasks.keys()) this.methodsOf.set(t, []);
    for (const m of d.methods) this.methodsOf.get(m.task)!.push(m);
    this.effects();
    this.necessary();
    this.findKnots(roots);
  }

  private effects(): void {
    for (const a of this.d.actions.values()) {
      const sigs: Sig[] = [];
      const typeOf = new Map(a.params.map((p) => [p.name, p.type]));
      const walk = (e: typeof a.effect, scope: Map<string, string>): void => {
        if (e.kind === 'add' || e.kind === 'del') {
          sigs.push({ pred: e.pred, add: e.kind === 'add', types: e.args.map((t) => scope.get(t) ?? this.types.objectType.get(t) ?? 'object') });
        } else if (e.kind === 'and') for (const x of e.args) walk(x, scope);
        else if (e.kind === 'forall') walk(e.body, new Map([...scope, ...e.vars.map((v) => [v.name, v.type] as [string, string])]));
        else if (e.kind === 'when') walk(e.body, scope);
      };
      walk(a.effect, typeOf);
      this.reach.set(a.name, sigs);
    }
    for (const t of this.d.tasks.keys()) this.reach.set(t, []);
    // Propagate up the task graph until nothing changes.
    for (let changed = true; changed;) {
      changed = false;
      for (const [t, ms] of this.methodsOf) {
        const mine = this.reach.get(t)!;
        const keys = new Set(mine.map(sigKey));
        for (const m of ms) for (const s of m.subtasks) for (const sig of this.reach.get(s.task)!) {
          const k = sigKey(sig);
          if (!keys.has(k)) { keys.add(k); mine.push(sig); changed = true; }
        }
      }
    }
  }

  /** The static type of a term in a method (its parameter type, or the constant's type). */
  termType(m: { params: { name: string; type: string }[] }, t: Term): string {
    if (t.startsWith('?')) return m.params.find((p) => p.name === t)?.type ?? 'object';
    return this.types.objectType.get(t) ?? 'object';
  }

  /** Whether any of sigs may change lit (add it, for a positive literal; delete it, for a negative one). */
  private mayChange(sigs: Sig[], lit: Lit, typeOf: (t: Term) => string): boolean {
    return sigs.some((s) => s.pred === lit.pred && s.add === !lit.neg
      && s.types.every((ty, i) => this.types.overlap(ty, typeOf(lit.args[i]))));
  }

  /**
   * Literals over m's variables and constants that hold whenever m is
   * applied and its decomposition succeeds: its own precondition's, and
   * those of each subtask that no earlier subtask can change.
   */
  necessaryOf(m: MethodDef): Lit[] {
    const out = new Map<string, Lit>();
    for (const l of topLits(m.pre)) out.set(litKey(l), l);
    const typeOf = (t: Term): string => this.termType(m, t);
    const before: Sig[] = [];
    for (const s of m.subtasks) {
      const a = this.d.actions.get(s.task);
      let cand: Lit[];
      if (a) {
        const sub = new Map(a.params.map((p, i) => [p.name, s.args[i]]));
        cand = topLits(a.pre).map((l) => ({ ...l, args: l.args.map((x) => sub.get(x) ?? x) }));
      } else {
        cand = (this.necTask.get(s.task) ?? []).map((l) => ({ ...l, args: l.args.map((x) => (x.startsWith('#') ? s.args[Number(x.slice(1))] : x)) }));
      }
      for (const l of cand) if (!this.mayChange(before, l, typeOf)) out.set(litKey(l), l);
      before.push(...this.reach.get(s.task)!);
    }
    return [...out.values()];
  }

  private necessary(): void {
    // Grows from nothing to the least fixpoint; every step is sound, so a cap on rounds is safe.
    for (let round = 0; round < 50; round++) {
      let changed = false;
      for (const [t, ms] of this.methodsOf) {
        let common: Map<string, Lit> | undefined;
        for (const m of ms) {
          const pos = new Map<string, string>();
          m.taskArgs.forEach((x, i) => { if (x.startsWith('?') && !pos.has(x)) pos.set(x, `#${i}`); });
          const mine = new Map<string, Lit>();
          for (const l of this.necessaryOf(m)) {
            if (l.args.some((x) => x.startsWith('?') && !pos.has(x))) continue;
            const g = { ...l, args: l.args.map((x) => pos.get(x) ?? x) };
            mine.set(litKey(g), g);
          }
          common = common === undefined ? mine : new Map([...common].filter(([k]) => mine.has(k)));
        }
        const next = [...(common ?? new Map()).values()];
        if (next.length !== (this.necTask.get(t)?.length ?? 0)) changed = true;
        this.necTask.set(t, next);
      }
      if (!changed) break;
    }
  }

  /** Back edges of a depth-first walk of the task graph from the root tasks, then from every other task. */
  private findKnots(roots: string[]): void {
    const color = new Map<string, 1 | 2>();
    const visit = (t: string): void => {
      color.set(t, 1);
      for (const m of this.methodsOf.get(t) ?? []) {
        m.subtasks.forEach((s, i) => {
          if (!this.methodsOf.has(s.task)) return;
          const c = color.get(s.task);
          if (c === 1) this.knots.add(`${m.name}/${i}`);
          else if (c === undefined) visit(s.task);
        });
      }
      color.set(t, 2);
    };
    for (const t of [...roots, ...this.d.tasks.keys()]) if (this.methodsOf.has(t) && !color.has(t)) visit(t);
  }
}

const sigKey = (s: Sig): string => `${s.add ? '+' : '-'}${s.pred}(${s.types.join(',')})`;
