/**
 * State reads `v[key]` compiled in place: the dense-index fast path of
 * wasm/assembly/state.ts (findSlot) written out at each read, so a symbol
 * or small-integer key costs a few loads and no call. Other keys, and
 * variables without a dense row, call the engine's rt_stateGet. Leaves the
 * value (nil when absent) on the stack.
 */
import { Bytes, Op, I32, I64, F64 } from './wasm-writer.js';
import type { LayoutIndex } from './runtime-imports.js';
import { Tag } from '../value-codec.js';

const BOX_HI = 0xfff8n;
const NIL = (0xfff8n << 48n) | (BigInt(Tag.NIL) << 32n);
const ABSENT = (0xfff8n << 48n) | (BigInt(Tag.ABSENT) << 32n);

/** The scratch locals a read needs (allocate once per function and reuse). */
export interface StateGetLocals { key: number; row: number; col: number; slot: number; x: number; i: number; v: number }

/** Local types of StateGetLocals, in field order. */
export const STATE_GET_LOCAL_TYPES = { key: I64, row: I32, col: I32, slot: I32, x: F64, i: I32, v: I64 } as const;

/**
 * Emits the read of variable `sym` at the key on top of the stack. `note`,
 * given in helper bodies, emits the noting of the read for the helper memo
 * (helper-memo.ts emitNoteRead) around the code that pushes the read: the
 * slot, or the variable's stamp index (VARDEP + sym, reads.ts) for a missing
 * key. The engine's lookup notes its own. `keySym`: the symbol id of a
 * literal key, whose column is known here.
 */
export function emitStateGet(c: Bytes, layout: LayoutIndex, rtStateGet: number, sym: number, l: StateGetLocals,
  note?: { varDep: number; emit: (push: () => void) => void }, keySym?: number): void {
  const g = (n: number): void => { c.u8(Op.global_get).u32(n); };
  const get = (n: number): void => { c.u8(Op.local_get).u32(n); };
  const set = (n: number): void => { c.u8(Op.local_set).u32(n); };
  const tee = (n: number): void => { c.u8(Op.local_tee).u32(n); };
  const i32 = (n: number): void => { c.u8(Op.i32_const).s32(n); };
  const i64 = (n: bigint): void => { c.u8(Op.i64_const).s64(n); };
  /** The engine's lookup, as the block's value (depth: the enclosing constructs inside the block). */
  const fallback = (depth: number): void => { i32(sym); get(l.key); c.u8(Op.call).u32(rtStateGet); c.u8(Op.br).u32(depth); };
  set(l.key);
  c.u8(Op.block).u8(I64);
  // row = VARROW[sym], the address of the variable's dense row; none: the engine.
  g(layout.VARROW); c.u8(Op.i32_load).u32(2).u32(sym * 4); tee(l.row);
  c.u8(Op.i32_eqz); c.u8(Op.if).u8(0x40); fallback(1); c.u8(Op.end);
  if (keySym !== undefined) i32(keySym); // a literal symbol key: its id is its column
  else {
  // col: a symbol's id, or NSYMS + k for an integer 0 <= k < DENSE_K; else the engine.
  get(l.key); i64(48n); c.u8(Op.i64_shr_u); i64(BOX_HI); c.u8(Op.i64_eq);
  c.u8(Op.if).u8(I32);
  get(l.key); i64(32n); c.u8(Op.i64_shr_u); i64(0xffffn); c.u8(Op.i64_and); i64(BigInt(Tag.SYM)); c.u8(Op.i64_ne);
  c.u8(Op.if).u8(0x40); fallback(2); c.u8(Op.end);
  get(l.key); c.u8(Op.i32_wrap_i64);
  c.u8(Op.else);
  get(l.key); c.u8(Op.f64_reinterpret_i64); tee(l.x);
  c.u8(0xfc).u32(2); tee(l.i); // i32.trunc_sat_f64_s
  c.u8(Op.f64_convert_i32_s); get(l.x); c.u8(Op.f64_ne);
  get(l.i); i32(0); c.u8(Op.i32_lt_s); c.u8(Op.i32_or);
  get(l.i); g(layout.DENSE_K); c.u8(Op.i32_ge_s); c.u8(Op.i32_or);
  c.u8(Op.if).u8(0x40); fallback(2); c.u8(Op.end);
  g(layout.NSYMS); get(l.i); c.u8(Op.i32_add);
  c.u8(Op.end);
  }
  set(l.col);
  // slot = row[col]; none: nil.
  get(l.row); get(l.col); i32(2); c.u8(Op.i32_shl); c.u8(Op.i32_add); c.u8(Op.i32_load).u32(2).u32(0); set(l.slot);
  note?.emit(() => { get(l.slot); g(note.varDep); i32(sym); c.u8(Op.i32_add); get(l.slot); i32(0); c.u8(Op.i32_ge_s); c.u8(Op.select); });
  get(l.slot); i32(0); c.u8(Op.i32_lt_s); c.u8(Op.if).u8(0x40); i64(NIL); c.u8(Op.br).u32(1); c.u8(Op.end);
  // value = SLOTS[slot].value, absent -> nil
  g(layout.SLOTS); get(l.slot); i32(24); c.u8(Op.i32_mul); c.u8(Op.i32_add); c.u8(Op.i64_load).u32(3).u32(0); tee(l.v);
  i64(NIL); get(l.v); i64(ABSENT); c.u8(Op.i64_ne); c.u8(Op.select);
  c.u8(Op.end);
}
