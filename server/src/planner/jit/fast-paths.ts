/**
 * Helper functions of the compiled module that do, without leaving the
 * module, what the engine's runtime would do for the common cases: multigoal
 * lookups with scalar keys, and iteration over state variables, lists,
 * tuples and sets. Anything else calls the runtime (wasm/assembly/rt.ts), so
 * the semantics stay there; these must agree with it (values.ts mgFind,
 * rt.ts rt_iterInit/rt_iterNext).
 */
import { Op, I32, I64, type ModuleWriter } from './wasm-writer.js';
import { Asm } from './asm.js';
import type { LayoutIndex, RtIndex } from './runtime-imports.js';
import { Tag } from '../runtime/engine-memory.js';
import type { MemoGlobals } from './helper-memo.js';

import { MG_HEADER_BYTES, MG_TRIPLE_BYTES, SLOT_BYTES, SLOT_KEY, SLOT_NEXT, SLOT_VALUE } from '../runtime/engine-abi.js';
import { ABSENT, NIL, VALUE_SHIFT, VARLIST_SHIFT } from './engine-words.js';

const GOLD = 0x9e3779b97f4a7c15n;

/** Function indices of the fast paths, and the globals iteration results land in. */
export interface FastPaths { mgGet: number; mgHas: number; mgLookup: number; iterInit: number; iterNext: number; iterKey: number; iterVal: number; iterCursor: number }

/** Adds the fast-path functions and globals to m. */
export function addFastPaths(m: ModuleWriter, rt: RtIndex, layout: LayoutIndex, status: number, memo: MemoGlobals): FastPaths {
  const iterKey = m.global(0, I64), iterVal = m.global(0, I64), iterCursor = m.global(0, I64);
  const mgGet = m.func([I32, I64, I32, I64], [I64]);
  const mgHas = m.func([I32, I64, I32, I64], [I32]);
  const mgLookup = m.func([I32, I64, I32, I64], [I64]);
  const iterInit = m.func([I32, I64], [I64]);
  const iterNext = m.func([I32, I64, I64, I32], [I32]);
  for (const [f, n] of [[mgGet, 'mgGet'], [mgHas, 'mgHas'], [mgLookup, 'mgLookup'], [iterInit, 'iterInit'], [iterNext, 'iterNext']] as const) m.nameFunc(f, `fast:${n}`);

  for (const [f, isGet] of [[mgGet, true], [mgHas, false]] as const) {
    const FN = 0, MG = 1, VAR = 2, KEY = 3, R = 4;
    const a = new Asm();
    emitMgFind(a, { mg: MG, v: VAR, key: KEY, p: 5, cap: 6, index: 7, h: 8, e: 9, t: 10 });
    a.tee(R).i32(0).o(Op.i32_lt_s)
      .if().get(FN).get(MG).get(VAR).get(KEY).call(isGet ? rt.rt_mgGet : rt.rt_mgHas).ret().end();
    if (isGet) a.get(R).o(Op.i32_eqz).if(I64).i64(NIL).else().get(R).load64(16).end();
    else a.get(R).i32(0).o(Op.i32_ne);
    m.setBody(f, [I32, I32, I32, I32, I32, I32, I32], a.code);
  }
  // mgLookup(fn, mg, var, key) -> the wanted value, or ABSENT when the key is missing.
  {
    const FN = 0, MG = 1, VAR = 2, KEY = 3, R = 4;
    const a = new Asm();
    emitMgFind(a, { mg: MG, v: VAR, key: KEY, p: 5, cap: 6, index: 7, h: 8, e: 9, t: 10 });
    a.tee(R).i32(0).o(Op.i32_lt_s).if()
      .get(FN).get(MG).get(VAR).get(KEY).call(rt.rt_mgHas).if(I64).get(FN).get(MG).get(VAR).get(KEY).call(rt.rt_mgGet).else().i64(ABSENT).end().ret()
      .end();
    a.get(R).o(Op.i32_eqz).if(I64).i64(ABSENT).else().get(R).load64(16).end();
    m.setBody(mgLookup, [I32, I32, I32, I32, I32, I32, I32], a.code);
  }
  // iterInit(fn, c) -> cursor: a state variable's first slot, 0 for a sequence.
  {
    const FN = 0, C = 1, T = 2;
    const a = new Asm();
    a.tag(C).tee(T).i32(Tag.VARREF).o(Op.i32_eq).if(I64)
      // Walking a variable reads all of it (the helper memo's reads, reads.ts).
      .gget(memo.reads.recOn).if().gget(memo.reads.VARDEP).get(C).wrap().o(Op.i32_add).call(memo.record).end()
      .gget(layout.VARLIST).get(C).wrap().i32(VARLIST_SHIFT).o(Op.i32_shl).o(Op.i32_add).load32().o(Op.i64_extend_i32_s)
      .else().get(FN).get(C).call(rt.rt_iterInit).end();
    m.setBody(iterInit, [I32], a.code);
  }
  // iterNext(fn, c, cursor, nv) -> 1 with iterKey/iterVal/iterCursor set, 0 when done.
  {
    const FN = 0, C = 1, CUR = 2, NV = 3, T = 4, S = 5, V = 6, P = 7;
    const a = new Asm();
    a.gget(status).if().i32(0).ret().end();
    a.tag(C).set(T);
    a.get(T).i32(Tag.VARREF).o(Op.i32_eq).if();
    {
      a.get(CUR).wrap().set(S);
      a.loop();
      a.get(S).i32(0).o(Op.i32_lt_s).if().i32(0).ret().end();
      a.gget(layout.SLOTS).get(S).i32(SLOT_BYTES).o(Op.i32_mul).o(Op.i32_add).set(P);
      a.get(P).load64(SLOT_VALUE).tee(V).i64(ABSENT).o(Op.i64_eq).if().get(P).load32(SLOT_NEXT).set(S).br(1).end();
      a.end();
      a.get(P).load64(SLOT_KEY).gset(iterKey).get(V).gset(iterVal).get(P).load32(SLOT_NEXT).o(Op.i64_extend_i32_s).gset(iterCursor).i32(1).ret();
    }
    a.end();
    // Lists, tuples and sets with one loop variable.
    a.get(T).i32(Tag.TUPLE).o(Op.i32_sub).i32(3).o(Op.i32_lt_s).get(T).i32(Tag.TUPLE).o(Op.i32_ge_s).o(Op.i32_and)
      .get(NV).i32(1).o(Op.i32_eq).o(Op.i32_and).if();
    {
      a.get(C).wrap().set(P);
      a.get(CUR).wrap().tee(S).get(P).load32().o(Op.i32_ge_s).if().i32(0).ret().end();
      a.get(P).i32(8).o(Op.i32_add).get(S).i32(VALUE_SHIFT).o(Op.i32_shl).o(Op.i32_add).load64().gset(iterKey);
      a.i64(NIL).gset(iterVal);
      a.get(S).i32(1).o(Op.i32_add).o(Op.i64_extend_i32_s).gset(iterCursor).i32(1).ret();
    }
    a.end();
    a.get(FN).get(C).get(CUR).get(NV).call(rt.rt_iterNext).tee(S).if()
      .call(rt.rt_iterKey).gset(iterKey).call(rt.rt_iterVal).gset(iterVal).call(rt.rt_iterCursor).gset(iterCursor).end();
    a.get(S);
    m.setBody(iterNext, [I32, I32, I64, I32], a.code);
  }
  return { mgGet, mgHas, mgLookup, iterInit, iterNext, iterKey, iterVal, iterCursor };
}

