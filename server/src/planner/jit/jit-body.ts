/**
 * Compiles one body of the domain model (function, action, command or
 * method) to a WebAssembly function. Values are i64 words (the engine's
 * NaN-boxed format); conditions are i32. Number arithmetic, comparisons and
 * equal-word tests are inlined; everything else calls the engine's runtime
 * (wasm/assembly/rt.ts), which shares its semantics with the interpreter.
 */
import type { Expr, Stmt } from '../ast.js';
import * as O from '../opcodes.js';
import { emitMemoCall, type MemoGlobals } from './helper-memo.js';
import { emitStateGet, STATE_GET_LOCAL_TYPES, type StateGetLocals } from './state-get.js';
import { Tag } from '../value-codec.js';
import { Bytes, Op, I32, I64, F64, VOID } from './wasm-writer.js';
import type { LayoutIndex, RtIndex } from './runtime-imports.js';
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
  /** Helper results memo (helper-memo.ts), and which helpers use it. */
  memo: MemoGlobals;
  memoized(helperIndex: number): boolean;
}

/** Body kinds; they decide what `return` and `fail` compile to. */
export type JitKind = 'function' | 'action' | 'method';

const R_VALUE = 1;
const R_FAIL = 2;
const R_SUCCEED = 3;
/**
 * Helper calls nested deeper than this stop compiled code before the native
 * stack runs out; the engine then reruns the call in the interpreter, whose
 * frame stack is far deeper (engine.ts).
 */
export const MAX_CALL_DEPTH = 2_000;

const BOX = 0xfff8n << 48n;
const word = (tag: number, payload: number): bigint => BOX | (BigInt(tag) << 32n) | BigInt(payload >>> 0);
const NIL = word(Tag.NIL, 0);
const TRUE = word(Tag.BOOL, 1);
const FALSE = word(Tag.BOOL, 0);
const CANON_NAN = 0x7ff8000000000000n;
const ABSENT = word(Tag.ABSENT, 0);
/** An empty read cache: a tag no value or lookup result has. */
const UNSET = word(15, 0);
const f64buf = new Float64Array(1);
const u64buf = new BigUint64Array(f64buf.buffer);
const numWord = (x: number): bigint => { f64buf[0] = x; return u64buf[0]; };

const ARITH: Record<string, [number, number]> = { '+': [O.OP_ADD, Op.f64_add], '-': [O.OP_SUB, Op.f64_sub], '*': [O.OP_MUL, Op.f64_mul] };
const ORDER: Record<string, [number, number]> = { '<': [O.OP_LT, Op.f64_lt], '<=': [O.OP_LE, Op.f64_le], '>': [O.OP_GT, Op.f64_gt], '>=': [O.OP_GE, Op.f64_ge] };
const SLOW: Record<string, number> = { '/': O.OP_DIV, '//': O.OP_FLOORDIV, '%': O.OP_MOD };
const BUILTINS: Record<string, number> = { len: O.OP_LEN, abs: O.OP_ABS, min: O.OP_MIN, max: O.OP_MAX };

type Label = 'body' | 'tail' | 'if' | 'brk' | 'cont' | 'block';

/** Emits one function body. */
export class JitBody {
  readonly code = new Bytes();
  /** Types of the locals after the parameters. */
  readonly locals: number[] = [];
  private nParams = 0;
  private scopes: Map<string, number>[] = [];
  private labels: Label[] = [];
  private chooses = 0;
  /**
   * Read caches. Helpers and methods cannot change the state, and multigoals
   * never change, so `v[k]` and `mg.v[k]` with k (and mg) locals are read once
   * until one of those locals is set again. Each cache is a local holding
   * UNSET (a word no read returns) until filled.
   */
  private caches = new Map<string, number>();
  /** Local -> caches to empty when it is set (from a first pass over the same body). */
  readonly cacheDeps = new Map<number, number[]>();

  constructor(
    private readonly s: JitScope,
    private readonly kind: JitKind,
    private readonly fn: number,
    private readonly knownDeps?: Map<number, number[]>,
  ) {}

