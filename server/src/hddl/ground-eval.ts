/**
 * Ground HDDL semantics for the verifier: a state is a set of ground atoms;
 * formulas are evaluated and effects applied directly from the parsed
 * model, independently of the mapping onto the engine.
 */
import type { Effect, Formula, Term } from './hddl-ast.js';
import type { TypeTable } from './type-table.js';

/** A set of true ground atoms, each written `pred arg1 arg2`. */
export type GroundState = Set<string>;

/** The key of a ground atom. */
export const atomKey = (pred: string, args: string[]): string => [pred, ...args].join(' ');

/** A term's object under a binding; an unbound variable is an error. */
export function ground(t: Term, b: Map<string, string>): string {
  if (!t.startsWith('?')) return t;
  const v = b.get(t);
  if (v === undefined) throw new Error(`variable ${t} is not bound`);
  return v;
}

/** Whether f holds in state s under binding b. */
export function holds(f: Formula, s: GroundState, b: Map<string, string>, types: TypeTable): boolean {
  switch (f.kind) {
    case 'true': return true;
    case 'atom': return s.has(atomKey(f.pred, f.args.map((t) => ground(t, b))));
    case 'eq': return ground(f.left, b) === ground(f.right, b);
    case 'not': return !holds(f.arg, s, b, types);
    case 'and': return f.args.every((a) => holds(a, s, b, types));
    case 'or': return f.args.some((a) => holds(a, s, b, types));
    case 'imply': return !holds(f.left, s, b, types) || holds(f.right, s, b, types);
    case 'forall': case 'exists': {
      const want = f.kind === 'exists';
      let found = !want;
      bindings(f.vars, types, b, (inner) => {
        if (holds(f.body, s, inner, types) === want) { found = want; return true; }
        return false;
      });
      return found;
    }
  }
}

/**
 * Calls visit with b extended by every binding of vars to objects of their
 * types, until visit returns true.
 */
export function bindings(vars: { name: string; type: string }[], types: TypeTable, b: Map<string, string>, visit: (b: Map<string, string>) => boolean): boolean {
  const rec = (i: number, cur: Map<string, string>): boolean => {
    if (i === vars.length) return visit(cur);
    for (const o of types.objectsOf(vars[i].type)) {
      const next = new Map(cur);
      next.set(vars[i].name, o);
      if (rec(i + 1, next)) return true;
    }
    return false;
  };
  return rec(0, b);
}

/** The state after effect e under binding b: conditions read s, deletes go before adds. */
export function applyEffect(e: Effect, s: GroundState, b: Map<string, string>, types: TypeTable): GroundState {
  const dels: string[] = [];
  const adds: string[] = [];
  const walk = (x: Effect, bb: Map<string, string>): void => {
    switch (x.kind) {
      case 'add': adds.push(atomKey(x.pred, x.args.map((t) => ground(t, bb)))); return;
      case 'del': dels.push(atomKey(x.pred, x.args.map((t) => ground(t, bb)))); return;
      case 'and': for (const y of x.args) walk(y, bb); return;
      case 'forall': bindings(x.vars, types, bb, (inner) => { walk(x.body, inner); return false; }); return;
      case 'when': if (holds(x.cond, s, bb, types)) walk(x.body, bb); return;
    }
  };
  walk(e, b);
  const out = new Set(s);
  for (const k of dels) out.delete(k);
  for (const k of adds) out.add(k);
  return out;
}
