/**
 * The engine functions compiled domain code imports (wasm/assembly/rt.ts),
 * with their WebAssembly signatures.
 */
import { I32, I64, type ModuleWriter } from './wasm-writer.js';

const SIGS = {
  rt_stateGet: [[I32, I64], [I64]],
  rt_varVal: [[I32], [I64]],
  rt_hasState: [[I32, I32, I64], [I32]],
  rt_stateSet: [[I32, I32, I64, I64], []],
  rt_binop: [[I32, I32, I64, I64], [I64]],
  rt_equals: [[I64, I64], [I32]],
  rt_truthy: [[I64], [I32]],
  rt_index: [[I32, I64, I64], [I64]],
  rt_field: [[I32, I64, I32], [I64]],
  rt_mgGet: [[I32, I64, I32, I64], [I64]],
  rt_mgHas: [[I32, I64, I32, I64], [I32]],
  rt_push: [[I64], []],
  rt_alloc: [[I32], [I32]],
  rt_makeSeq: [[I32, I32], [I64]],
  rt_makeMg: [[I64, I32], [I64]],
  rt_builtin: [[I32, I32, I64, I64], [I64]],
  rt_iterKey: [[], [I64]],
  rt_iterVal: [[], [I64]],
  rt_iterCursor: [[], [I64]],
  rt_iterInit: [[I32, I64], [I64]],
  rt_iterNext: [[I32, I64, I64, I32], [I32]],
  rt_chooseFailed: [[], [I32]],
  rt_choose: [[I32, I64, I32], [I64]],
  rt_tick: [[], [I32]],
  rt_callDepth: [[I32], []],
  rt_clockWrap: [[], []],
  rt_record: [[I32], []],
} as const;

/** Names of the runtime functions. */
export type RtName = keyof typeof SIGS;

/** Function indices of the runtime imports in a module. */
export type RtIndex = Record<RtName, number>;

/** Engine layout globals the compiled code reads to inline state lookups. */
export const LAYOUT_GLOBALS = ['DENSE', 'VARROW', 'NSYMS', 'DENSE_K', 'SLOTS', 'VARLIST'] as const;
/** Global indices of the layout imports. */
export type LayoutIndex = Record<(typeof LAYOUT_GLOBALS)[number], number>;

/** Engine globals of the helper memo's read records (wasm/assembly/reads.ts) and the arena floor. */
export const MEMO_GLOBALS = ['SLOTW', 'VARW', 'VARDEP', 'REC', 'REC_END', 'writeClock', 'memoEpoch', 'recOn', 'recTop', 'recPoison', 'arenaFloor'] as const;
/** Global indices of the memo imports. */
export type MemoImportIndex = Record<(typeof MEMO_GLOBALS)[number], number>;

/**
 * Engine globals of the undo trail and state version, for writes compiled in
 * place (state-set.ts), and of the arena, for literals allocated in place
 * (jit-expr.ts buildSeq).
 */
export const WRITE_GLOBALS = ['TRAIL', 'TRAIL_CAP', 'trailTop', 'trailPeak', 'stateVersion', 'arenaTop', 'planHeap', 'ARENA_END', 'arenaPeak'] as const;
/** Global indices of the write imports. */
export type WriteIndex = Record<(typeof WRITE_GLOBALS)[number], number>;

/** Declares every runtime import (and the memory, status and layout globals) in m. */
export function importRuntime(m: ModuleWriter): { rt: RtIndex; status: number; retVal: number; layout: LayoutIndex; reads: MemoImportIndex; write: WriteIndex } {
  m.importMemory('rt', 'memory');
  const status = m.importGlobal('rt', 'status', I32, true);
  // Where a method leaves its decomposition (vm.ts retVal), set as the global itself.
  const retVal = m.importGlobal('rt', 'retVal', I64, true);
  const layout = {} as LayoutIndex;
  for (const g of LAYOUT_GLOBALS) layout[g] = m.importGlobal('rt', g, I32, true);
  const reads = {} as MemoImportIndex;
  for (const g of MEMO_GLOBALS) reads[g] = m.importGlobal('rt', g, I32, true);
  const write = {} as WriteIndex;
  for (const g of WRITE_GLOBALS) write[g] = m.importGlobal('rt', g, I32, true);
  const rt = {} as RtIndex;
  for (const [name, [params, results]] of Object.entries(SIGS)) {
    rt[name as RtName] = m.importFunc('rt', name, [...params], [...results]);
  }
  return { rt, status, retVal, layout, reads, write };
}

/** The names to import, for building the import object from the engine's exports. */
export const RT_NAMES = Object.keys(SIGS) as RtName[];