  /** Compiles params and body into `code` and `locals`. */
  compile(params: string[], body: Stmt[]): void {
    this.compileBody(params, body);
    // Empty every read cache on entry (locals start as 0, which is the number 0).
    const pro = new Bytes();
    for (const c of this.caches.values()) pro.u8(Op.i64_const).s64(UNSET).u8(Op.local_set).u32(c);
    // No spread: a large body (an HDDL network of thousands of tasks) has more bytes than a call may take arguments.
    const b = this.code.b.splice(0);
    for (const x of pro.b) this.code.b.push(x);
    for (const x of b) this.code.b.push(x);
  }

  private compileBody(params: string[], body: Stmt[]): void {
    this.nParams = params.length;
    this.scopes = [new Map(params.map((p, i) => [p, i]))];
    if (this.kind === 'function') {
      const g = this.s.statusGlobal, d = this.s.depthGlobal;
      // Stop early after an error, and bound the recursion before the native stack does.
      this.op(Op.global_get).u32(g); this.op(Op.if).u8(VOID); this.i64(NIL); this.op(Op.return); this.op(Op.end);
      this.op(Op.global_get).u32(d); this.i32(1); this.op(Op.i32_add); this.op(Op.global_set).u32(d);
      this.op(Op.global_get).u32(d); this.i32(MAX_CALL_DEPTH); this.op(Op.i32_gt_s); this.op(Op.if).u8(VOID);
      this.i32(this.fn); this.call(this.s.rt.rt_callDepth);
      this.op(Op.global_get).u32(d); this.i32(1); this.op(Op.i32_sub); this.op(Op.global_set).u32(d);
      this.i64(NIL); this.op(Op.return); this.op(Op.end);
      this.op(Op.block).u8(I64); this.labels.push('body');
      // A call of this helper in a return goes round this loop instead (see tailCall).
      this.op(Op.loop).u8(VOID); this.labels.push('tail');
      // Count calls and tail calls too: recursion without loops must still see the clock.
      const t = this.s.ticksGlobal;
      this.op(Op.global_get).u32(t); this.i32(1); this.op(Op.i32_sub); this.op(Op.global_set).u32(t);
      this.op(Op.global_get).u32(t); this.op(Op.i32_eqz);
      this.op(Op.if).u8(VOID); this.labels.push('if');
      this.i32(65536); this.op(Op.global_set).u32(t); this.call(this.s.rt.rt_tick); this.op(Op.drop);
      this.op(Op.global_get).u32(g); this.op(Op.if).u8(VOID); this.labels.push('if');
      this.i64(NIL); this.op(Op.br).u32(this.depthTo('body'));
      this.op(Op.end); this.labels.pop();
      this.op(Op.end); this.labels.pop();
      this.block(body);
      this.i64(NIL); this.op(Op.br).u32(this.depthTo('body'));
      this.op(Op.end); this.labels.pop();
      this.op(Op.unreachable);
      this.op(Op.end); this.labels.pop();
      this.op(Op.global_get).u32(d); this.i32(1); this.op(Op.i32_sub); this.op(Op.global_set).u32(d);
    } else {
      this.block(body);
      this.i32(this.kind === 'action' ? R_SUCCEED : R_FAIL);
    }
  }

  private op(o: number): Bytes { return this.code.u8(o); }
  private i32(n: number): void { this.code.u8(Op.i32_const).s32(n); }
  private i64(w: bigint): void { this.code.u8(Op.i64_const).s64(w); }
  private call(f: number): void { this.code.u8(Op.call).u32(f); }
  private get(l: number): void { this.code.u8(Op.local_get).u32(l); }
  private set(l: number): void { this.code.u8(Op.local_set).u32(l); }
  private tee(l: number): void { this.code.u8(Op.local_tee).u32(l); }
  /** Sets a user variable and empties the read caches keyed by it. */
  private setVar(l: number): void {
    this.set(l);
    for (const c of this.knownDeps?.get(l) ?? []) { this.i64(UNSET); this.set(c); }
  }
  private cacheFor(key: string, on: number[]): number {
    let c = this.caches.get(key);
    if (c === undefined) {
      c = this.temp(I64);
      this.caches.set(key, c);
      for (const l of on) { const d = this.cacheDeps.get(l) ?? []; d.push(c); this.cacheDeps.set(l, d); }
    }
    return c;
  }
  /** Emits a cached read: the cache if filled, else `fill` (which pushes the value) stored into it. */
  private cached(c: number, fill: () => void): void {
    this.get(c); this.i64(UNSET); this.op(Op.i64_eq);
    this.op(Op.if).u8(I64); this.labels.push('if');
    fill(); this.tee(c);
    this.op(Op.else); this.get(c);
    this.op(Op.end); this.labels.pop();
  }
  /** The local a plain name expression refers to, if any. */
  private localOf(e: Expr): number | undefined { return 'name' in e ? this.lookup(e.name) : undefined; }

