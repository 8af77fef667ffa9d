/**
 * A memo of helper-function results. Helpers are pure: their value depends
 * on their arguments and the state, and only actions write the state. So
 * within one run of a method (or between two writes of an action) a helper
 * called again with the same argument words gives the same value, and the
 * blocks domains' `status`/`is_done`, which a method asks about the same
 * blocks again and again, are computed once.
 *
 * The memo is a direct-mapped table of MEMO_ENTRIES entries of 32 bytes in
 * the engine's memory (its own region of the layout): [tag][arg 0][arg 1]
 * [value], where tag = generation << 12 | helper index. The generation (a
 * global of the compiled module) goes up each time the engine enters the
 * compiled code and after every state write, so entries of an earlier
 * generation never match and the table is never cleared. Argument words
 * are compared as words: equal words are equal values (sequences and
 * multigoals are immutable), unequal words merely miss.
 */
import type { Stmt } from '../ast.js';
import { Bytes, Op, I32, I64 } from './wasm-writer.js';

/** Entries in the table (a power of two). */
export const MEMO_ENTRIES = 2048;
/** Bytes of the table. */
export const MEMO_BYTES = MEMO_ENTRIES * 32;
/** Helpers with more arguments, or an index from 4096 on, are not memoised. */
export const MEMO_MAX_ARGS = 2;
const MAX_INDEX = 4096;

/** The compiled module's memo globals: the table's address (set by the host) and the generation. */
export interface MemoGlobals { base: number; gen: number }

/** One memoised call site. */
export interface MemoCall {
  /** Domain function index (part of the tag). */
  index: number;
  /** WebAssembly function index to call on a miss. */
  func: number;
  /** i64 locals holding the argument words. */
  args: number[];
  /** Allocates a local of a type. */
  temp(type: number): number;
  /** The engine's status global: a value computed while an error was raised is not kept. */
  status: number;
}

/**
 * Whether calls of a helper go through the memo: it must fit the table, and
 * be worth a lookup: it loops, builds a comprehension or calls a helper
 * (itself included). A one-line helper is cheaper to run again.
 */
export function worthMemo(index: number, params: string[], body: Stmt[], isHelper: (name: string) => boolean): boolean {
  return index < MAX_INDEX && params.length <= MEMO_MAX_ARGS && hasWork(body, isHelper);
}

function hasWork(node: unknown, isHelper: (name: string) => boolean): boolean {
  if (Array.isArray(node)) return node.some((x) => hasWork(x, isHelper));
  if (node === null || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  if ('for' in o || 'comp' in o) return true;
  if ('call' in o && isHelper((o.call as { fn: string }).fn)) return true;
  return Object.values(o).some((x) => hasWork(x, isHelper));
}

const GOLD = [0x9e3779b97f4a7c15n, 0xc2b2ae3d27d4eb4fn, 0x165667b19e3779f9n];
const HASH_BITS = Math.log2(MEMO_ENTRIES);

/** Emits the call: the memo's value on a hit, else the call, remembered; leaves the i64 value on the stack. */
export function emitMemoCall(c: Bytes, g: MemoGlobals, call: MemoCall): void {
  const tag = call.temp(I64), at = call.temp(I32), r = call.temp(I64);
  const get = (l: number): void => { c.u8(Op.local_get).u32(l); };
  const i64 = (n: bigint): void => { c.u8(Op.i64_const).s64(BigInt.asIntN(64, n)); };
  // tag = gen << 12 | index
  c.u8(Op.global_get).u32(g.gen); i64(12n); c.u8(Op.i64_shl); i64(BigInt(call.index)); c.u8(Op.i64_or); c.u8(Op.local_set).u32(tag);
  // at = base + (hash(tag, args) >> (64 - bits)) * 32
  get(tag); i64(GOLD[0]!); c.u8(Op.i64_mul);
  call.args.forEach((a, i) => { get(a); i64(GOLD[i + 1]!); c.u8(Op.i64_mul); c.u8(Op.i64_xor); });
  i64(GOLD[0]!); c.u8(Op.i64_mul); i64(BigInt(64 - HASH_BITS)); c.u8(Op.i64_shr_u); c.u8(Op.i32_wrap_i64);
  c.u8(Op.i32_const).s32(5); c.u8(Op.i32_shl); c.u8(Op.global_get).u32(g.base); c.u8(Op.i32_add); c.u8(Op.local_set).u32(at);
  // hit: the tag and every argument word match
  get(at); c.u8(Op.i64_load).u32(3).u32(0); get(tag); c.u8(Op.i64_eq);
  call.args.forEach((a, i) => { get(at); c.u8(Op.i64_load).u32(3).u32(8 + i * 8); get(a); c.u8(Op.i64_eq); c.u8(Op.i32_and); });
  c.u8(Op.if).u8(I64);
  get(at); c.u8(Op.i64_load).u32(3).u32(24);
  c.u8(Op.else);
  for (const a of call.args) get(a);
  c.u8(Op.call).u32(call.func); c.u8(Op.local_set).u32(r);
  // The call may have written nothing but may have raised an error: keep only clean values.
  c.u8(Op.global_get).u32(call.status); c.u8(Op.i32_eqz);
  c.u8(Op.if).u8(0x40);
  get(at); get(tag); c.u8(Op.i64_store).u32(3).u32(0);
  call.args.forEach((a, i) => { get(at); get(a); c.u8(Op.i64_store).u32(3).u32(8 + i * 8); });
  get(at); get(r); c.u8(Op.i64_store).u32(3).u32(24);
  c.u8(Op.end);
  get(r);
  c.u8(Op.end);
}
