/**
 * State reads `v[key]` compiled in place: the dense-index fast path of
 * wasm/assembly/state.ts (findSlot) written out at each read, so a symbol
 * or small-integer key costs a few loads and no call. Other keys, and
 * variables without a dense row, call the engine's rt_stateGet. Leaves the
 * value (nil when absent) on the stack.
 */
import { Op, I32, I64, F64, type Bytes } from './wasm-writer.js';
import { Asm } from './asm.js';
import type { LayoutIndex } from './runtime-imports.js';
import { Tag } from '../runtime/engine-memory.js';
import { SLOT_BYTES, SLOT_VALUE } from '../runtime/engine-abi.js';
import { ABSENT, BOX_HI_WORD, NIL, STAMP_SHIFT } from './engine-words.js';

/** The scratch locals a read needs (allocate once per function and reuse). */
export interface StateGetLocals { key: number; row: number; col: number; slot: number; x: number; i: number; v: number }

/** Local types of StateGetLocals, in field order. */
export const STATE_GET_LOCAL_TYPES = { key: I64, row: I32, col: I32, slot: I32, x: F64, i: I32, v: I64 } as const;

/**
 * Emits the dense lookup of (sym, l.key) into l.slot (-1 when the key has
 * no slot), or a branch to the label `slow` levels out (a variable without
 * a dense row, a key that is not a symbol or small integer): the slot search
 * of wasm/assembly/state.ts findSlot, written out. `keySym`: the symbol id of
 * a literal key, whose column is known here.
 */
export function emitDenseSlot(c: Bytes, layout: LayoutIndex, sym: number, l: StateGetLocals, slow: number, keySym?: number): void {
  const a = new Asm();
  // row = VARROW[sym], the address of the variable's dense row; none: slow.
  a.gget(layout.VARROW).load32(sym << STAMP_SHIFT).tee(l.row).o(Op.i32_eqz).brIf(slow);
  if (keySym !== undefined) a.i32(keySym);
  else {
    // col: a symbol's id, or NSYMS + k for an integer 0 <= k < DENSE_K; else slow.
    a.get(l.key).i64(48n).o(Op.i64_shr_u).i64(BOX_HI_WORD).o(Op.i64_eq).if(I32);
    a.get(l.key).i64(32n).o(Op.i64_shr_u).i64(0xffffn).o(Op.i64_and).i64(BigInt(Tag.SYM)).o(Op.i64_ne).brIf(slow + 1);
    a.get(l.key).wrap();
    a.else();
    a.get(l.key).o(Op.f64_reinterpret_i64).tee(l.x).o(0xfc).o(2).tee(l.i); // i32.trunc_sat_f64_s
    a.o(Op.f64_convert_i32_s).get(l.x).o(Op.f64_ne);
    a.get(l.i).i32(0).o(Op.i32_lt_s).o(Op.i32_or);
    a.get(l.i).gget(layout.DENSE_K).o(Op.i32_ge_s).o(Op.i32_or).brIf(slow + 1);
    a.gget(layout.NSYMS).get(l.i).o(Op.i32_add);
    a.end();
  }
  // slot = row[col]
  a.set(l.col).get(l.row).get(l.col).i32(STAMP_SHIFT).o(Op.i32_shl).o(Op.i32_add).load32().set(l.slot);
  c.append(a.code);
}

/**
 * Emits the read of variable `sym` at the key on top of the stack. `note`,
 * given in helper bodies, emits the noting of the read for the helper memo
 * (helper-memo.ts emitNoteRead) around the code that pushes the read: the
 * slot, or the variable's stamp index (VARDEP + sym, reads.ts) for a missing
 * key. The engine's lookup notes its own. `keySym`: as emitDenseSlot.
 */
export function emitStateGet(c: Bytes, layout: LayoutIndex, rtStateGet: number, sym: number, l: StateGetLocals,
  note?: { varDep: number; emit: (push: () => void) => void }, keySym?: number): void {
  const a = new Asm();
  a.set(l.key);
  a.o(Op.block).o(I64).block(); // out, slow
  c.append(a.code);
  emitDenseSlot(c, layout, sym, l, 0, keySym);
  const b = new Asm();
  const flush = (): void => { c.append(b.code); b.code.b.length = 0; };
  flush();
  note?.emit(() => { b.get(l.slot).gget(note.varDep).i32(sym).o(Op.i32_add).get(l.slot).i32(0).o(Op.i32_ge_s).o(Op.select); flush(); });
  // none: nil; else the slot's value, absent -> nil
  b.get(l.slot).i32(0).o(Op.i32_lt_s).if().i64(NIL).br(2).end();
  b.gget(layout.SLOTS).get(l.slot).i32(SLOT_BYTES).o(Op.i32_mul).o(Op.i32_add).load64(SLOT_VALUE).tee(l.v);
  b.i64(NIL).get(l.v).i64(ABSENT).o(Op.i64_ne).o(Op.select).br(1);
  b.end(); // slow: the engine's lookup
  b.i32(sym).get(l.key).call(rtStateGet);
  b.end();
  flush();
}
