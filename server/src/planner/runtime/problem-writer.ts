/**
 * Writes a problem into engine memory in one pass: the state as (var, key,
 * value) triples for the engine's loadState, values' objects in the arena,
 * and the todo list as arena cells. Paths for error messages are built only
 * when an error is thrown, since this runs on every planning call.
 */
import type { JsonState, JsonValue, TodoItem } from '../types.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { SymbolTable, Tag, WordWriter } from './engine-memory.js';
import { encodeValue, encodeStateKey } from './value-encoder.js';
import { stateKeys } from './state-keys.js';

/** What writing found out, for sizing the next layout. */
export interface WrittenProblem {
  /** Address of the first todo cell (0: empty todo list). */
  todo: number;
  /** Triples written to the input region. */
  entries: number;
  /** Variables in the state. */
  vars: number;
  /** One more than the largest small non-negative integer key seen (dense index width). */
  denseK: number;
}

/** Thrown when the input region (state triples) is full. */
export class InputSpaceError extends Error {
  constructor() { super('input region full'); }
}

const MAX_DENSE_K = 65536;

/** Writes state and todo; the arena writer w receives objects and todo cells. */
export function writeProblem(state: JsonState, todo: TodoItem[], syms: SymbolTable, input: WordWriter, w: WordWriter): WrittenProblem {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new InvalidArgumentError('state', 'must be an object: var -> key -> value');
  if (!Array.isArray(todo)) throw new InvalidArgumentError('todo', 'must be a list of todo items');
  let entries = 0, vars = 0, denseK = 0;
  const triple = (varId: number): number => {
    if (input.top + 24 > input.end) throw new InputSpaceError();
    const at = input.top;
    input.top += 24;
    input.setInt(at, varId);
    entries++;
    return at;
  };
  for (const varName in state) {
    const v = state[varName];
    const varId = syms.id(varName);
    vars++;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !('__set__' in v) && !('__multigoal__' in v)
      && !('__intkeys__' in v) && !('__pairs__' in v)) {
      // The common case: symbol keys.
      let key = '';
      const valuePath = (): string => `state.${varName}.${key}`;
      for (const k in v) {
        key = k;
        const at = triple(varId);
        w.setTagged(at + 8, 1, syms.id(k));
        writeValue(w, syms, v[k], at + 16, valuePath);
      }
      continue;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v) || '__set__' in v || '__multigoal__' in v) {
      // A scalar variable (GTPyhop's `state.flag = 3`, or a set): stateKeys' single entry under the
      // key nil, written without building the entry list.
      const at = triple(varId);
      encodeStateKey(w, syms, null, at + 8);
      encodeValue(w, syms, v, at + 16, () => `state.${varName}`, 'list');
      continue;
    }
    const pairs = intKeyPairs(v);
    if (pairs) {
      // Integer keys as [key, value] pairs (the form that keeps their order): no entry objects, and
      // one path closure per variable (it reads the key being written), built for an error only.
      let key = 0;
      const valuePath = (): string => `state.${varName}[${key}]`;
      for (let i = 0; i < pairs.length; i++) {
        const pair = pairs[i];
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || !Number.isInteger(pair[0])) {
          throw new InvalidArgumentError(`state.${varName}.__intkeys__[${i}]`, 'must be an [integer, value] pair');
        }
        key = pair[0];
        const at = triple(varId);
        if (key >= 0 && key < MAX_DENSE_K && key >= denseK) denseK = key + 1;
        w.setNumber(at + 8, key === 0 ? 0 : key);
        writeValue(w, syms, pair[1], at + 16, valuePath);
      }
      continue;
    }
    for (const e of stateKeys(v, () => `state.${varName}`)) {
      const at = triple(varId);
      if (typeof e.key === 'number' && Number.isInteger(e.key) && e.key >= 0 && e.key < MAX_DENSE_K && e.key >= denseK) denseK = e.key + 1;
      encodeStateKey(w, syms, e.key, at + 8);
      encodeValue(w, syms, e.value, at + 16, e.path, 'list');
    }
  }
  // The todo list as cells [item, next], built back to front.
  let head = 0;
  for (let i = todo.length - 1; i >= 0; i--) {
    const item = todo[i];
    const isMg = item !== null && typeof item === 'object' && !Array.isArray(item);
    if (!isMg && (!Array.isArray(item) || item.length === 0 || typeof item[0] !== 'string')) {
      throw new InvalidArgumentError(`todo[${i}]`, 'a todo item must be [name, ...args] with a string name, or a multigoal object');
    }
    const cell = w.alloc(2);
    encodeValue(w, syms, item as JsonValue, cell, () => `todo[${i}]`, 'tuple');
    w.setInt(cell + 8, head);
    head = cell;
  }
  return { todo: head, entries, vars, denseK };
}

/** The pair list of `{"__intkeys__": [[k, v], ...]}`, else undefined. */
function intKeyPairs(v: JsonValue): JsonValue[] | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !('__intkeys__' in v)) return undefined;
  // stateKeys' order of precedence: these forms are read otherwise.
  if ('__set__' in v || '__multigoal__' in v || '__pairs__' in v) return undefined;
  const inner = v.__intkeys__;
  return Array.isArray(inner) ? inner : undefined;
}

/** A state value: symbols, numbers and booleans written directly, anything else encoded. */
function writeValue(w: WordWriter, syms: SymbolTable, x: JsonValue, addr: number, path: () => string): void {
  if (typeof x === 'string') w.setTagged(addr, Tag.SYM, syms.id(x));
  else if (typeof x === 'number' && Number.isFinite(x)) w.setNumber(addr, x);
  else if (typeof x === 'boolean') w.setTagged(addr, Tag.BOOL, x ? 1 : 0);
  else encodeValue(w, syms, x, addr, path, 'list');
}
