/**
 * The emitter's core for one compiled body: the code and locals, scopes and
 * labels, read caches, and the small instruction helpers the expression and
 * statement emitters (jit-expr.ts, jit-body.ts) share. Values are i64 words
 * (the engine's NaN-boxed format); conditions are i32.
 */
import type { Expr } from '../language/ast.js';
import type { MemoGlobals } from './helper-memo.js';
import { STATE_GET_LOCAL_TYPES, type StateGetLocals } from './state-get.js';
import { Tag } from '../runtime/engine-memory.js';
import { BOX_HI_WORD, SCALAR_TAG_COUNT, SCALAR_TAG_FIRST, boxedHigh, word } from './engine-words.js';
import { Bytes, Op, I64 } from './wasm-writer.js';
import type { LayoutIndex, RtIndex, WriteIndex } from './runtime-imports.js';
import type { FastPaths } from './fast-paths.js';

/** What the body compiler needs to know about the domain. */
export interface JitScope {
  symId(name: string): number;
  /** The word of a named constant, or undefined. */
  namedConst(name: string): bigint | undefined;
  isVar(name: string): boolean;
  /** Domain function index and arity of a helper. */
  helper(name: string): { index: number; arity: number } | undefined;
  isItemName(name: string): boolean;
  /** WebAssembly index of domain function 0. */
  funcBase: number;
  rt: RtIndex;
  statusGlobal: number;
  depthGlobal: number;
  /** Multigoal and iteration fast paths (fast-paths.ts). */
  fast: FastPaths;
  /** Countdown to the next clock check, so loops call the engine rarely. */
  ticksGlobal: number;
  /** The engine's layout globals (slots of the state, for walking a variable's keys). */
  layout: LayoutIndex;
  /** The engine's trail and state-version globals, for writes compiled in place. */
  write: WriteIndex;
  /** The engine's retVal global (vm.ts), where a method leaves its decomposition. */
  retValGlobal: number;
  /** Helper results memo (helper-memo.ts), and which helpers use it. */
  memo: MemoGlobals;
  memoized(helperIndex: number): boolean;
}

/** Body kinds; they decide what `return` and `fail` compile to. */
export type JitKind = 'function' | 'action' | 'method';

/** What a method entry returns: a decomposition (left in the engine's retVal), not applicable, an action applied. */
export const R_VALUE = 1;
/** See R_VALUE. */
export const R_FAIL = 2;
/** See R_VALUE. */
export const R_SUCCEED = 3;
/**
 * Helper calls nested deeper than this stop compiled code before the native
 * stack runs out; the engine then reruns the call in the interpreter, whose
 * frame stack is far deeper (engine.ts).
 */
export const MAX_CALL_DEPTH = 2_000;

/** The value word of a tag and payload (engine-words.ts). */
export { word };
/** Value words the emitters use as constants. */
export const NIL = word(Tag.NIL, 0);
/** See NIL. */
export const TRUE = word(Tag.BOOL, 1);
/** See NIL. */
export const FALSE = word(Tag.BOOL, 0);
/** The one NaN a computed number may be (others would look boxed). */
export const CANON_NAN = 0x7ff8000000000000n;
/** A lookup's "no such key" (never a value). */
export const ABSENT = word(Tag.ABSENT, 0);
/** An empty read cache: a tag no value or lookup result has. */
export const UNSET = word(15, 0);
const f64buf = new Float64Array(1);
const u64buf = new BigUint64Array(f64buf.buffer);
/** The word of a number. */
export const numWord = (x: number): bigint => { f64buf[0] = x; return u64buf[0]; };

/** Kinds of enclosing construct, for computing branch depths. */
export type Label = 'body' | 'tail' | 'if' | 'brk' | 'cont' | 'block';

/** State and helpers shared by the expression and statement emitters. */
export abstract class JitEmitter {
  readonly code = new Bytes();
  /** Types of the locals after the parameters. */
  readonly locals: number[] = [];
  protected nParams = 0;
  protected scopes: Map<string, number>[] = [];
  protected labels: Label[] = [];
  /**
   * Read caches. Helpers and methods cannot change the state, and multigoals
   * never change, so `v[k]` and `mg.v[k]` with k (and mg) locals are read once
   * until one of those locals is set again. Each cache is a local holding
   * UNSET (a word no read returns) until filled.
   */
  protected caches = new Map<string, number>();
  /** Local -> caches to empty when it is set (from a first pass over the same body). */
  readonly cacheDeps = new Map<number, number[]>();

