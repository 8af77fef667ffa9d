/**
 * State writes `v[key] = value` compiled in place for the common case: a
 * key that already has a slot in the dense index (a symbol or small
 * integer) and a scalar value (number, symbol, boolean, nil). That case
 * does what wasm/assembly/state.ts stateSet does: the old value on the undo
 * trail, the new one in the slot, the state version up, and the write
 * stamps of reads.ts. Anything else (a new key, an object value, a full
 * trail, a variable without a dense row) calls the engine's rt_stateSet,
 * which also checks keys and values.
 */
import { Bytes, Op, I32, I64 } from './wasm-writer.js';
import type { LayoutIndex, MemoImportIndex, WriteIndex } from './runtime-imports.js';
import type { StateGetLocals } from './state-get.js';
import { Tag } from '../value-codec.js';

const BOX_HI = 0xfff8n;
/** The write clock value at which the engine starts its stamps again (reads.ts noteWrite). */
const CLOCK_WRAP = 0x7ffffff0;

/** The globals and functions a write uses. */
export interface StateSetScope { layout: LayoutIndex; reads: MemoImportIndex; write: WriteIndex; rtStateSet: number; rtClockWrap: number }

/** Emits `sym[key] = value` of function `fn`, with the key and value in locals l.key and val (keySym: a literal key's symbol id). */
export function emitStateSet(c: Bytes, s: StateSetScope, fn: number, sym: number, l: StateGetLocals, val: number, keySym?: number): void {
  const g = (n: number): void => { c.u8(Op.global_get).u32(n); };
  const gs = (n: number): void => { c.u8(Op.global_set).u32(n); };
  const get = (n: number): void => { c.u8(Op.local_get).u32(n); };
  const set = (n: number): void => { c.u8(Op.local_set).u32(n); };
  const tee = (n: number): void => { c.u8(Op.local_tee).u32(n); };
  const i32 = (n: number): void => { c.u8(Op.i32_const).s32(n); };
  const i64 = (n: bigint): void => { c.u8(Op.i64_const).s64(n); };
  const { layout, reads, write } = s;
  c.u8(Op.block).u8(0x40); // out
  c.u8(Op.block).u8(0x40); // slow
  // row = VARROW[sym] (the row's address), or slow
  g(layout.VARROW); c.u8(Op.i32_load).u32(2).u32(sym * 4); tee(l.row); c.u8(Op.i32_eqz); c.u8(Op.br_if).u32(0);
  if (keySym !== undefined) i32(keySym); // a literal symbol key: its id is its column
  else {
  // col: a symbol's id, or NSYMS + k for an integer 0 <= k < DENSE_K; else slow
  get(l.key); i64(48n); c.u8(Op.i64_shr_u); i64(BOX_HI); c.u8(Op.i64_eq);
  c.u8(Op.if).u8(I32);
  get(l.key); i64(32n); c.u8(Op.i64_shr_u); i64(0xffffn); c.u8(Op.i64_and); i64(BigInt(Tag.SYM)); c.u8(Op.i64_ne); c.u8(Op.br_if).u32(1);
  get(l.key); c.u8(Op.i32_wrap_i64);
  c.u8(Op.else);
  get(l.key); c.u8(Op.f64_reinterpret_i64); tee(l.x);
  c.u8(0xfc).u32(2); tee(l.i); // i32.trunc_sat_f64_s
  c.u8(Op.f64_convert_i32_s); get(l.x); c.u8(Op.f64_ne);
  get(l.i); i32(0); c.u8(Op.i32_lt_s); c.u8(Op.i32_or);
  get(l.i); g(layout.DENSE_K); c.u8(Op.i32_ge_s); c.u8(Op.i32_or); c.u8(Op.br_if).u32(1);
  g(layout.NSYMS); get(l.i); c.u8(Op.i32_add);
  c.u8(Op.end);
  }
  set(l.col);
  // slot = row[col], or slow (a new key)
  get(l.row); get(l.col); i32(2); c.u8(Op.i32_shl); c.u8(Op.i32_add); c.u8(Op.i32_load).u32(2).u32(0); tee(l.slot);
  i32(0); c.u8(Op.i32_lt_s); c.u8(Op.br_if).u32(0);
  // a scalar value (a number, or a symbol, boolean or nil), or slow
  get(val); i64(48n); c.u8(Op.i64_shr_u); i64(BOX_HI); c.u8(Op.i64_eq);
  get(val); i64(32n); c.u8(Op.i64_shr_u); i64(0xffffn); c.u8(Op.i64_and); i64(BigInt(Tag.NIL)); c.u8(Op.i64_gt_u);
  c.u8(Op.i32_and); c.u8(Op.br_if).u32(0);
  // room on the trail, or slow
  g(write.trailTop); tee(l.i); g(write.TRAIL_CAP); c.u8(Op.i32_ge_s); c.u8(Op.br_if).u32(0);
  // the trail entry: slot, old value
  g(layout.SLOTS); get(l.slot); i32(24); c.u8(Op.i32_mul); c.u8(Op.i32_add); set(l.row);
  g(write.TRAIL); get(l.i); i32(4); c.u8(Op.i32_shl); c.u8(Op.i32_add); tee(l.col);
  get(l.slot); c.u8(Op.i32_store).u32(2).u32(0);
  get(l.col); get(l.row); c.u8(Op.i64_load).u32(3).u32(0); c.u8(Op.i64_store).u32(3).u32(8);
  get(l.i); i32(1); c.u8(Op.i32_add); tee(l.i); gs(write.trailTop);
  get(l.i); g(write.trailPeak); c.u8(Op.i32_gt_s); c.u8(Op.if).u8(0x40); get(l.i); gs(write.trailPeak); c.u8(Op.end);
  // the value, the version, the stamps
  get(l.row); get(val); c.u8(Op.i64_store).u32(3).u32(0);
  g(write.stateVersion); i32(1); c.u8(Op.i32_add); gs(write.stateVersion);
  g(reads.writeClock); i32(1); c.u8(Op.i32_add); tee(l.i); gs(reads.writeClock);
  g(reads.SLOTW); get(l.slot); i32(2); c.u8(Op.i32_shl); c.u8(Op.i32_add); get(l.i); c.u8(Op.i32_store).u32(2).u32(0);
  g(reads.VARW); get(l.i); c.u8(Op.i32_store).u32(2).u32(sym * 4);
  get(l.i); i32(CLOCK_WRAP); c.u8(Op.i32_eq); c.u8(Op.if).u8(0x40); c.u8(Op.call).u32(s.rtClockWrap); c.u8(Op.end);
  c.u8(Op.br).u32(1);
  c.u8(Op.end); // slow
  i32(fn); i32(sym); get(l.key); get(val); c.u8(Op.call).u32(s.rtStateSet);
  c.u8(Op.end); // out
}
