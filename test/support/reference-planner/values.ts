/**
 * Values of the reference planner: plain JavaScript data, no NaN-boxing, no
 * arena. Symbols are strings, numbers numbers, booleans booleans, nil null;
 * everything else is a small tagged object. Values are immutable (the
 * language has no in-place update of a list, set or multigoal), so sharing
 * them between states is as good as GTPyhop's deepcopy.
 *
 * The semantics follow docs/domain-language.md ("Values", "Expressions"),
 * i.e. Python's where the language says so.
 */
import type { JsonValue } from '../../../server/src/planner/types.js';
import { showValue } from '../../../server/src/planner/runtime/engine-messages.js';

/** A tuple (todo items are tuples whose first element is a symbol). */
export interface Tuple { t: 'tuple'; items: Value[] }
/** A list. */
export interface List { t: 'list'; items: Value[] }
/** A set: equal elements kept once, the first, in insertion order. */
export interface SetV { t: 'set'; items: Value[] }
/** A constant map; compared by identity, as the engine does (maps are constants, each one object). */
export interface MapV { t: 'map'; entries: [Value, Value][] }
/**
 * A multigoal: per state variable, key -> wanted value, like GTPyhop's
 * Multigoal object whose attributes are dicts (one entry per key).
 */
export interface Multigoal { t: 'mg'; name: string; vars: Map<string, Dict> }
/** A state variable named as a value (`for x in loc`, `let l = loc`). */
export interface VarRef { t: 'varref'; name: string }
/** `mg.v`: the wanted values of one variable of a multigoal. */
export interface MgVar { t: 'mgvar'; mg: Multigoal; name: string }

/** Any value. */
export type Value = string | number | boolean | null | Tuple | List | SetV | MapV | Multigoal | VarRef | MgVar;

/**
 * An insertion-ordered dict keyed by state keys, as Python's dict is. JS
 * Maps keep insertion order, and iteration sees entries added during it
 * (the engine's slot lists do too).
 */
export type Dict = Map<string, { key: Value; value: Value }>;

export const tuple = (items: Value[]): Tuple => ({ t: 'tuple', items });
export const list = (items: Value[]): List => ({ t: 'list', items });

/** A set from elements, keeping the first of equal ones (Python's set literal). */
export function makeSet(elems: Value[]): SetV {
  const items: Value[] = [];
  for (const e of elems) if (!items.some((x) => equals(x, e))) items.push(e);
  return { t: 'set', items };
}

/** Whether v is a tuple, list or set (an ordered sequence of elements). */
export function isSeq(v: Value): v is Tuple | List | SetV {
  return v !== null && typeof v === 'object' && (v.t === 'tuple' || v.t === 'list' || v.t === 'set');
}

/** Whether v is a scalar: symbol, number, boolean or nil. */
export function isScalar(v: Value): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

/**
 * The dict key of a state or multigoal key, or undefined when v cannot be
 * a key (only scalars and tuples of scalars can: n-ary facts). Numbers
 * are keys by value (-0 is 0); a symbol and a number never collide.
 */
export function keyOf(v: Value): string | undefined {
  if (isScalar(v)) return scalarKey(v);
  if (v.t !== 'tuple' || !v.items.every(isScalar)) return undefined;
  return `(${v.items.map((x) => scalarKey(x as string | number | boolean | null)).join(',')})`;
}
function scalarKey(v: string | number | boolean | null): string {
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (typeof v === 'number') return `n${v === 0 ? 0 : v}`;
  if (typeof v === 'boolean') return `b${v}`;
  return 'nil';
}

/** Python's truth: false, nil, 0 and empty sequences and maps are false; anything else is true. */
export function truthy(v: Value): boolean {
  if (v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'object') return true;
  if (isSeq(v)) return v.items.length !== 0;
  if (v.t === 'map') return v.entries.length !== 0;
  return true; // multigoals and references to variables
}

/**
 * `==` as the language defines it (Python's for the values it has): numbers
 * by value, symbols by name, tuples and lists elementwise and never equal
 * to each other, sets regardless of order, multigoals by their goals. Maps,
 * variable references and `mg.v` values are equal only to themselves.
 */
export function equals(a: Value, b: Value): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b; // NaN != NaN, -0 == 0
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || a.t !== b.t) return false;
  if (a.t === 'tuple' || a.t === 'list') {
    const bi = (b as Tuple | List).items;
    return a.items.length === bi.length && a.items.every((x, i) => equals(x, bi[i]));
  }
  if (a.t === 'set') {
    const bi = (b as SetV).items;
    return a.items.length === bi.length && a.items.every((x) => bi.some((y) => equals(x, y)));
  }
  if (a.t === 'varref') return a.name === (b as VarRef).name;
  if (a.t === 'mg') return mgEquals(a, b as Multigoal);
  return false;
}

function mgEquals(a: Multigoal, b: Multigoal): boolean {
  let n = 0;
  for (const [v, d] of a.vars) {
    for (const [k, e] of d) {
      const other = b.vars.get(v)?.get(k);
      if (!other || !equals(e.value, other.value)) return false;
      n++;
    }
  }
  let m = 0;
  for (const d of b.vars.values()) m += d.size;
  return n === m;
}

/** The JSON encoding of a value (the conformance encoding the engine decodes its results to). */
export function toJson(v: Value): JsonValue {
  if (v === null || typeof v !== 'object') return v;
  switch (v.t) {
    case 'tuple': case 'list': return v.items.map(toJson);
    case 'set': return { __set__: v.items.map(toJson) };
    case 'map': return Object.fromEntries(v.entries.map(([k, x]) => [String(toJson(k)), toJson(x)]));
    case 'mg': {
      const vars: Record<string, JsonValue> = {};
      for (const [name, d] of v.vars) {
        const m: Record<string, JsonValue> = {};
        let intKeys = false;
        for (const e of d.values()) { if (typeof e.key === 'number') intKeys = true; m[String(toJson(e.key))] = toJson(e.value); }
        vars[name] = intKeys ? { __intkeys__: m } : m;
      }
      return { __multigoal__: v.name, vars };
    }
    default: return null; // the engine decodes references to variables as nil
  }
}

/** A value as error messages show it (Python-like: ('a', 1), 'sym', True, None). */
export function show(v: Value): string { return showValue(toJson(v)); }