  constructor(
    protected readonly s: JitScope,
    protected readonly kind: JitKind,
    protected readonly fn: number,
    protected readonly knownDeps?: Map<number, number[]>,
  ) {}

  protected op(o: number): Bytes { return this.code.u8(o); }
  protected i32(n: number): void { this.code.u8(Op.i32_const).s32(n); }
  protected i64(w: bigint): void { this.code.u8(Op.i64_const).s64(w); }
  protected call(f: number): void { this.code.u8(Op.call).u32(f); }
  protected get(l: number): void { this.code.u8(Op.local_get).u32(l); }
  protected set(l: number): void { this.code.u8(Op.local_set).u32(l); }
  protected tee(l: number): void { this.code.u8(Op.local_tee).u32(l); }
  /** Sets a user variable and empties the read caches keyed by it. */
  protected setVar(l: number): void {
    this.set(l);
    for (const c of this.knownDeps?.get(l) ?? []) { this.i64(UNSET); this.set(c); }
  }
  protected cacheFor(key: string, on: number[]): number {
    let c = this.caches.get(key);
    if (c === undefined) {
      c = this.temp(I64);
      this.caches.set(key, c);
      for (const l of on) { const d = this.cacheDeps.get(l) ?? []; d.push(c); this.cacheDeps.set(l, d); }
    }
    return c;
  }
  /** Emits a cached read: the cache if filled, else `fill` (which pushes the value) stored into it. */
  protected cached(c: number, fill: () => void): void {
    this.get(c); this.i64(UNSET); this.op(Op.i64_eq);
    this.op(Op.if).u8(I64); this.labels.push('if');
    fill(); this.tee(c);
    this.op(Op.else); this.get(c);
    this.op(Op.end); this.labels.pop();
  }
  /** The local a plain name expression refers to, if any. */
  protected localOf(e: Expr): number | undefined { return 'name' in e ? this.lookup(e.name) : undefined; }

  /** Scratch locals of the in-place state reads, shared by all reads of this function. */
  protected sgLocals: StateGetLocals | undefined;
  protected stateGetLocals(): StateGetLocals {
    if (!this.sgLocals) {
      const t = STATE_GET_LOCAL_TYPES;
      this.sgLocals = { key: this.temp(t.key), row: this.temp(t.row), col: this.temp(t.col), slot: this.temp(t.slot), x: this.temp(t.x), i: this.temp(t.i), v: this.temp(t.v) };
    }
    return this.sgLocals;
  }

  protected temp(t: number): number { this.locals.push(t); return this.nParams + this.locals.length - 1; }
  protected declare(name: string): number { const l = this.temp(I64); this.scopes[this.scopes.length - 1].set(name, l); return l; }
  protected lookup(name: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) { const l = this.scopes[i].get(name); if (l !== undefined) return l; }
    return undefined;
  }
  protected isStateVar(name: string): boolean {
    return this.lookup(name) === undefined && this.s.namedConst(name) === undefined && this.s.isVar(name);
  }
  protected depthTo(kind: Label): number {
    for (let i = this.labels.length - 1; i >= 0; i--) if (this.labels[i] === kind) return this.labels.length - 1 - i;
    throw new Error(`no enclosing ${kind}`);
  }
  /** Pushes 1 when the i64 on the stack is a number. */
  protected isNum(l: number): void { this.get(l); this.i64(48n); this.op(Op.i64_shr_u); this.i64(BOX_HI_WORD); this.op(Op.i64_ne); }

  /** Pushes 1 when the word in local l is a symbol, boolean or nil. */
  protected isScalarTagged(l: number): void {
    this.get(l); this.i64(32n); this.op(Op.i64_shr_u); this.i64(boxedHigh(SCALAR_TAG_FIRST)); this.op(Op.i64_sub); this.i64(BigInt(SCALAR_TAG_COUNT)); this.op(Op.i64_lt_u);
  }
}
