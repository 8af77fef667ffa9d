/**
 * Values in the conformance suite's JSON encoding (what the planner library
 * uses) and their protobuf form. Strings are symbols; `{"__set__": [...]}`
 * is a set; `{"__intkeys__": ...}` a map with number keys (an object, or a
 * list of [key, value] pairs to keep their order); `{"__multigoal__": name,
 * "vars": {...}}` a multigoal; arrays are lists.
 */
import type { MapEntry, State, StateVar, Step, TodoItem as PbTodoItem, Value } from './gen/aria/planner/v1/value.js';

/** A JSON value as found in states and todo items. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A state: variable name -> (usually) key -> value. */
export type JsonState = Record<string, JsonValue>;

/** A todo item: `[name, ...args]` (task, action, or unigoal `[var, key, value]`) or a multigoal object. */
export type TodoItem = JsonValue[] | { __multigoal__: string; vars: JsonState };

/** A planning problem. */
export interface Problem {
  state: JsonState;
  todo: TodoItem[];
  /** GTPyhop's verify_goals (default true). */
  verify_goals?: boolean;
}

/** A JSON value as a protobuf Value. */
export function toValue(j: JsonValue): Value {
  if (typeof j === 'string') return { kind: { $case: 'symbol', symbol: j } };
  if (typeof j === 'number') return { kind: { $case: 'number', number: j } };
  if (typeof j === 'boolean') return { kind: { $case: 'boolean', boolean: j } };
  if (j === null) return { kind: { $case: 'nil', nil: true } };
  if (Array.isArray(j)) return { kind: { $case: 'list', list: { items: j.map(toValue) } } };
  if ('__set__' in j) return { kind: { $case: 'set', set: { items: (j.__set__ as JsonValue[]).map(toValue) } } };
  if ('__multigoal__' in j) return { kind: { $case: 'multigoal', multigoal: { name: String(j.__multigoal__), vars: toVars((j.vars ?? {}) as JsonState) } } };
  if ('__intkeys__' in j) {
    const inner = j.__intkeys__;
    const pairs = Array.isArray(inner) ? (inner as [JsonValue, JsonValue][]) : Object.entries(inner as object);
    return { kind: { $case: 'map', map: { entries: pairs.map(([k, v]) => ({ key: toValue(Number(k)), value: toValue(v as JsonValue) })) } } };
  }
  return { kind: { $case: 'map', map: { entries: Object.entries(j).map(([k, v]) => ({ key: toValue(k), value: toValue(v) })) } } };
}

/** A protobuf Value as JSON (number-keyed maps as ordered `__intkeys__` pairs). */
export function fromValue(v: Value | undefined): JsonValue {
  const k = v?.kind;
  switch (k?.$case) {
    case undefined:
    case 'nil':
      return null;
    case 'symbol':
      return k.symbol;
    case 'number':
      return k.number;
    case 'boolean':
      return k.boolean;
    case 'set':
      return { __set__: k.set.items.map(fromValue) };
    case 'list':
      return k.list.items.map(fromValue);
    case 'tuple':
      return k.tuple.items.map(fromValue);
    case 'multigoal':
      return { __multigoal__: k.multigoal.name, vars: fromVars(k.multigoal.vars) };
    case 'map':
      return fromEntries(k.map.entries);
  }
}

function fromEntries(entries: MapEntry[]): JsonValue {
  if (entries.length && entries.every((e) => e.key?.kind?.$case === 'number')) {
    return { __intkeys__: entries.map((e) => [fromValue(e.key), fromValue(e.value)]) };
  }
  const out: Record<string, JsonValue> = {};
  for (const e of entries) Object.defineProperty(out, String(fromValue(e.key)), { value: fromValue(e.value), enumerable: true, writable: true, configurable: true });
  return out;
}

function toVars(vars: JsonState): StateVar[] {
  return Object.entries(vars).map(([name, value]) => ({ name, value: toValue(value) }));
}

function fromVars(vars: StateVar[]): JsonState {
  const out: JsonState = {};
  for (const v of vars) Object.defineProperty(out, v.name, { value: fromValue(v.value), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A JSON state as a protobuf State. */
export function toState(state: JsonState): State {
  return { vars: toVars(state) };
}

/** A protobuf State as JSON. */
export function fromState(state: State | undefined): JsonState {
  return fromVars(state?.vars ?? []);
}

/** A JSON todo list as protobuf TodoItems. */
export function toTodo(todo: TodoItem[]): PbTodoItem[] {
  return todo.map((item) =>
    Array.isArray(item)
      ? { kind: { $case: 'step', step: toStep(item) } }
      : { kind: { $case: 'multigoal', multigoal: { name: item.__multigoal__, vars: toVars(item.vars) } } },
  );
}

/** `[name, ...args]` as a Step. */
export function toStep(item: JsonValue[]): Step {
  const [name, ...args] = item;
  return { name: String(name), args: args.map(toValue) };
}

/** A Step as `[name, ...args]`. */
export function fromStep(step: Step | undefined): JsonValue[] {
  return step ? [step.name, ...step.args.map(fromValue)] : [];
}
