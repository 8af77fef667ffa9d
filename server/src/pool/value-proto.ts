/**
 * Conversion between the protobuf values of aria.planner.v1 (Value, State,
 * TodoItem, Step) and the planner library's JSON encoding (the conformance
 * suite's). Malformed input raises InvalidArgumentError naming the field, such as
 * `state.vars[2].value` or `todo[0].step.name`.
 */
import type { MapEntry, Value, State, StateVar, TodoItem, Step, Multigoal } from '../../../gen/ts/aria/planner/v1/value.js';
import type { JsonState, JsonValue, TodoItem as JsonTodoItem } from '../planner/index.js';
import { InvalidArgumentError } from '../core/errors.js';
import { setOwn } from '../core/own-key.js';

/** Deeper values are refused: they only serve to exhaust the stack. */
export const MAX_VALUE_DEPTH = 64;

/** A protobuf Value as JSON. */
export function valueToJson(v: Value | undefined, field: string, depth = 0): JsonValue {
  if (depth > MAX_VALUE_DEPTH) throw new InvalidArgumentError(field, `values nest deeper than ${MAX_VALUE_DEPTH} levels`);
  const kind = v?.kind;
  if (kind === undefined) throw new InvalidArgumentError(field, 'value has no kind (symbol, number, boolean, nil, set, list, tuple, map or multigoal)');
  switch (kind.$case) {
    case 'symbol':
      return kind.symbol;
    case 'number':
      if (!Number.isFinite(kind.number)) throw new InvalidArgumentError(`${field}.number`, 'must be a finite number');
      return kind.number;
    case 'boolean':
      return kind.boolean;
    case 'nil':
      return null;
    case 'set':
      return { __set__: listToJson(kind.set.items, `${field}.set`, depth) };
    case 'list':
      return listToJson(kind.list.items, `${field}.list`, depth);
    case 'tuple':
      return listToJson(kind.tuple.items, `${field}.tuple`, depth);
    case 'map':
      return mapToJson(kind.map.entries, `${field}.map`, depth);
    case 'multigoal':
      return multigoalToJson(kind.multigoal, `${field}.multigoal`, depth);
  }
}

function listToJson(items: Value[], field: string, depth: number): JsonValue[] {
  return items.map((item, i) => valueToJson(item, `${field}.items[${i}]`, depth + 1));
}

function mapToJson(entries: { key?: Value; value?: Value }[], field: string, depth: number): JsonValue {
  const byName: Record<string, JsonValue> = {};
  const pairs: JsonValue[] = [];
  const seen = new Set<string | number>();
  let keyKind: 'symbol' | 'number' | undefined;
  entries.forEach((entry, i) => {
    const at = `${field}.entries[${i}]`;
    const key = entry.key?.kind;
    if (!(key?.$case === 'symbol' || (key?.$case === 'number' && Number.isFinite(key.number)))) {
      throw new InvalidArgumentError(`${at}.key`, 'map keys must be symbols or finite numbers');
    }
    if (keyKind !== undefined && keyKind !== key.$case) throw new InvalidArgumentError(`${at}.key`, 'map keys must be all symbols or all numbers');
    keyKind = key.$case;
    const k = key.$case === 'symbol' ? key.symbol : key.number;
    if (seen.has(k)) throw new InvalidArgumentError(`${at}.key`, `duplicate key ${JSON.stringify(k)}`);
    seen.add(k);
    const value = valueToJson(entry.value, `${at}.value`, depth + 1);
    if (typeof k === 'number') pairs.push([k, value]);
    else setOwn(byName, k, value);
  });
  // Number keys travel as ordered [key, value] pairs: a JavaScript object would sort them.
  return keyKind === 'number' ? { __intkeys__: pairs } : byName;
}

function multigoalToJson(mg: Multigoal, field: string, depth: number): JsonValue {
  return { __multigoal__: mg.name, vars: varsToJson(mg.vars, `${field}.vars`, depth + 1) };
}

function varsToJson(vars: StateVar[], field: string, depth: number): JsonState {
  const out: JsonState = {};
  vars.forEach((v, i) => {
    const at = `${field}[${i}]`;
    if (!v.name) throw new InvalidArgumentError(`${at}.name`, 'must not be empty');
    if (Object.hasOwn(out, v.name)) throw new InvalidArgumentError(`${at}.name`, `duplicate state variable ${JSON.stringify(v.name)}`);
    setOwn(out, v.name, valueToJson(v.value, `${at}.value`, depth));
  });
  return out;
}

/** A protobuf State as JSON (`field` names it in errors). */
export function stateToJson(state: State | undefined, field = 'state'): JsonState {
  return varsToJson(state?.vars ?? [], `${field}.vars`, 0);
}

/** A protobuf todo list as JSON. */
export function todoToJson(todo: TodoItem[], field = 'todo'): JsonTodoItem[] {
  return todo.map((item, i) => {
    const at = `${field}[${i}]`;
    const kind = item.kind;
    if (kind === undefined) throw new InvalidArgumentError(at, 'todo item has no kind (step or multigoal)');
    if (kind.$case === 'multigoal') {
      return { __multigoal__: kind.multigoal.name, vars: varsToJson(kind.multigoal.vars, `${at}.multigoal.vars`, 1) };
    }
    return stepToJson(kind.step, `${at}.step`);
  });
}

/** A protobuf Step as a JSON todo item or plan step `[name, ...args]`. */
export function stepToJson(step: Step, field: string): JsonValue[] {
  if (!step.name) throw new InvalidArgumentError(`${field}.name`, 'must not be empty');
  return [step.name, ...listToJson(step.args, `${field}.args`, 0)];
}

