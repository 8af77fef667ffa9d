/**
 * Compiles a whole domain to one WebAssembly module that the engine calls
 * instead of interpreting bytecode. Function i of the compiled domain is
 * WebAssembly function funcBase + i; entry j (exported as `e<j>`) reads
 * function j's arguments from the engine's value stack, so the engine can
 * call any of them through its function table with one signature.
 */
import type { Stmt } from '../language/ast.js';
import { ModuleWriter, Bytes, Op, I32, I64 } from './wasm-writer.js';
import { importRuntime } from './runtime-imports.js';
import { addFastPaths } from './fast-paths.js';
import { JitBody, type JitKind, type JitScope } from './jit-body.js';
import { worthMemo, addMemo } from './helper-memo.js';
import { fuseLoops, type FuseScope } from './fuse-loops.js';

/** One function of the compiled domain, in function-table order. */
export interface JitFunction { params: string[]; body: Stmt[]; kind: JitKind; name?: string }

/** What the JIT needs from the domain compiler. */
export type JitDomainScope = Omit<JitScope, 'funcBase' | 'rt' | 'statusGlobal' | 'depthGlobal' | 'fast' | 'ticksGlobal' | 'memo' | 'memoized' | 'layout' | 'write' | 'retValGlobal'>;

/**
 * The module's bytes; its exports `e0..e<n-1>` are the entries of functions
 * 0..n-1, `memoBase` the address of the helper memo's table and `memoShift`
 * its hash shift (helper-memo.ts memoShift) (the host
 * sets it).
 */
export function jitDomain(funcs: JitFunction[], scope: JitDomainScope): { bytes: Uint8Array; interpreted: number[] } {
  const m = new ModuleWriter();
  const { rt, status, retVal, layout, reads, write } = importRuntime(m);
  const depth = m.global(0);
  const memo = addMemo(m, reads, rt.rt_record);
  const fast = addFastPaths(m, rt, layout, status, memo);
  const ticks = m.global(65536);
  m.exportGlobal('memoBase', memo.base);
  m.exportGlobal('memoShift', memo.shift);
  const isHelper = (n: string): boolean => scope.helper(n) !== undefined;
  const memoized = new Set(funcs.flatMap((f, i) => (f.kind === 'function' && worthMemo(i, f.params, f.body, isHelper) ? [i] : [])));
  const indices = funcs.map((f) => m.func(f.params.map(() => I64), [f.kind === 'function' ? I64 : I32]));
  const funcBase = indices.length ? indices[0] : 0;
  const full: JitScope = { ...scope, funcBase, rt, statusGlobal: status, depthGlobal: depth, fast, ticksGlobal: ticks, layout, write, retValGlobal: retVal,
    memo, memoized: (i) => memoized.has(i) };
  const interpreted: number[] = [];
  const fuse: FuseScope = {
    helperBody: (n) => { const h = scope.helper(n); return h === undefined ? undefined : funcs[h.index]; },
    isVar: scope.isVar,
    isConst: (n) => scope.namedConst(n) !== undefined,
  };
  funcs.forEach((f0, i) => {
    const f = { ...f0, body: fuseLoops(f0.params, f0.body, fuse) };
    if (f.name) m.nameFunc(indices[i], f.name);
    // Two passes: the first finds which locals key which read caches, the
    // second empties those caches wherever such a local is set.
    const first = new JitBody(full, f.kind, i);
    first.compile(f.params, f.body);
    if (f.kind !== 'function' && first.code.b.length > MAX_COMPILED_BYTES) {
      // V8 takes seconds over a function this large (an HDDL network of thousands of tasks), which
      // runs once per plan: the engine interprets it, and its entry here is never called.
      interpreted.push(i);
      m.setBody(indices[i], [], new Bytes().u8(Op.unreachable));
      return;
    }
    const b = new JitBody(full, f.kind, i, first.cacheDeps);
    b.compile(f.params, f.body);
    m.setBody(indices[i], b.locals, b.code);
  });
  funcs.forEach((f, i) => {
    const e = m.func([I32], [I32]);
    const code = new Bytes();
    // A new entry from the engine: a new memo generation (the state may have changed since the last).
    code.u8(Op.global_get).u32(memo.gen).u8(Op.i64_const).s64(1n).u8(Op.i64_add).u8(Op.global_set).u32(memo.gen);
    for (let j = 0; j < f.params.length; j++) code.u8(Op.local_get).u32(0).u8(Op.i64_load).u32(3).u32(j * 8);
    code.u8(Op.call).u32(indices[i]);
    // A helper called as an entry (never done by the engine) hands its value back like a method.
    if (f.kind === 'function') code.u8(Op.global_set).u32(retVal).u8(Op.i32_const).s32(1);
    m.setBody(e, [], code);
    if (f.name) m.nameFunc(e, `entry:${f.name}`);
    m.exportFunc(`e${i}`, e);
  });
  return { bytes: m.emit(), interpreted };
}

/** Bodies of methods and actions larger than this are interpreted instead. */
const MAX_COMPILED_BYTES = 32 * 1024;
