/**
 * The compiled module's own state lookup, `sget(var, key) -> value`: the
 * dense-index fast path of wasm/assembly/state.ts (findSlot) inlined, so a
 * symbol or small-integer key costs a few loads instead of two calls into
 * the engine instance. Other keys fall back to the engine's rt_stateGet.
 */
import { Bytes, Op, I32, I64, F64 } from './wasm-writer.js';
import type { LayoutIndex } from './runtime-imports.js';
import { Tag } from '../value-codec.js';

const BOX_HI = 0xfff8n;
const NIL = (0xfff8n << 48n) | (BigInt(Tag.NIL) << 32n);
const ABSENT = (0xfff8n << 48n) | (BigInt(Tag.ABSENT) << 32n);

/** The body of sget(var i32, key i64) -> i64; locals: row i32, col i32, slot i32, x f64, i i32, v i64. */
export function stateGetBody(layout: LayoutIndex, rtStateGet: number): { locals: number[]; code: Bytes } {
  const c = new Bytes();
  const VAR = 0, KEY = 1, ROW = 2, COL = 3, SLOT = 4, X = 5, I = 6, V = 7;
  const g = (n: number): void => { c.u8(Op.global_get).u32(n); };
  const lg = (n: number): void => { c.u8(Op.local_get).u32(n); };
  const ls = (n: number): void => { c.u8(Op.local_set).u32(n); };
  const i32 = (n: number): void => { c.u8(Op.i32_const).s32(n); };
  const i64 = (n: bigint): void => { c.u8(Op.i64_const).s64(n); };
  const fallback = (): void => { lg(VAR); lg(KEY); c.u8(Op.call).u32(rtStateGet); c.u8(Op.return); };
  // row = VARROW[var]; no row: fall back.
  g(layout.VARROW); lg(VAR); i32(2); c.u8(Op.i32_shl); c.u8(Op.i32_add); c.u8(Op.i32_load).u32(2).u32(0); ls(ROW);
  lg(ROW); i32(0); c.u8(Op.i32_lt_s); c.u8(Op.if).u8(0x40); fallback(); c.u8(Op.end);
  // col: a symbol's id, or NSYMS + k for an integer 0 <= k < DENSE_K; else fall back.
  lg(KEY); i64(48n); c.u8(Op.i64_shr_u); i64(BOX_HI); c.u8(Op.i64_eq);
  c.u8(Op.if).u8(0x40);
  lg(KEY); i64(32n); c.u8(Op.i64_shr_u); i64(0xffffn); c.u8(Op.i64_and); i64(BigInt(Tag.SYM)); c.u8(Op.i64_ne);
  c.u8(Op.if).u8(0x40); fallback(); c.u8(Op.end);
  lg(KEY); c.u8(Op.i32_wrap_i64); ls(COL);
  c.u8(Op.else);
  lg(KEY); c.u8(Op.f64_reinterpret_i64); ls(X);
  lg(X); c.u8(0xfc).u32(2); ls(I); // i32.trunc_sat_f64_s
  lg(I); c.u8(Op.f64_convert_i32_s); lg(X); c.u8(Op.f64_ne);
  lg(I); i32(0); c.u8(Op.i32_lt_s); c.u8(Op.i32_or);
  lg(I); g(layout.DENSE_K); c.u8(Op.i32_ge_s); c.u8(Op.i32_or);
  c.u8(Op.if).u8(0x40); fallback(); c.u8(Op.end);
  g(layout.NSYMS); lg(I); c.u8(Op.i32_add); ls(COL);
  c.u8(Op.end);
  // slot = DENSE[row * (NSYMS + DENSE_K) + col]
  g(layout.DENSE);
  lg(ROW); g(layout.NSYMS); g(layout.DENSE_K); c.u8(Op.i32_add); c.u8(Op.i32_mul); lg(COL); c.u8(Op.i32_add);
  i32(2); c.u8(Op.i32_shl); c.u8(Op.i32_add); c.u8(Op.i32_load).u32(2).u32(0); ls(SLOT);
  lg(SLOT); i32(0); c.u8(Op.i32_lt_s); c.u8(Op.if).u8(0x40); i64(NIL); c.u8(Op.return); c.u8(Op.end);
  // value = SLOTS[slot].value, absent -> nil
  g(layout.SLOTS); lg(SLOT); i32(24); c.u8(Op.i32_mul); c.u8(Op.i32_add); c.u8(Op.i64_load).u32(3).u32(0); ls(V);
  i64(NIL); lg(V); lg(V); i64(ABSENT); c.u8(Op.i64_eq); c.u8(Op.select);
  return { locals: [I32, I32, I32, F64, I32, I64], code: c };
}
