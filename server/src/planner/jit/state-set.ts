/**
 * State writes `v[key] = value` compiled in place for the common case: a
 * key that already has a slot in the dense index (a symbol or small
 * integer) and a scalar value (number, symbol, boolean, nil). That case
 * does what wasm/assembly/state.ts stateSet does: the old value on the undo
 * trail, the new one in the slot, the state version up, and the write
 * stamps of reads.ts. Anything else (a new key, an object value, a full
 * trail, a variable without a dense row, a key that backtracking removed)
 * calls the engine's rt_stateSet, which also checks keys and values.
 */
import { Op, type Bytes } from './wasm-writer.js';
import { Asm } from './asm.js';
import type { LayoutIndex, MemoImportIndex, WriteIndex } from './runtime-imports.js';
import { emitDenseSlot, type StateGetLocals } from './state-get.js';
import { Tag } from '../runtime/engine-memory.js';
import { CLOCK_WRAP, SLOT_BYTES, SLOT_VALUE, TRAIL_OLD, TRAIL_SLOT } from '../runtime/engine-abi.js';
import { ABSENT, BOX_HI_WORD, STAMP_SHIFT, TRAIL_SHIFT } from './engine-words.js';

/** The globals and functions a write uses. */
export interface StateSetScope { layout: LayoutIndex; reads: MemoImportIndex; write: WriteIndex; rtStateSet: number; rtClockWrap: number }

/** Emits `sym[key] = value` of function `fn`, with the key and value in locals l.key and val (keySym: a literal key's symbol id). */
export function emitStateSet(c: Bytes, s: StateSetScope, fn: number, sym: number, l: StateGetLocals, val: number, keySym?: number): void {
  const { layout, reads, write } = s;
  c.u8(Op.block).u8(0x40); // out
  c.u8(Op.block).u8(0x40); // slow
  // the slot of an existing dense key, or slow (a new key, a variable without a dense row, another key)
  emitDenseSlot(c, layout, sym, l, 0, keySym);
  const a = new Asm();
  a.get(l.slot).i32(0).o(Op.i32_lt_s).brIf(0);
  // a scalar value (a number, or a symbol, boolean or nil), or slow
  a.get(val).i64(48n).o(Op.i64_shr_u).i64(BOX_HI_WORD).o(Op.i64_eq);
  a.get(val).i64(32n).o(Op.i64_shr_u).i64(0xffffn).o(Op.i64_and).i64(BigInt(Tag.NIL)).o(Op.i64_gt_u);
  a.o(Op.i32_and).brIf(0);
  // room on the trail, or slow
  a.gget(write.trailTop).tee(l.i).gget(write.TRAIL_CAP).o(Op.i32_ge_s).brIf(0);
  // the trail entry: slot, old value (l.row: the slot's address, l.col: the entry's)
  a.gget(layout.SLOTS).get(l.slot).i32(SLOT_BYTES).o(Op.i32_mul).o(Op.i32_add).set(l.row);
  // a key that backtracking removed, added again: slow (stateSet puts it last in the variable's order)
  a.get(l.row).load64(SLOT_VALUE).i64(ABSENT).o(Op.i64_eq).brIf(0);
  a.gget(write.TRAIL).get(l.i).i32(TRAIL_SHIFT).o(Op.i32_shl).o(Op.i32_add).tee(l.col);
  a.get(l.slot).store32(TRAIL_SLOT);
  a.get(l.col).get(l.row).load64(SLOT_VALUE).store64(TRAIL_OLD);
  a.get(l.i).i32(1).o(Op.i32_add).tee(l.i).gset(write.trailTop);
  a.get(l.i).gget(write.trailPeak).o(Op.i32_gt_s).if().get(l.i).gset(write.trailPeak).end();
  // the value, the version, the stamps
  a.get(l.row).get(val).store64(SLOT_VALUE);
  a.gget(write.stateVersion).i32(1).o(Op.i32_add).gset(write.stateVersion);
  a.gget(reads.writeClock).i32(1).o(Op.i32_add).tee(l.i).gset(reads.writeClock);
  a.gget(reads.SLOTW).get(l.slot).i32(STAMP_SHIFT).o(Op.i32_shl).o(Op.i32_add).get(l.i).store32();
  a.gget(reads.VARW).get(l.i).store32(sym << STAMP_SHIFT);
  a.get(l.i).i32(CLOCK_WRAP).o(Op.i32_eq).if().call(s.rtClockWrap).end();
  a.br(1);
  a.end(); // slow
  a.i32(fn).i32(sym).get(l.key).get(val).call(s.rtStateSet);
  a.end(); // out
  c.append(a.code);
}
