/**
 * Typed random expressions over the generator's fixed vocabulary
 * (vocabulary.ts): objects, places, integers, booleans and collections.
 * Keeping to types makes most generated domains run far enough to plan;
 * the few ill-typed values left (a missing key read as nil, a division by
 * zero) exercise the engine's runtime errors.
 */
import type { Tape } from './tape.js';
import { OBJECTS, PLACES } from './vocabulary.js';

/** The names an expression may use, by type. */
export interface Scope {
  obj: string[];
  place: string[];
  int: string[];
  bool: string[];
  /** The multigoal parameter of a multigoal method. */
  mg?: string;
  /** Whether the state may be read through helpers (everything but helpers' own bodies calling themselves). */
  helpers: boolean;
}

const q = (s: string): string => `'${s}'`;

/** An object: a name in scope, a literal, or an element of the constant list. */
export function objExpr(t: Tape, s: Scope): string {
  switch (t.weighted([3, 3, 1])) {
    case 0: return s.obj.length ? t.one(s.obj) : q(t.one(OBJECTS));
    case 1: return q(t.one(OBJECTS));
    default: return `objs[${t.int(-3, 2)}]`;
  }
}

/** A place: a name, a literal, where an object is, the scalar `mode`, or a multigoal's wanted value. */
export function placeExpr(t: Tape, s: Scope, d: number): string {
  switch (t.weighted([3, 3, d > 0 ? 2 : 0, 1, s.mg && d > 0 ? 1 : 0])) {
    case 0: return s.place.length ? t.one(s.place) : q(t.one(PLACES));
    case 1: return q(t.one(PLACES));
    case 2: return `loc[${objExpr(t, s)}]`;
    case 3: return 'mode';
    default: return `${s.mg}.loc[${objExpr(t, s)}]`;
  }
}

/** An integer expression of depth at most d. */
export function intExpr(t: Tape, s: Scope, d: number): string {
  const w = d > 0 ? [3, 3, 3, 1, 3, 1, 1, 1, 1, 1, s.helpers ? 2 : 0, 1] : [3, 3, 2, 1];
  switch (t.weighted(w)) {
    case 0: return String(t.int(0, 3));
    case 1: return s.int.length ? t.one(s.int) : String(t.int(-1, 2));
    case 2: return `n[${objExpr(t, s)}]`;
    case 3: return 'cnt';
    case 4: return `(${intExpr(t, s, d - 1)} ${t.one(['+', '-', '+', '*'])} ${intExpr(t, s, d - 1)})`;
    case 5: {
      // A literal zero divisor is a validation error; a computed one (cnt, n[x]) is a runtime error to compare.
      const divisor = t.chance(85) ? String(t.int(1, 3)) : intExpr(t, s, d - 1);
      return `(${intExpr(t, s, d - 1)} ${t.one(['//', '%'])} ${/^-?0$/.test(divisor) ? 'cnt' : divisor})`;
    }
    case 6: return `${t.one(['min', 'max'])}(${intExpr(t, s, d - 1)}, ${intExpr(t, s, d - 1)})`;
    case 7: return `abs(${intExpr(t, s, d - 1)})`;
    case 8: return `len(${collExpr(t, s, d - 1)})`;
    case 9: return `cost[${placeExpr(t, s, d - 1)}]`;
    case 10: return t.one([`total()`, `score(${objExpr(t, s)})`, `sumto(${t.int(0, 4)})`, `busy(${placeExpr(t, s, 0)})`]);
    default: return `-${intExpr(t, s, 0)}`;
  }
}

/** A boolean expression of depth at most d. */
export function boolExpr(t: Tape, s: Scope, d: number): string {
  const w = d > 0 ? [3, 2, 2, 2, 1, 1, 1, 2, 1, s.helpers ? 1 : 0, s.mg ? 1 : 0, 1] : [2, 1, 1];
  switch (t.weighted(w)) {
    case 0: return `loc[${objExpr(t, s)}] ${t.one(['==', '!='])} ${placeExpr(t, s, 0)}`;
    case 1: return `flag[${objExpr(t, s)}]`;
    case 2: return s.bool.length ? t.one(s.bool) : t.one(['true', 'false']);
    case 3: return `${intExpr(t, s, d - 1)} ${t.one(['<', '<=', '>', '>=', '==', '!='])} ${intExpr(t, s, d - 1)}`;
    case 4: return `not ${boolExpr(t, s, d - 1)}`;
    case 5: return `(${boolExpr(t, s, d - 1)} ${t.one(['and', 'or'])} ${boolExpr(t, s, d - 1)})`;
    case 6: return `${objExpr(t, s)} ${t.one(['in', 'not in'])} seen`;
    case 7: return `${placeExpr(t, s, 0)} ${t.one(['in', 'not in'])} ${t.one(['places', 'cost'])}`;
    case 8: return `${objExpr(t, s)} in ${collExpr(t, s, d - 1)}`;
    case 9: return `ok(${objExpr(t, s)})`;
    case 10: return `${objExpr(t, s)} ${t.one(['in', 'not in'])} ${s.mg}.loc`;
    default: return `${placeExpr(t, s, d - 1)} == ${placeExpr(t, s, d - 1)}`;
  }
}

/** A collection of objects (or keys): a constant, a state variable, a comprehension, a helper's list. */
export function collExpr(t: Tape, s: Scope, d: number): string {
  switch (t.weighted([2, 2, d > 0 ? 2 : 0, s.helpers ? 2 : 0, 1, s.mg ? 1 : 0])) {
    case 0: return 'objs';
    case 1: return t.one(['loc', 'n', 'flag', 'seen']); // seen: keys added by actions, in the order they were added
    case 2: {
      const v = `o${d}`;
      const inner = { ...s, obj: [...s.obj, v] };
      return `[${v} for ${v} in ${t.one(['objs', 'loc', 'n'])} if ${boolExpr(t, inner, d - 1)}]`;
    }
    case 3: return `at(${placeExpr(t, s, 0)})`;
    case 4: return `[${objExpr(t, s)}, ${objExpr(t, s)}]`;
    default: return `${s.mg}.loc`;
  }
}
