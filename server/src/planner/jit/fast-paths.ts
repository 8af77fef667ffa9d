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
import { Tag } from '../value-codec.js';
import type { MemoGlobals } from './helper-memo.js';

const NIL = (0xfff8n << 48n) | (BigInt(Tag.NIL) << 32n);
const ABSENT = (0xfff8n << 48n) | (BigInt(Tag.ABSENT) << 32n);
const GOLD = 0x9e3779b97f4a7c15n;

/** Function indices of the fast paths, and the globals iteration results land in. */
export interface FastPaths { mgGet: number; mgHas: number; mgLookup: number; iterInit: number; iterNext: number; iterKey: number; iterVal: number; iterCursor: number }

/** Adds the fast-path functions and globals to m. */
export function addFastPaths(m: ModuleWriter, rt: RtIndex, layout: LayoutIndex, status: number, memo: MemoGlobals): FastPaths {
  const iterKey = m.global(0, I64), iterVal = m.global(0, I64), iterCursor = m.global(0, I64);
  const mgFind = m.func([I64, I32, I64], [I32]);
  const mgGet = m.func([I32, I64, I32, I64], [I64]);
  const mgHas = m.func([I32, I64, I32, I64], [I32]);
  const mgLookup = m.func([I32, I64, I32, I64], [I64]);
  const iterInit = m.func([I32, I64], [I64]);
  const iterNext = m.func([I32, I64, I64, I32], [I32]);
  for (const [f, n] of [[mgFind, 'mgFind'], [mgGet, 'mgGet'], [mgHas, 'mgHas'], [mgLookup, 'mgLookup'], [iterInit, 'iterInit'], [iterNext, 'iterNext']] as const) m.nameFunc(f, `fast:${n}`);

  // mgFind(mg, var, key) -> triple address, 0 when absent, -1 when the runtime must decide.
  {
    const MG = 0, VAR = 1, KEY = 2, P = 3, CAP = 4, INDEX = 5, H = 6, E = 7, T = 8;
    const a = new Asm();
    a.tag(MG).i32(Tag.MG).o(Op.i32_ne).tag(KEY).i32(Tag.TUPLE).o(Op.i32_eq).o(Op.i32_or).if().i32(-1).ret().end();
    // -0 and 0 are one key.
    a.get(KEY).i64(0x8000000000000000n).o(Op.i64_eq).if().i64(0n).set(KEY).end();
    a.get(MG).wrap().set(P);
    a.get(P).load64(16).wrap().set(CAP);
    a.get(P).i32(24).o(Op.i32_add).get(P).load64(8).wrap().i32(24).o(Op.i32_mul).o(Op.i32_add).set(INDEX);
    // hashKey(var, key): ((key ^ key >> 29 ^ var << 40) * GOLD) >> 32
    a.get(KEY).get(KEY).i64(29n).o(Op.i64_shr_u).o(Op.i64_xor).get(VAR).o(Op.i64_extend_i32_u).i64(40n).o(Op.i64_shl).o(Op.i64_xor)
      .i64(GOLD).o(Op.i64_mul).i64(32n).o(Op.i64_shr_u).wrap().get(CAP).i32(1).o(Op.i32_sub).o(Op.i32_and).set(H);
    a.loop();
    a.get(INDEX).get(H).i32(3).o(Op.i32_shl).o(Op.i32_add).load64().wrap().tee(E).o(Op.i32_eqz).if().i32(0).ret().end();
    a.get(P).i32(24).o(Op.i32_add).get(E).i32(1).o(Op.i32_sub).i32(24).o(Op.i32_mul).o(Op.i32_add).set(T);
    a.get(T).load64().wrap().get(VAR).o(Op.i32_eq).get(T).load64(8).get(KEY).o(Op.i64_eq).o(Op.i32_and).if().get(T).ret().end();
    a.get(H).i32(1).o(Op.i32_add).get(CAP).i32(1).o(Op.i32_sub).o(Op.i32_and).set(H);
    a.br(0).end();
    a.i32(0);
    m.setBody(mgFind, [I32, I32, I32, I32, I32, I32], a.code);
  }
  for (const [f, isGet] of [[mgGet, true], [mgHas, false]] as const) {
    const FN = 0, MG = 1, VAR = 2, KEY = 3, R = 4;
    const a = new Asm();
    a.get(MG).get(VAR).get(KEY).call(mgFind).tee(R).i32(0).o(Op.i32_lt_s)
      .if().get(FN).get(MG).get(VAR).get(KEY).call(isGet ? rt.rt_mgGet : rt.rt_mgHas).ret().end();
    if (isGet) a.get(R).o(Op.i32_eqz).if(I64).i64(NIL).else().get(R).load64(16).end();
    else a.get(R).i32(0).o(Op.i32_ne);
    m.setBody(f, [I32], a.code);
  }
  // mgLookup(fn, mg, var, key) -> the wanted value, or ABSENT when the key is missing.
  {
    const FN = 0, MG = 1, VAR = 2, KEY = 3, R = 4;
    const a = new Asm();
    a.get(MG).get(VAR).get(KEY).call(mgFind).tee(R).i32(0).o(Op.i32_lt_s).if()
      .get(FN).get(MG).get(VAR).get(KEY).call(rt.rt_mgHas).if(I64).get(FN).get(MG).get(VAR).get(KEY).call(rt.rt_mgGet).else().i64(ABSENT).end().ret()
      .end();
    a.get(R).o(Op.i32_eqz).if(I64).i64(ABSENT).else().get(R).load64(16).end();
    m.setBody(mgLookup, [I32], a.code);
  }
  // iterInit(fn, c) -> cursor: a state variable's first slot, 0 for a sequence.
  {
    const FN = 0, C = 1, T = 2;
    const a = new Asm();
    a.tag(C).tee(T).i32(Tag.VARREF).o(Op.i32_eq).if(I64)
      // Walking a variable reads all of it (the helper memo's reads, reads.ts).
      .gget(memo.reads.recOn).if().gget(memo.reads.VARDEP).get(C).wrap().o(Op.i32_add).call(memo.record).end()
      .gget(layout.VARLIST).get(C).wrap().i32(3).o(Op.i32_shl).o(Op.i32_add).load32().o(Op.i64_extend_i32_s)
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
      a.gget(layout.SLOTS).get(S).i32(24).o(Op.i32_mul).o(Op.i32_add).set(P);
      a.get(P).load64().tee(V).i64(ABSENT).o(Op.i64_eq).if().get(P).load32(20).set(S).br(1).end();
      a.end();
      a.get(P).load64(8).gset(iterKey).get(V).gset(iterVal).get(P).load32(20).o(Op.i64_extend_i32_s).gset(iterCursor).i32(1).ret();
    }
    a.end();
    // Lists, tuples and sets with one loop variable.
    a.get(T).i32(Tag.TUPLE).o(Op.i32_sub).i32(3).o(Op.i32_lt_s).get(T).i32(Tag.TUPLE).o(Op.i32_ge_s).o(Op.i32_and)
      .get(NV).i32(1).o(Op.i32_eq).o(Op.i32_and).if();
    {
      a.get(C).wrap().set(P);
      a.get(CUR).wrap().tee(S).get(P).load32().o(Op.i32_ge_s).if().i32(0).ret().end();
      a.get(P).i32(8).o(Op.i32_add).get(S).i32(3).o(Op.i32_shl).o(Op.i32_add).load64().gset(iterKey);
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