/** Locals of emitMgFind: the multigoal, variable and key (a local it may rewrite), and scratch. */
interface MgFindLocals { mg: number; v: number; key: number; p: number; cap: number; index: number; h: number; e: number; t: number }

/**
 * Emits values.ts mgFind for scalar keys as a block whose i32 value is the
 * triple's address, 0 when the key is absent, or -1 when the runtime must
 * decide (not a multigoal, a tuple key). Written in place in each caller: a
 * multigoal lookup is short and runs often.
 */
function emitMgFind(a: Asm, l: MgFindLocals): void {
  a.o(Op.block).o(I32);
  a.tag(l.mg).i32(Tag.MG).o(Op.i32_ne).tag(l.key).i32(Tag.TUPLE).o(Op.i32_eq).o(Op.i32_or).if().i32(-1).br(1).end();
  // -0 and 0 are one key.
  a.get(l.key).i64(0x8000000000000000n).o(Op.i64_eq).if().i64(0n).set(l.key).end();
  a.get(l.mg).wrap().set(l.p);
  a.get(l.p).load64(16).wrap().set(l.cap);
  a.get(l.p).i32(MG_HEADER_BYTES).o(Op.i32_add).get(l.p).load64(8).wrap().i32(MG_TRIPLE_BYTES).o(Op.i32_mul).o(Op.i32_add).set(l.index);
  // hashKey(var, key): ((key ^ key >> 29 ^ var << 40) * GOLD) >> 32
  a.get(l.key).get(l.key).i64(29n).o(Op.i64_shr_u).o(Op.i64_xor).get(l.v).o(Op.i64_extend_i32_u).i64(40n).o(Op.i64_shl).o(Op.i64_xor)
    .i64(GOLD).o(Op.i64_mul).i64(32n).o(Op.i64_shr_u).wrap().get(l.cap).i32(1).o(Op.i32_sub).o(Op.i32_and).set(l.h);
  a.loop();
  a.get(l.index).get(l.h).i32(3).o(Op.i32_shl).o(Op.i32_add).load64().wrap().tee(l.e).o(Op.i32_eqz).if().i32(0).br(2).end();
  a.get(l.p).i32(MG_HEADER_BYTES).o(Op.i32_add).get(l.e).i32(1).o(Op.i32_sub).i32(MG_TRIPLE_BYTES).o(Op.i32_mul).o(Op.i32_add).set(l.t);
  a.get(l.t).load64().wrap().get(l.v).o(Op.i32_eq).get(l.t).load64(8).get(l.key).o(Op.i64_eq).o(Op.i32_and).if().get(l.t).br(2).end();
  a.get(l.h).i32(1).o(Op.i32_add).get(l.cap).i32(1).o(Op.i32_sub).o(Op.i32_and).set(l.h);
  a.br(0).end();
  a.o(Op.unreachable);
  a.end();
}