/** A JSON value as a protobuf Value. */
export function jsonToValue(j: JsonValue, field: string, depth = 0): Value {
  if (depth > MAX_VALUE_DEPTH) throw new InvalidArgumentError(field, `values nest deeper than ${MAX_VALUE_DEPTH} levels`);
  if (typeof j === 'string') return { kind: { $case: 'symbol', symbol: j } };
  if (typeof j === 'number') {
    if (!Number.isFinite(j)) throw new InvalidArgumentError(field, 'must be a finite number');
    return { kind: { $case: 'number', number: j } };
  }
  if (typeof j === 'boolean') return { kind: { $case: 'boolean', boolean: j } };
  if (j === null) return { kind: { $case: 'nil', nil: true } };
  if (Array.isArray(j)) return { kind: { $case: 'list', list: { items: jsonListToValues(j, field, depth) } } };
  if (typeof j !== 'object') throw new InvalidArgumentError(field, `not a value: ${typeof j}`);
  if ('__set__' in j) {
    const items = j.__set__;
    if (!Array.isArray(items)) throw new InvalidArgumentError(`${field}.__set__`, 'must be an array');
    return { kind: { $case: 'set', set: { items: jsonListToValues(items, `${field}.__set__`, depth) } } };
  }
  if ('__multigoal__' in j) return { kind: { $case: 'multigoal', multigoal: jsonToMultigoal(j, field, depth) } };
  if ('__intkeys__' in j) return { kind: { $case: 'map', map: { entries: intKeyEntries(j.__intkeys__, `${field}.__intkeys__`, depth) } } };
  const entries = Object.entries(j).map(([k, v]) => ({
    key: { kind: { $case: 'symbol' as const, symbol: k } },
    value: jsonToValue(v, `${field}.${k}`, depth + 1),
  }));
  return { kind: { $case: 'map', map: { entries } } };
}

/**
 * Entries of an `__intkeys__` map: an object, or the list of [key, value]
 * pairs that the library's ordered JSON parser makes (JavaScript objects
 * would reorder integer keys; GTPyhop iterates in insertion order).
 */
function intKeyEntries(inner: JsonValue, field: string, depth: number): MapEntry[] {
  const pairs: [JsonValue, JsonValue][] = Array.isArray(inner)
    ? inner.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) throw new InvalidArgumentError(`${field}[${i}]`, 'must be a [key, value] pair');
      return [p[0], p[1]];
    })
    : inner !== null && typeof inner === 'object' ? Object.entries(inner) : [];
  if (!Array.isArray(inner) && (inner === null || typeof inner !== 'object')) throw new InvalidArgumentError(field, 'must be an object or a list of [key, value] pairs');
  return pairs.map(([k, v]) => {
    const n = typeof k === 'number' ? k : typeof k === 'string' && k.trim() !== '' ? Number(k) : NaN;
    if (!Number.isFinite(n)) throw new InvalidArgumentError(field, `key ${JSON.stringify(k)} is not a number`);
    return { key: { kind: { $case: 'number' as const, number: n } }, value: jsonToValue(v, `${field}.${String(k)}`, depth + 1) };
  });
}

function jsonListToValues(items: JsonValue[], field: string, depth: number): Value[] {
  return items.map((item, i) => jsonToValue(item, `${field}[${i}]`, depth + 1));
}

function jsonToMultigoal(j: { [key: string]: JsonValue }, field: string, depth: number): Multigoal {
  const name = j.__multigoal__;
  if (typeof name !== 'string') throw new InvalidArgumentError(`${field}.__multigoal__`, 'must be a string');
  const vars = j.vars ?? {};
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) throw new InvalidArgumentError(`${field}.vars`, 'must be an object');
  return { name, vars: jsonToVars(vars, `${field}.vars`, depth + 1) };
}

function jsonToVars(vars: { [key: string]: JsonValue }, field: string, depth: number): StateVar[] {
  return Object.entries(vars).map(([name, v]) => ({ name, value: jsonToValue(v, `${field}.${name}`, depth) }));
}

/** A JSON state as a protobuf State. */
export function jsonToState(state: JsonState, field = 'state'): State {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new InvalidArgumentError(field, 'must be an object');
  return { vars: jsonToVars(state, field, 0) };
}

/** A JSON todo list as protobuf TodoItems. */
export function jsonToTodo(todo: JsonTodoItem[], field = 'todo'): TodoItem[] {
  if (!Array.isArray(todo)) throw new InvalidArgumentError(field, 'must be an array');
  return todo.map((item, i) => {
    const at = `${field}[${i}]`;
    if (Array.isArray(item)) return { kind: { $case: 'step', step: jsonToStep(item, at) } };
    if (item !== null && typeof item === 'object' && '__multigoal__' in item) {
      return { kind: { $case: 'multigoal', multigoal: jsonToMultigoal(item as { [key: string]: JsonValue }, at, 0) } };
    }
    throw new InvalidArgumentError(at, 'a todo item is [name, args...] or a multigoal object');
  });
}

/** A JSON todo item or plan step `[name, ...args]` as a protobuf Step. */
export function jsonToStep(item: JsonValue[], field: string): Step {
  const [name, ...args] = item;
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError(`${field}[0]`, 'must be a name (a non-empty string)');
  return { name, args: args.map((a, i) => jsonToValue(a, `${field}[${i + 1}]`, 1)) };
}
