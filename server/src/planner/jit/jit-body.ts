/**
 * Compiles one body of the domain model (function, action, command or
 * method) to a WebAssembly function: its statements, loops, returns (a
 * helper's tail call of itself becomes a loop) and the entry and exit of
 * helpers. Expressions are jit-expr.ts's, the shared emitter state
 * jit-emitter.ts's.
 */
import type { Expr, Stmt } from '../language/ast.js';
import { Bytes, Op, I32, I64, VOID } from './wasm-writer.js';
import { ABSENT, FALSE, MAX_CALL_DEPTH, NIL, R_FAIL, R_SUCCEED, R_VALUE, UNSET } from './jit-emitter.js';
import { Tag } from '../runtime/engine-memory.js';
import { SLOT_BYTES, SLOT_KEY, SLOT_NEXT, SLOT_VALUE } from '../runtime/engine-abi.js';
import { boxedHigh } from './engine-words.js';
import { JitExpr } from './jit-expr.js';
import { emitStateSet } from './state-set.js';

export type { JitKind, JitScope } from './jit-emitter.js';

/** Emits one function body: its statements, loops and returns. */
export class JitBody extends JitExpr {
  protected chooses = 0;
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

  protected compileBody(params: string[], body: Stmt[]): void {
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

  protected block(stmts: Stmt[]): void {
    this.scopes.push(new Map());
    for (const st of stmts) this.stmt(st);
    this.scopes.pop();
  }

  protected returnValue(): void {
    // The value is on the stack.
    if (this.kind === 'function') { this.op(Op.br).u32(this.depthTo('body')); return; }
    if (this.kind === 'action') { this.op(Op.drop); this.i32(R_SUCCEED); this.op(Op.return); return; }
    this.op(Op.global_set).u32(this.s.retValGlobal); this.i32(R_VALUE); this.op(Op.return);
  }
  /**
   * `return f(args)` inside f: the arguments become the parameters and the
   * body starts again, so a tail recursion (a walk down a tower, along a
   * path) costs no call and no native stack.
   */
  protected tailCall(args: Expr[]): void {
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
  protected tailRounds: number | undefined;

  protected emitFail(): void {
    if (this.kind === 'function') { this.i64(FALSE); this.returnValue(); return; }
    this.i32(R_FAIL); this.op(Op.return);
  }

  protected stmt(st: Stmt): void {
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
        // The key goes to a local of its own first: evaluating the value may
        // read state, and every read reuses the shared scratch l.key.
        const l = this.stateGetLocals();
        const k = this.temp(I64), v = this.temp(I64);
        this.val(t.index.key); this.set(k);
        this.val(st.assign.value); this.set(v);
        this.get(k); this.set(l.key);
        emitStateSet(this.code, { layout: this.s.layout, reads: this.s.memo.reads, write: this.s.write, rtStateSet: rt.rt_stateSet, rtClockWrap: rt.rt_clockWrap },
          this.fn, this.s.symId(t.index.base.name), l, v, this.litSym(t.index.key));
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
  protected loop(vars: string[], iter: Expr, body: () => void): void {
    const rt = this.s.rt;
    const fast = this.s.fast;
    const c = this.temp(I64), cur = this.temp(I64);
    this.val(iter); this.set(c);
    this.i32(this.fn); this.get(c); this.call(fast.iterInit); this.set(cur);
    // A state variable (most loops in domains) is walked here, slot by slot; other values go through iterNext.
    const isRef = this.temp(I32), slot = this.temp(I32), at = this.temp(I32), v = this.temp(I64);
    this.get(c); this.i64(32n); this.op(Op.i64_shr_u); this.i64(boxedHigh(Tag.VARREF)); this.op(Op.i64_eq); this.set(isRef);
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
      this.op(Op.global_get).u32(this.s.layout.SLOTS); this.get(slot); this.i32(SLOT_BYTES); this.op(Op.i32_mul); this.op(Op.i32_add); this.set(at);
      this.get(at); this.op(Op.i64_load).u32(3).u32(SLOT_VALUE); this.tee(v); this.i64(ABSENT); this.op(Op.i64_ne); this.op(Op.br_if).u32(1);
      this.get(at); this.op(Op.i32_load).u32(2).u32(SLOT_NEXT); this.op(Op.i64_extend_i32_s); this.set(cur);
      this.op(Op.br).u32(0);
      this.op(Op.end); this.labels.pop();
      this.op(Op.end); this.labels.pop();
      bind(() => { this.get(at); this.op(Op.i64_load).u32(3).u32(SLOT_KEY); }, () => this.get(v));
      this.get(at); this.op(Op.i32_load).u32(2).u32(SLOT_NEXT); this.op(Op.i64_extend_i32_s); this.set(cur);
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
}
