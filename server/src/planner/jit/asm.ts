/**
 * A thin assembler over Bytes for hand-written helper functions of the
 * compiled module: one method per instruction, locals by index.
 */
import { Bytes, Op } from './wasm-writer.js';
import { BOX_HI_WORD } from './engine-words.js';

/** Emits instructions into `code`. */
export class Asm {
  readonly code = new Bytes();
  o(op: number): this { this.code.u8(op); return this; }
  i32(n: number): this { this.code.u8(Op.i32_const).s32(n); return this; }
  i64(n: bigint): this { this.code.u8(Op.i64_const).s64(n); return this; }
  get(l: number): this { this.code.u8(Op.local_get).u32(l); return this; }
  set(l: number): this { this.code.u8(Op.local_set).u32(l); return this; }
  tee(l: number): this { this.code.u8(Op.local_tee).u32(l); return this; }
  gget(g: number): this { this.code.u8(Op.global_get).u32(g); return this; }
  gset(g: number): this { this.code.u8(Op.global_set).u32(g); return this; }
  call(f: number): this { this.code.u8(Op.call).u32(f); return this; }
  load64(offset = 0): this { this.code.u8(Op.i64_load).u32(3).u32(offset); return this; }
  load32(offset = 0): this { this.code.u8(Op.i32_load).u32(2).u32(offset); return this; }
  store64(offset = 0): this { this.code.u8(Op.i64_store).u32(3).u32(offset); return this; }
  store32(offset = 0): this { this.code.u8(Op.i32_store).u32(2).u32(offset); return this; }
  if(type = 0x40): this { this.code.u8(Op.if).u8(type); return this; }
  else(): this { return this.o(Op.else); }
  end(): this { return this.o(Op.end); }
  block(): this { this.code.u8(Op.block).u8(0x40); return this; }
  loop(): this { this.code.u8(Op.loop).u8(0x40); return this; }
  br(d: number): this { this.code.u8(Op.br).u32(d); return this; }
  brIf(d: number): this { this.code.u8(Op.br_if).u32(d); return this; }
  ret(): this { return this.o(Op.return); }
  /** payload (low 32 bits) of the i64 on the stack, as i32. */
  wrap(): this { return this.o(Op.i32_wrap_i64); }
  /** Pushes the tag of local l (0 for numbers). */
  tag(l: number): this {
    return this.get(l).i64(48n).o(Op.i64_shr_u).i64(BOX_HI_WORD).o(Op.i64_eq)
      .if(0x7f).get(l).i64(32n).o(Op.i64_shr_u).i64(0xffffn).o(Op.i64_and).wrap().else().i32(0).end();
  }
}
