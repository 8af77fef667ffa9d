/**
 * What the domain compiler hands the engine, and the constants both sides
 * share. Kept apart from the compiler so that planning with a domain read
 * from the compiled-domain cache (domain-cache.ts) loads no compiler code.
 */

import { FN_ACTION, FN_COMMAND, FN_HELPER, FN_METHOD } from '../runtime/engine-abi.js';

/** Function kinds in the function table (the ABI's FN_*). */
export const FnKind = { helper: FN_HELPER, action: FN_ACTION, command: FN_COMMAND, method: FN_METHOD } as const;
/**
 * The function-kind flags (INTERPRETED_FLAG: no compiled code; CHOOSE_FLAG:
 * a method with a `choose`), the per-symbol record width and the multigoal
 * built-in's index, as the engine's ABI defines them.
 */
export { INTERPRETED_FLAG, CHOOSE_FLAG, SYM_STRIDE, SPLIT_MULTIGOAL } from '../runtime/engine-abi.js';

/** A domain ready for the engine. Addresses in `constHeap` assume it is placed at `constHeapBase`. */
export interface CompiledDomain {
  name: string;
  symbols: string[];
  code: Int32Array;
  /** Literal pool: two u32 (low, high) per 64-bit word. */
  consts: Uint32Array;
  constHeap: Uint8Array;
  constHeapBase: number;
  /** 4 i32 per function: code start, parameters, locals, kind. */
  funcs: Int32Array;
  funcNames: string[];
  symtab: Int32Array;
  methods: Int32Array;
  /** count, then function indices. */
  mgMethods: Int32Array;
  actions: Map<string, number>;
  commands: Map<string, number>;
  tasks: Set<string>;
  unigoalVars: Set<string>;
  /** How many state variables the domain declares. */
  varCount: number;
  /** The domain compiled to WebAssembly (see jit/), or undefined to interpret the bytecode. */
  jit?: Uint8Array;
}

