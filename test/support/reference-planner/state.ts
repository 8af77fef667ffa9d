/**
 * The reference planner's state: state variable -> insertion-ordered dict,
 * copied whole for every action (GTPyhop's `state.copy()`), so that
 * backtracking needs no undo: the state a choice was made in is simply
 * still there. Also reads problems from the conformance JSON encoding.
 */
import type { JsonState, JsonValue, TodoItem } from '../../../server/src/planner/types.js';
import { stateKeys } from '../../../server/src/planner/runtime/state-keys.js';
import { keyOf, list, makeSet, tuple, type Dict, type Multigoal, type Value } from './values.js';

/** A state: one dict per variable; a scalar variable keeps its value under the key nil. */
export class RefState {
  constructor(readonly vars: Map<string, Dict> = new Map()) {}

  /**
   * A copy an action may change. Values are immutable, so copying the
   * dicts is a deep copy as far as anything can observe.
   */
  copy(): RefState {
    const vars = new Map<string, Dict>();
    for (const [name, d] of this.vars) vars.set(name, new Map(d));
    return new RefState(vars);
  }

  /** `v[k]`: nil when the variable or the key is absent, or k cannot be a key. */
  get(v: string, k: Value): Value {
    const key = keyOf(k);
    return key === undefined ? null : this.vars.get(v)?.get(key)?.value ?? null;
  }

  /** Whether variable v has key k. */
  has(v: string, k: Value): boolean {
    const key = keyOf(k);
    return key !== undefined && (this.vars.get(v)?.has(key) ?? false);
  }

  /** Whether v holds a single value (GTPyhop's `state.flag = 3`): it has the key nil. */
  hasScalar(v: string): boolean { return this.vars.get(v)?.has('nil') ?? false; }

  /** Sets `v[k] = value`; the caller has checked that k is a key. A new key goes last, as in a dict. */
  set(v: string, k: Value, value: Value): void {
    let d = this.vars.get(v);
    if (!d) { d = new Map(); this.vars.set(v, d); }
    const key = keyOf(k)!;
    const old = d.get(key);
    // A key keeps its first spelling (1 and 1.0 are one key), as a dict keeps its first key object.
    d.set(key, { key: old ? old.key : k, value });
  }

  /** The live dict of v (iteration sees keys added while it runs, as the engine's does). */
  dict(v: string): Dict {
    let d = this.vars.get(v);
    if (!d) { d = new Map(); this.vars.set(v, d); }
    return d;
  }
}

/**
 * A JSON value as a planner value. `arrays` says what a JSON array is: in
 * the state a list, in a todo list a tuple (a todo item), as the engine
 * reads them (problem-writer.ts).
 */
export function fromJson(v: JsonValue, arrays: 'tuple' | 'list'): Value {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return (arrays === 'tuple' ? tuple : list)(v.map((x) => fromJson(x, arrays)));
  if ('__set__' in v) return makeSet((v.__set__ as JsonValue[]).map((x) => fromJson(x, 'list')));
  if ('__multigoal__' in v) return multigoalFromJson(v as unknown as { __multigoal__: string; vars: JsonState });
  return { t: 'map', entries: stateKeys(v, 'value').map((e) => [keyFromJson(e.key), fromJson(e.value, arrays)] as [Value, Value]) };
}

function keyFromJson(k: JsonValue): Value {
  return Array.isArray(k) ? tuple(k.map((x) => fromJson(x, 'list'))) : (k as Value);
}

/** A multigoal from `{"__multigoal__": name, "vars": {var: {key: value}}}`. */
export function multigoalFromJson(v: { __multigoal__: string; vars: JsonState }): Multigoal {
  const vars = new Map<string, Dict>();
  for (const [name, entries] of Object.entries(v.vars ?? {})) {
    const d: Dict = new Map();
    for (const e of stateKeys(entries, name)) {
      const key = keyFromJson(e.key as JsonValue);
      d.set(keyOf(key)!, { key, value: fromJson(e.value, 'list') });
    }
    vars.set(name, d);
  }
  return { t: 'mg', name: v.__multigoal__, vars };
}

/** The problem's state, variables and keys in the order given. */
export function stateFromJson(s: JsonState): RefState {
  const st = new RefState();
  for (const [name, v] of Object.entries(s)) {
    st.dict(name);
    for (const e of stateKeys(v, name)) st.set(name, keyFromJson(e.key as JsonValue), fromJson(e.value, 'list'));
  }
  return st;
}

/** The problem's todo list as planner values (tuples and multigoals). */
export function todoFromJson(todo: TodoItem[]): Value[] {
  return todo.map((item) => fromJson(item as JsonValue, 'tuple'));
}
