/**
 * Messages for the domain bugs the engine finds while planning, in GTPyhop's
 * words where GTPyhop has them.
 */
import type { CompiledDomain } from '../compile/compiled-domain.js';
import { ST, OP_NAMES } from './engine-status.js';
import { decodeValue } from './value-decoder.js';
import { type SymbolTable } from './engine-memory.js';
import type { JsonValue } from '../types.js';

/** Python-like text of a value: ('pickup', 'a'), 'table', 3, True. */
export function showValue(v: JsonValue): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `(${v.map(showValue).join(', ')}${v.length === 1 ? ',' : ''})`;
  if ('__multigoal__' in v) return `<Multigoal ${String(v.__multigoal__)}>`;
  if ('__set__' in v && Array.isArray(v.__set__)) return `{${v.__set__.map(showValue).join(', ')}}`;
  return JSON.stringify(v);
}

/** Plain text of a goal key or value: alice, 3. */
function plain(v: JsonValue): string { return typeof v === 'string' ? v : showValue(v); }

/** Builds the message for error status st from the operands the engine left at `result`. */
export function describeError(st: number, result: number, u32: Uint32Array, f64: Float64Array, syms: SymbolTable, d: CompiledDomain): string {
  const word = (i: number): JsonValue => decodeValue(u32, f64, syms, result + i * 8);
  const int = (i: number): number => u32[(result + i * 8) >>> 2] | 0;
  const fnName = (i: number): string => d.funcNames[int(i)] ?? `#${int(i)}`;
  switch (st) {
    case ST.ERR_NOT_DISPATCHABLE:
      return `depth ${int(1)}: ${showValue(word(0))} isn't an action, task, unigoal, or multigoal`;
    case ST.ERR_VERIFY_G:
      return `depth ${int(4)}: method ${fnName(0)} didn't achieve goal ${plain(word(1))}[${plain(word(2))}] = ${plain(word(3))}`;
    case ST.ERR_VERIFY_MG: {
      const mg = word(1) as { __multigoal__?: JsonValue };
      return `depth ${int(2)}: method ${fnName(0)} didn't achieve multigoal ${plain(mg?.__multigoal__ ?? null)}`;
    }
    case ST.ERR_TYPE: {
      const op = OP_NAMES[int(1)] ?? 'an operator';
      return `in ${fnName(0)}: ${op} cannot take ${showValue(word(2))} and ${showValue(word(3))}`;
    }
    case ST.ERR_ARITY: {
      const item = showValue(word(1));
      if (int(0) < 0) return `unigoal ${item} must be (variable, key, value)`;
      const given = Array.isArray(word(1)) ? (word(1) as JsonValue[]).length - 1 : 1;
      return `${fnName(0)} takes ${d.funcs[int(0) * 4 + 1]} argument(s), but ${item} gives ${given}`;
    }
    case ST.ERR_BAD_DECOMP:
      return `method ${fnName(0)} returned ${showValue(word(1))}, not a list of todo items`;
    case ST.ERR_CALL_DEPTH:
      return `runaway recursion in function ${fnName(0)}: calls nested deeper than the engine allows (a recursion without a base case?)`;
    case ST.ERR_BAD_ITER:
      return `in ${fnName(0)}: cannot iterate over ${showValue(word(2))}`;
    case ST.ERR_STATE_VALUE:
      return `in ${fnName(0)}: ${showValue(word(2))} cannot be a state key or value`;
    case ST.ERR_CHOOSE:
      return `method ${fnName(0)}: too many choose statements`;
    case ST.ERR_COST: {
      // The cost helper is named `<action>.cost`.
      const action = fnName(0).replace(/\.cost$/, '');
      return `action ${action}: its cost must be a non-negative finite number, not ${showValue(word(1))}`;
    }
    default:
      return `engine status ${st}`;
  }
}
