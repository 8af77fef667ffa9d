/**
 * What the domain compiler hands the engine, and the constants both sides
 * share. Kept apart from the compiler so that planning with a domain read
 * from the compiled-domain cache (domain-cache.ts) loads no compiler code.
 */

/** Function kinds in the function table. */
export const FnKind = { helper: 0, action: 1, command: 2, method: 3 } as const;
/** Set in a function's kind field when it has no compiled code (wasm/assembly/vm.ts run). */
export const INTERPRETED_FLAG = 0x100;
/** Set in a method's kind field when its body has a `choose` (its choice point holds the bindings). */
export const CHOOSE_FLAG = 0x200;
/** Per-symbol dispatch record width and the multigoal built-in's index (as in the engine). */
export const SYM_STRIDE = 8;
export const SPLIT_MULTIGOAL = -2;

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

