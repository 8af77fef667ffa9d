/**
 * Calls the search would settle without reading the state, or reading only
 * a goal that already holds, answered on the host without writing the
 * state into engine memory.
 *
 * Why: every engine call first writes the whole state (each variable, key
 * and symbol interned and encoded). GTPyhop reads only what its search
 * touches, so for a todo list that is empty, that starts with a multigoal
 * in a domain with no multigoal methods, or whose unigoals already hold,
 * it answers in the time of a few Python calls, while writing a logistics
 * state alone took Aria longer (issue 14: "never slower than GTPyhop on
 * any problem"). The answer here is the engine's, step for step (search.ts
 * and refine.ts): the same status, plan and figures, except that no engine
 * memory was used (peakMemoryBytes 0).
 *
 * Anything else, and any input the engine's writer could refuse or that
 * this walk does not fully understand, goes to the engine: undefined.
 */
import type { CompiledDomain } from '../compile/compiled-domain.js';
import type { JsonState, JsonValue, PlanResult, TodoItem } from '../types.js';
import { SYM_ACTION, SYM_GOAL_COUNT, SYM_STRIDE, SYM_TASK_COUNT } from './engine-abi.js';
import type { SymbolTable } from './engine-memory.js';

/** State entries walked at most: a larger state goes to the engine, whose memory limit then applies. */
const MAX_ENTRIES = 4096;
/** Todo items walked at most. */
const MAX_ITEMS = 64;

/**
 * The engine's result for this problem when it is one the search settles
 * before its first expansion, else undefined. `maxDepth`: the call's depth
 * limit (a deeper todo list goes to the engine, which reports the limit).
 */
export function settleOnHost(domain: CompiledDomain, syms: SymbolTable, state: JsonState, todo: TodoItem[], maxDepth: number): PlanResult | undefined {
  if (!Array.isArray(todo) || todo.length > MAX_ITEMS) return undefined;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return undefined;
  let depth = 0;
  let outcome: 'plan' | 'no_plan' | undefined;
  for (; depth <= todo.length; depth++) {
    if (depth > maxDepth) return undefined;
    if (depth === todo.length) { outcome = 'plan'; break; }
    const item = todo[depth] as JsonValue;
    if (isMultigoal(item)) {
      // refine() with no methods: a choice point with nothing to try, then no plan.
      if (domain.mgMethods[0] !== 0) return undefined; // [count, fn...]
      outcome = 'no_plan';
      break;
    }
    if (!goalHolds(domain, syms, state, item)) return undefined;
  }
  // Only now, for a call this walk settles: the writer would have taken every item and the state.
  if (!todo.every(simpleItem) || !simpleState(state)) return undefined;
  const stats = { expansions: 0, backtracks: 0, maxDepth: depth, peakMemoryBytes: 0 };
  return outcome === 'plan' ? { status: 'plan', plan: [], cost: 0, stats } : { status: 'no_plan', stats };
}

/** Whether item is a unigoal (a variable with goal methods, not an action or task) that the state already has. */
function goalHolds(domain: CompiledDomain, syms: SymbolTable, state: JsonState, item: JsonValue): boolean {
  if (!Array.isArray(item) || item.length !== 3 || typeof item[0] !== 'string') return false;
  const id = syms.domainId(item[0]);
  if (id === undefined) return false;
  const rec = id * SYM_STRIDE, t = domain.symtab;
  if (t[rec + SYM_ACTION] >= 0 || t[rec + SYM_TASK_COUNT] > 0 || t[rec + SYM_GOAL_COUNT] <= 0) return false;
  const key = item[1], want = item[2];
  if (typeof key !== 'string' || !Object.hasOwn(state, item[0])) return false;
  const v = state[item[0]];
  if (!plainMap(v) || !Object.hasOwn(v, key)) return false;
  const have = v[key];
  // The engine's equality for scalars of one kind: symbols by name, numbers by value (0 equals -0), booleans.
  return typeof have === typeof want && (typeof have === 'string' || typeof have === 'boolean' || typeof have === 'number') && have === want;
}

function isMultigoal(x: JsonValue): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.hasOwn(x, '__multigoal__');
}

/** A variable held as key -> value with none of the value encodings' markers. */
function plainMap(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    && !('__set__' in v) && !('__multigoal__' in v) && !('__intkeys__' in v) && !('__pairs__' in v);
}

function scalar(x: JsonValue | undefined): boolean {
  return typeof x === 'string' || typeof x === 'boolean' || x === null || (typeof x === 'number' && Number.isFinite(x));
}

/** A todo item the writer takes as it is: [name, scalars...], or a multigoal over plain maps of scalars. */
function simpleItem(item: TodoItem): boolean {
  const x = item as JsonValue;
  if (Array.isArray(x)) return x.length > 0 && typeof x[0] === 'string' && x.every(scalar);
  if (x === null || typeof x !== 'object' || typeof x.__multigoal__ !== 'string') return false;
  for (const k in x) if (k !== '__multigoal__' && k !== 'vars') return false;
  const vars = x.vars;
  if (vars === undefined) return true;
  if (!plainMap(vars)) return false;
  for (const name in vars) {
    const m = vars[name];
    if (!plainMap(m)) return false;
    for (const k in m) if (!scalar(m[k])) return false;
  }
  return true;
}

/** A state of scalars, plain maps of scalars and sets of scalars, of at most MAX_ENTRIES entries. */
function simpleState(state: JsonState): boolean {
  let n = 0;
  for (const name in state) {
    const v = state[name];
    if (scalar(v)) { n++; continue; }
    if (plainMap(v)) {
      for (const k in v) { if (!scalar(v[k])) return false; n++; }
    } else {
      const s = setElements(v);
      if (!s) return false;
      for (let i = 0; i < s.length; i++) if (!scalar(s[i]) || s[i] === null) return false;
      n += s.length;
    }
    if (n > MAX_ENTRIES) return false;
  }
  return true;
}

/** The elements of a variable held as `{"__set__": [...]}` and nothing else, else undefined. */
function setElements(v: JsonValue | undefined): JsonValue[] | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const s = v.__set__;
  if (!Array.isArray(s) || '__multigoal__' in v || '__intkeys__' in v || '__pairs__' in v) return undefined;
  return s;
}