  /** Scratch locals of the in-place state reads, shared by all reads of this function. */
  private sgLocals: StateGetLocals | undefined;
  private stateGetLocals(): StateGetLocals {
    if (!this.sgLocals) {
      const t = STATE_GET_LOCAL_TYPES;
      this.sgLocals = { key: this.temp(t.key), row: this.temp(t.row), col: this.temp(t.col), slot: this.temp(t.slot), x: this.temp(t.x), i: this.temp(t.i), v: this.temp(t.v) };
    }
    return this.sgLocals;
  }

  private temp(t: number): number { this.locals.push(t); return this.nParams + this.locals.length - 1; }
  private declare(name: string): number { const l = this.temp(I64); this.scopes[this.scopes.length - 1].set(name, l); return l; }
  private lookup(name: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) { const l = this.scopes[i].get(name); if (l !== undefined) return l; }
    return undefined;
  }
  private isStateVar(name: string): boolean {
    return this.lookup(name) === undefined && this.s.namedConst(name) === undefined && this.s.isVar(name);
  }
  private depthTo(kind: Label): number {
    for (let i = this.labels.length - 1; i >= 0; i--) if (this.labels[i] === kind) return this.labels.length - 1 - i;
    throw new Error(`no enclosing ${kind}`);
  }
  /** Pushes 1 when the i64 on the stack is a number. */
  private isNum(l: number): void { this.get(l); this.i64(48n); this.op(Op.i64_shr_u); this.i64(0xfff8n); this.op(Op.i64_ne); }

  /** Pushes 1 when the word in local l is a symbol, boolean or nil. */
  private isScalarTagged(l: number): void {
    this.get(l); this.i64(32n); this.op(Op.i64_shr_u); this.i64(0xfff80001n); this.op(Op.i64_sub); this.i64(3n); this.op(Op.i64_lt_u);
  }

  private block(stmts: Stmt[]): void {
    this.scopes.push(new Map());
    for (const st of stmts) this.stmt(st);
    this.scopes.pop();
  }

  private returnValue(): void {
    // The value is on the stack.
    if (this.kind === 'function') { this.op(Op.br).u32(this.depthTo('body')); return; }
    if (this.kind === 'action') { this.op(Op.drop); this.i32(R_SUCCEED); this.op(Op.return); return; }
    this.call(this.s.rt.rt_setRet); this.i32(R_VALUE); this.op(Op.return);
  }
  /**
   * `return f(args)` inside f: the arguments become the parameters and the
   * body starts again, so a tail recursion (a walk down a tower, along a
   * path) costs no call and no native stack.
   */
  private tailCall(args: Expr[]): void {
    const temps = args.map((a) => { this.val(a); const l = this.temp(I64); this.set(l); return l; });
    // Each round counts as a call towards the depth limit, as the calls it replaces did: an
    // endless recursion still ends (the call is run again interpreted, which has its own limit).
    this.tailRounds ??= this.temp(I32);
    this.get(this.tailRounds); this.i32(1); this.op(Op.i32_add); this.tee(this.tailRounds);
    this.op(Op.global_get).u32(this.s.depthGlobal); this.op(Op.i32_add); this.i32(MAX_CALL_DEPTH); this.op(Op.i32_gt_s);
    this.op(Op.if).u8(VOID); this.labels.push('if');
    this.i32(this.fn); this.call(this.s.rt.rt_callDepth); this.i64(NIL); this.op(Op.br).u32(this.depthTo('body'));
    this.op(Op.end); this.labels.pop();
    temps.forEach((l, i) => { this.get(l); this.setVar(i); });
    this.op(Op.br).u32(this.depthTo('tail'));
  }
  /** Rounds of the tail loop so far (a local, made on the first tail call). */
  private tailRounds: number | undefined;

  private emitFail(): void {
    if (this.kind === 'function') { this.i64(FALSE); this.returnValue(); return; }
    this.i32(R_FAIL); this.op(Op.return);
  }

  private stmt(st: Stmt): void {
    const rt = this.s.rt;
    if ('let' in st) { this.val(st.let.value); this.setVar(this.declare(st.let.name)); return; }
    if ('assign' in st) {
      const t = st.assign.target;
      if ('name' in t && this.isStateVar(t.name)) {
        this.i32(this.fn); this.i32(this.s.symId(t.name)); this.i64(NIL); this.val(st.assign.value); this.call(rt.rt_stateSet);
        this.bumpMemo();
      } else if ('name' in t) {
        this.val(st.assign.value); this.setVar(this.lookup(t.name)!);
      } else if ('index' in t && 'name' in t.index.base) {
        this.i32(this.fn); this.i32(this.s.symId(t.index.base.name)); this.val(t.index.key); this.val(st.assign.value); this.call(rt.rt_stateSet);
        this.bumpMemo();
      } else throw new Error('bad assignment target');
      return;
    }
    if ('if' in st) {
      this.cond(st.if.test);
      this.op(Op.if).u8(VOID); this.labels.push('if');
      this.block(st.if.then);
      if (st.if.else.length) { this.op(Op.else); this.block(st.if.else); }
      this.op(Op.end); this.labels.pop();
      return;
    }
    if ('for' in st) { this.loop(st.for.vars, st.for.iter, () => this.block(st.for.body)); return; }
    if ('break' in st) { this.op(Op.br).u32(this.depthTo('brk')); return; }
    if ('continue' in st) { this.op(Op.br).u32(this.depthTo('cont')); return; }
    if ('return' in st) {
      const v = st.return.value;
      if (v && this.kind === 'function' && 'call' in v && this.s.helper(v.call.fn)?.index === this.fn) { this.tailCall(v.call.args); return; }
      if (v) this.val(v); else this.i64(NIL);
      this.returnValue();
      return;
    }
    if ('fail' in st) { this.emitFail(); return; }
    if ('require' in st) {
      this.cond(st.require); this.op(Op.i32_eqz);
      this.op(Op.if).u8(VOID); this.labels.push('if'); this.emitFail(); this.op(Op.end); this.labels.pop();
      return;
    }
    if ('choose' in st) {
      this.i32(this.fn); this.val(st.choose.iter); this.i32(this.chooses++); this.call(rt.rt_choose);
      this.setVar(this.declare(st.choose.name));
      this.call(rt.rt_chooseFailed); this.op(Op.if).u8(VOID); this.i32(R_FAIL); this.op(Op.return); this.op(Op.end);
      return;
    }
    throw new Error(`unknown statement ${Object.keys(st).join()}`);
  }

  /** for vars in iter { body }, shared with comprehensions. */
  private loop(vars: string[], iter: Expr, body: () => void): void {
    const rt = this.s.rt;
    const fast = this.s.fast;
    const c = this.temp(I64), cur = this.temp(I64);
    this.val(iter); this.set(c);
    this.i32(this.fn); this.get(c); this.call(fast.iterInit); this.set(cur);
    // A state variable (most loops in domains) is walked here, slot by slot; other values go through iterNext.
    const isRef = this.temp(I32), slot = this.temp(I32), at = this.temp(I32), v = this.temp(I64);
    this.get(c); this.i64(32n); this.op(Op.i64_shr_u); this.i64(0xfff80000n | BigInt(Tag.VARREF)); this.op(Op.i64_eq); this.set(isRef);
    this.scopes.push(new Map());
    const slots = vars.map((name) => this.declare(name));
    const readsCached = slots.length === 1 && this.kind !== 'action' && 'name' in iter && this.isStateVar(iter.name);
    const bind = (key: () => void, value: () => void): void => {
      key(); this.setVar(slots[0]);
      if (slots.length > 1) { value(); this.setVar(slots[1]); }
      // Iterating a state variable gives each key's value too: `v[x]` in the body reads it from the cache.
      else if (readsCached) { value(); this.set(this.cacheFor(`s:${this.s.symId((iter as { name: string }).name)}:${slots[0]}`, [slots[0]])); }
    };
    this.op(Op.block).u8(VOID); this.labels.push('brk');
    this.op(Op.loop).u8(VOID); this.labels.push('cont');
    // Every 65536 turns, ask the engine about the clock and cancellation.
    const t = this.s.ticksGlobal;
    this.op(Op.global_get).u32(t); this.i32(1); this.op(Op.i32_sub); this.op(Op.global_set).u32(t);
    this.op(Op.global_get).u32(t); this.op(Op.i32_eqz);
    this.op(Op.if).u8(VOID); this.i32(65536); this.op(Op.global_set).u32(t);
    this.call(rt.rt_tick); this.op(Op.i32_eqz); this.op(Op.br_if).u32(2); this.op(Op.end);
    this.get(isRef);
    this.op(Op.if).u8(VOID); this.labels.push('if');
    {
      // Skip absent slots (deleted keys) to the next present one, or leave the loop.
      this.op(Op.block).u8(VOID); this.labels.push('block');
      this.op(Op.loop).u8(VOID); this.labels.push('block');
      this.get(cur); this.op(Op.i32_wrap_i64); this.set(slot);
      this.get(slot); this.i32(0); this.op(Op.i32_lt_s); this.op(Op.br_if).u32(this.depthTo('brk'));
      this.op(Op.global_get).u32(this.s.layout.SLOTS); this.get(slot); this.i32(24); this.op(Op.i32_mul); this.op(Op.i32_add); this.set(at);
      this.get(at); this.op(Op.i64_load).u32(3).u32(0); this.tee(v); this.i64(ABSENT); this.op(Op.i64_ne); this.op(Op.br_if).u32(1);
      this.get(at); this.op(Op.i32_load).u32(2).u32(20); this.op(Op.i64_extend_i32_s); this.set(cur);
      this.op(Op.br).u32(0);
      this.op(Op.end); this.labels.pop();
      this.op(Op.end); this.labels.pop();
      bind(() => { this.get(at); this.op(Op.i64_load).u32(3).u32(8); }, () => this.get(v));
      this.get(at); this.op(Op.i32_load).u32(2).u32(20); this.op(Op.i64_extend_i32_s); this.set(cur);
    }
    this.op(Op.else);
    {
      this.i32(this.fn); this.get(c); this.get(cur); this.i32(vars.length); this.call(fast.iterNext);
      this.op(Op.i32_eqz); this.op(Op.br_if).u32(this.depthTo('brk'));
      bind(() => this.op(Op.global_get).u32(fast.iterKey), () => this.op(Op.global_get).u32(fast.iterVal));
      this.op(Op.global_get).u32(fast.iterCursor); this.set(cur);
    }
    this.op(Op.end); this.labels.pop();
    body();
    this.op(Op.br).u32(this.depthTo('cont'));
    this.op(Op.end); this.labels.pop();
    this.op(Op.end); this.labels.pop();
    this.scopes.pop();
  }

  /** Evaluates e to an i32 truth value. */
  private cond(e: Expr): void {
    if ('binary' in e) {
      const { op, left, right } = e.binary;
      if (op === '==' || op === '!=') { this.equality(left, right); if (op === '!=') this.op(Op.i32_eqz); return; }
      if (ORDER[op]) { this.order(op, left, right); return; }
      if (op === 'in' || op === 'not in') { this.membership(left, right); if (op === 'not in') this.op(Op.i32_eqz); return; }
      if (op === 'and' || op === 'or') {
        this.cond(left);
        this.op(Op.if).u8(I32); this.labels.push('if');
        if (op === 'and') { this.cond(right); this.op(Op.else); this.i32(0); } else { this.i32(1); this.op(Op.else); this.cond(right); }
        this.op(Op.end); this.labels.pop();
        return;
      }
    }
    if ('unary' in e && e.unary.op === 'not') { this.cond(e.unary.arg); this.op(Op.i32_eqz); return; }
    if ('lit' in e && 'bool' in e.lit) { this.i32(e.lit.bool ? 1 : 0); return; }
    this.val(e);
    this.truthy();
  }

  /** i64 on the stack -> i32 truth (Python's). */
  private truthy(): void {
    const t = this.temp(I64);
    this.tee(t); this.i64(TRUE); this.op(Op.i64_eq);
    this.op(Op.if).u8(I32); this.labels.push('if'); this.i32(1);
    this.op(Op.else);
    this.get(t); this.i64(FALSE); this.op(Op.i64_eq); this.get(t); this.i64(NIL); this.op(Op.i64_eq); this.op(Op.i32_or);
    this.op(Op.if).u8(I32); this.labels.push('if'); this.i32(0); this.op(Op.else); this.get(t); this.call(this.s.rt.rt_truthy); this.op(Op.end); this.labels.pop();
    this.op(Op.end); this.labels.pop();
  }

  private equality(left: Expr, right: Expr): void {
    const a = this.temp(I64), b = this.temp(I64);
    this.val(left); this.set(a); this.val(right); this.set(b);
    this.get(a); this.get(b); this.op(Op.i64_eq);
    this.op(Op.if).u8(I32); this.labels.push('if');
    this.get(a); this.i64(CANON_NAN); this.op(Op.i64_ne);
    this.op(Op.else);
    this.isNum(a); this.isNum(b); this.op(Op.i32_and);
    this.op(Op.if).u8(I32); this.labels.push('if');
    this.get(a); this.op(Op.f64_reinterpret_i64); this.get(b); this.op(Op.f64_reinterpret_i64); this.op(Op.f64_eq);
    this.op(Op.else);
    // Different words of which one is a symbol, boolean or nil are never equal.
    this.isScalarTagged(a); this.isScalarTagged(b); this.op(Op.i32_or);
    this.op(Op.if).u8(I32); this.labels.push('if'); this.i32(0);
    this.op(Op.else); this.get(a); this.get(b); this.call(this.s.rt.rt_equals);
    this.op(Op.end); this.labels.pop();
    this.op(Op.end); this.labels.pop();
    this.op(Op.end); this.labels.pop();
  }

  private order(op: string, left: Expr, right: Expr): void {
    const [code, fop] = ORDER[op];
    const a = this.temp(I64), b = this.temp(I64);
    this.val(left); this.set(a); this.val(right); this.set(b);
    this.isNum(a); this.isNum(b); this.op(Op.i32_and);
    this.op(Op.if).u8(I32); this.labels.push('if');
    this.get(a); this.op(Op.f64_reinterpret_i64); this.get(b); this.op(Op.f64_reinterpret_i64); this.op(fop);
    this.op(Op.else); this.i32(this.fn); this.i32(code); this.get(a); this.get(b); this.call(this.s.rt.rt_binop); this.truthy();
    this.op(Op.end); this.labels.pop();
  }

  private membership(left: Expr, right: Expr): void {
    const rt = this.s.rt;
    if ('name' in right && this.isStateVar(right.name)) {
      this.i32(this.fn); this.i32(this.s.symId(right.name)); this.val(left); this.call(rt.rt_hasState);
    } else if ('field' in right) {
      const sym = this.s.symId(right.field.name);
      const mgl = this.localOf(right.field.base), k = this.localOf(left);
      if (this.kind !== 'action' && mgl !== undefined && k !== undefined) {
        // Shares the cache of mg.v[k]: a lookup gives ABSENT for a missing key.
        this.cached(this.cacheFor(`m:${mgl}:${sym}:${k}`, [mgl, k]), () => {
          this.i32(this.fn); this.val(right.field.base); this.i32(sym); this.val(left); this.call(this.s.fast.mgLookup);
        });
        this.i64(ABSENT); this.op(Op.i64_ne);
      } else {
        this.i32(this.fn); this.val(right.field.base); this.i32(sym); this.val(left); this.call(this.s.fast.mgHas);
      }
    } else {
      this.i32(this.fn); this.i32(O.OP_IN); this.val(left); this.val(right); this.call(rt.rt_binop); this.truthy();
    }
  }

  /** Evaluates e to an i64 value word. */
  private val(e: Expr): void {
    const rt = this.s.rt;
    if ('lit' in e) {
      const l = e.lit;
      if ('sym' in l) this.i64(word(Tag.SYM, this.s.symId(l.sym)));
      else if ('num' in l) this.i64(numWord(l.num));
      else if ('bool' in l) this.i64(l.bool ? TRUE : FALSE);
      else this.i64(NIL);
      return;
    }
    if ('name' in e) {
      const l = this.lookup(e.name);
      if (l !== undefined) { this.get(l); return; }
      const c = this.s.namedConst(e.name);
      if (c !== undefined) { this.i64(c); return; }
      this.i32(this.s.symId(e.name)); this.call(rt.rt_varVal);
      return;
    }
    if ('index' in e) {
      const b = e.index.base;
      const k = this.localOf(e.index.key);
      const cacheable = this.kind !== 'action' && k !== undefined;
      if ('name' in b && this.isStateVar(b.name)) {
        const sym = this.s.symId(b.name);
        const read = (): void => { this.val(e.index.key); emitStateGet(this.code, this.s.layout, this.s.rt.rt_stateGet, sym, this.stateGetLocals()); };
        if (cacheable) this.cached(this.cacheFor(`s:${sym}:${k}`, [k!]), read); else read();
      } else if ('field' in b) {
        const sym = this.s.symId(b.field.name);
        const mgl = this.localOf(b.field.base);
        if (cacheable && mgl !== undefined) {
          this.cached(this.cacheFor(`m:${mgl}:${sym}:${k}`, [mgl, k!]), () => {
            this.i32(this.fn); this.val(b.field.base); this.i32(sym); this.val(e.index.key); this.call(this.s.fast.mgLookup);
          });
          // ABSENT (a missing key) reads as nil.
          const t = this.temp(I64);
          this.tee(t); this.i64(NIL); this.get(t); this.i64(ABSENT); this.op(Op.i64_ne); this.op(Op.select);
          // select(a, b, c) gives a when c: the value when present, else nil.
        } else {
          this.i32(this.fn); this.val(b.field.base); this.i32(sym); this.val(e.index.key); this.call(this.s.fast.mgGet);
        }
      }
      else { this.i32(this.fn); this.val(b); this.val(e.index.key); this.call(rt.rt_index); }
      return;
    }
    if ('field' in e) { this.i32(this.fn); this.val(e.field.base); this.i32(this.s.symId(e.field.name)); this.call(rt.rt_field); return; }
    if ('call' in e) { this.callExpr(e.call.fn, e.call.args); return; }
    if ('binary' in e) {
      const { op, left, right } = e.binary;
      if (op === 'and' || op === 'or') {
        const t = this.temp(I64);
        this.val(left); this.set(t); this.get(t); this.truthy();
        this.op(Op.if).u8(I64); this.labels.push('if');
        if (op === 'and') { this.val(right); this.op(Op.else); this.get(t); } else { this.get(t); this.op(Op.else); this.val(right); }
        this.op(Op.end); this.labels.pop();
        return;
      }
      if (ARITH[op]) { this.arith(op, left, right); return; }
      if (SLOW[op] !== undefined) { this.i32(this.fn); this.i32(SLOW[op]); this.val(left); this.val(right); this.call(rt.rt_binop); return; }
      this.boolFromCond(e);
      return;
    }
    if ('unary' in e) {
      if (e.unary.op === 'not') { this.boolFromCond(e); return; }
      const a = this.temp(I64), r = this.temp(F64);
      this.val(e.unary.arg); this.set(a);
      this.isNum(a);
      this.op(Op.if).u8(I64); this.labels.push('if');
      this.get(a); this.op(Op.f64_reinterpret_i64); this.op(Op.f64_neg); this.set(r); this.canonical(r);
      this.op(Op.else); this.i32(this.fn); this.i32(O.OP_NEG); this.get(a); this.i64(NIL); this.call(rt.rt_builtin);
      this.op(Op.end); this.labels.pop();
      return;
    }
    if ('list' in e || 'tuple' in e) {
      const elems = 'list' in e ? e.list : e.tuple;
      this.buildSeq('list' in e ? Tag.LIST : Tag.TUPLE, elems.map((x) => () => this.val(x)));
      return;
    }
    if ('set' in e) {
      // A set drops equal elements: the engine builds it.
      for (const x of e.set) { this.val(x); this.call(rt.rt_push); }
      this.i32(Tag.SET); this.i32(e.set.length); this.call(rt.rt_makeSeq);
      return;
    }
    if ('comp' in e) {
      const n = this.temp(I32);
      this.i32(0); this.set(n);
      this.loop(e.comp.vars, e.comp.iter, () => {
        if (e.comp.cond) { this.cond(e.comp.cond); this.op(Op.if).u8(VOID); this.labels.push('if'); }
        this.val(e.comp.elem); this.call(rt.rt_push);
        this.get(n); this.i32(1); this.op(Op.i32_add); this.set(n);
        if (e.comp.cond) { this.op(Op.end); this.labels.pop(); }
      });
      this.i32(Tag.LIST); this.get(n); this.call(rt.rt_makeSeq);
      return;
    }
    if ('multigoal' in e) {
      for (const g of e.multigoal.goals) {
        this.i64(word(Tag.SYM, this.s.symId(g.var))); this.call(rt.rt_push);
        this.val(g.key); this.call(rt.rt_push);
        this.val(g.value); this.call(rt.rt_push);
      }
      this.i64(word(Tag.SYM, this.s.symId(e.multigoal.name))); this.i32(e.multigoal.goals.length); this.call(rt.rt_makeMg);
      return;
    }
    throw new Error(`unsupported expression ${Object.keys(e).join()}`);
  }

  private boolFromCond(e: Expr): void { this.i64(TRUE); this.i64(FALSE); this.cond(e); this.op(Op.select); }

  /** f64 local r -> its word, with NaN canonicalised so it never looks boxed. */
  private canonical(r: number): void {
    this.i64(CANON_NAN); this.get(r); this.op(Op.i64_reinterpret_f64); this.get(r); this.get(r); this.op(Op.f64_ne); this.op(Op.select);
  }

  private arith(op: string, left: Expr, right: Expr): void {
    const [code, fop] = ARITH[op];
    const a = this.temp(I64), b = this.temp(I64), r = this.temp(F64);
    this.val(left); this.set(a); this.val(right); this.set(b);
    this.isNum(a); this.isNum(b); this.op(Op.i32_and);
    this.op(Op.if).u8(I64); this.labels.push('if');
    this.get(a); this.op(Op.f64_reinterpret_i64); this.get(b); this.op(Op.f64_reinterpret_i64); this.op(fop); this.set(r); this.canonical(r);
    this.op(Op.else); this.i32(this.fn); this.i32(code); this.get(a); this.get(b); this.call(this.s.rt.rt_binop);
    this.op(Op.end); this.labels.pop();
  }

  /** A state write: memoised helper results computed before it no longer hold. */
  private bumpMemo(): void {
    const g = this.s.memo.gen;
    this.op(Op.global_get).u32(g); this.i64(1n); this.op(Op.i64_add); this.op(Op.global_set).u32(g);
  }

  private callExpr(fn: string, args: Expr[]): void {
    const rt = this.s.rt;
    const h = this.s.helper(fn);
    // A helper's call of itself goes straight in: a recursion walks new ground (a tower, a path),
    // and the memo pays off where other code asks again.
    if (h && this.s.memoized(h.index) && h.index !== this.fn) {
      const locals = args.map((a) => { this.val(a); const l = this.temp(I64); this.set(l); return l; });
      this.labels.push('if');
      emitMemoCall(this.code, this.s.memo, { index: h.index, func: this.s.funcBase + h.index, args: locals, temp: (t) => this.temp(t), status: this.s.statusGlobal });
      this.labels.pop();
      return;
    }
    if (h) {
      for (const a of args) this.val(a);
      this.call(this.s.funcBase + h.index);
      return;
    }
    const b = BUILTINS[fn];
    if (b !== undefined) {
      this.i32(this.fn); this.i32(b); this.val(args[0]);
      if (args.length > 1) this.val(args[1]); else this.i64(NIL);
      this.call(rt.rt_builtin);
      return;
    }
    // A todo item: (name, args...).
    const head = word(Tag.SYM, this.s.symId(fn));
    this.buildSeq(Tag.TUPLE, [() => this.i64(head), ...args.map((a) => () => this.val(a))]);
  }

  /**
   * A list or tuple of known length, written in place: one arena
   * allocation, then each element evaluated straight into its word (nil,
   * with the engine's status set, when the arena is full).
   */
  private buildSeq(tag: number, elems: (() => void)[]): void {
    const p = this.temp(I32);
    this.i32(elems.length + 1); this.call(this.s.rt.rt_alloc); this.tee(p);
    this.op(Op.if).u8(I64); this.labels.push('if');
    this.get(p); this.i64(BigInt(elems.length)); this.op(Op.i64_store).u32(3).u32(0);
    elems.forEach((push, i) => { this.get(p); push(); this.op(Op.i64_store).u32(3).u32(8 + i * 8); });
    this.get(p); this.op(Op.i64_extend_i32_u); this.i64(word(tag, 0)); this.op(Op.i64_or);
    this.op(Op.else); this.i64(NIL);
    this.op(Op.end); this.labels.pop();
  }
}
