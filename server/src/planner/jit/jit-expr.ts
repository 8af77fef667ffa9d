/**
 * Expressions of a compiled body: number arithmetic, comparisons and
 * equal-word tests inline, state and multigoal reads, literals written in
 * place, helper calls (through the memo where it pays); everything else
 * calls the engine's runtime (wasm/assembly/rt.ts), which shares its
 * semantics with the interpreter.
 */
import type { Expr } from '../language/ast.js';
import * as O from '../compile/opcodes.js';
import { emitMemoCall, emitNoteRead } from './helper-memo.js';
import { emitStateGet } from './state-get.js';
import { Tag } from '../runtime/engine-memory.js';
import { Op, I32, I64, F64, VOID } from './wasm-writer.js';
import { ABSENT, CANON_NAN, FALSE, JitEmitter, NIL, TRUE, numWord, word } from './jit-emitter.js';

const ARITH: Record<string, [number, number]> = { '+': [O.OP_ADD, Op.f64_add], '-': [O.OP_SUB, Op.f64_sub], '*': [O.OP_MUL, Op.f64_mul] };
const ORDER: Record<string, [number, number]> = { '<': [O.OP_LT, Op.f64_lt], '<=': [O.OP_LE, Op.f64_le], '>': [O.OP_GT, Op.f64_gt], '>=': [O.OP_GE, Op.f64_ge] };
const SLOW: Record<string, number> = { '/': O.OP_DIV, '//': O.OP_FLOORDIV, '%': O.OP_MOD };
const BUILTINS: Record<string, number> = { len: O.OP_LEN, abs: O.OP_ABS, min: O.OP_MIN, max: O.OP_MAX };

/** Emits expressions; loops (which comprehensions use) come from the statement emitter. */
export abstract class JitExpr extends JitEmitter {
  /** for vars in iter { body }, shared with comprehensions. */
  protected abstract loop(vars: string[], iter: Expr, body: () => void): void;

  /** Evaluates e to an i32 truth value. */
  protected cond(e: Expr): void {
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
  protected truthy(): void {
    const t = this.temp(I64);
    this.tee(t); this.i64(TRUE); this.op(Op.i64_eq);
    this.op(Op.if).u8(I32); this.labels.push('if'); this.i32(1);
    this.op(Op.else);
    this.get(t); this.i64(FALSE); this.op(Op.i64_eq); this.get(t); this.i64(NIL); this.op(Op.i64_eq); this.op(Op.i32_or);
    this.op(Op.if).u8(I32); this.labels.push('if'); this.i32(0); this.op(Op.else); this.get(t); this.call(this.s.rt.rt_truthy); this.op(Op.end); this.labels.pop();
    this.op(Op.end); this.labels.pop();
  }

  protected equality(left: Expr, right: Expr): void {
    // A symbol, boolean or nil equals only its own word (no other value compares equal to one), so
    // `x == 'table'` is one compare; numbers are left to the general case (-0 == 0).
    const scalarLit = (e: Expr): boolean => 'lit' in e && !('num' in e.lit);
    if (scalarLit(left) || scalarLit(right)) { this.val(left); this.val(right); this.op(Op.i64_eq); return; }
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

  protected order(op: string, left: Expr, right: Expr): void {
    const [code, fop] = ORDER[op];
    const a = this.temp(I64), b = this.temp(I64);
    this.val(left); this.set(a); this.val(right); this.set(b);
    this.isNum(a); this.isNum(b); this.op(Op.i32_and);
    this.op(Op.if).u8(I32); this.labels.push('if');
    this.get(a); this.op(Op.f64_reinterpret_i64); this.get(b); this.op(Op.f64_reinterpret_i64); this.op(fop);
    this.op(Op.else); this.i32(this.fn); this.i32(code); this.get(a); this.get(b); this.call(this.s.rt.rt_binop); this.truthy();
    this.op(Op.end); this.labels.pop();
  }

  protected membership(left: Expr, right: Expr): void {
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
  protected val(e: Expr): void {
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
        const read = (): void => { this.val(e.index.key); emitStateGet(this.code, this.s.layout, this.s.rt.rt_stateGet, sym, this.stateGetLocals(), this.noteRead(), this.litSym(e.index.key)); };
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

  protected boolFromCond(e: Expr): void { this.i64(TRUE); this.i64(FALSE); this.cond(e); this.op(Op.select); }

  /** f64 local r -> its word, with NaN canonicalised so it never looks boxed. */
  protected canonical(r: number): void {
    this.i64(CANON_NAN); this.get(r); this.op(Op.i64_reinterpret_f64); this.get(r); this.get(r); this.op(Op.f64_ne); this.op(Op.select);
  }

  protected arith(op: string, left: Expr, right: Expr): void {
    const [code, fop] = ARITH[op];
    const a = this.temp(I64), b = this.temp(I64), r = this.temp(F64);
    this.val(left); this.set(a); this.val(right); this.set(b);
    this.isNum(a); this.isNum(b); this.op(Op.i32_and);
    this.op(Op.if).u8(I64); this.labels.push('if');
    this.get(a); this.op(Op.f64_reinterpret_i64); this.get(b); this.op(Op.f64_reinterpret_i64); this.op(fop); this.set(r); this.canonical(r);
    this.op(Op.else); this.i32(this.fn); this.i32(code); this.get(a); this.get(b); this.call(this.s.rt.rt_binop);
    this.op(Op.end); this.labels.pop();
  }

  /** The symbol id of a literal symbol key, else undefined. */
  protected litSym(e: Expr): number | undefined {
    return 'lit' in e && 'sym' in e.lit ? this.s.symId(e.lit.sym) : undefined;
  }

  /** In a helper body, what notes a state read for the helper memo (helper-memo.ts); elsewhere nothing is noted. */
  private noteRead(): { varDep: number; emit: (push: () => void) => void } | undefined {
    return this.kind === 'function' ? { varDep: this.s.memo.reads.VARDEP, emit: (push) => emitNoteRead(this.code, this.s.memo, push) } : undefined;
  }

  /** A state write: memoised helper results computed before it no longer hold. */
  protected bumpMemo(): void {
    const g = this.s.memo.gen;
    this.op(Op.global_get).u32(g); this.i64(1n); this.op(Op.i64_add); this.op(Op.global_set).u32(g);
  }

  protected callExpr(fn: string, args: Expr[]): void {
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
  protected buildSeq(tag: number, elems: (() => void)[]): void {
    const p = this.temp(I32), e = this.temp(I32);
    // arena.ts alloc, in place: bump arenaTop and the peak; when full, the engine's alloc fails the call (0).
    const w = this.s.write, words = elems.length + 1;
    this.op(Op.global_get).u32(w.arenaTop); this.tee(p); this.i32(words * 8); this.op(Op.i32_add); this.tee(e);
    this.op(Op.global_get).u32(w.planHeap); this.op(Op.i32_gt_u);
    this.op(Op.if).u8(I32); this.i32(words); this.call(this.s.rt.rt_alloc);
    this.op(Op.else);
    this.get(e); this.op(Op.global_set).u32(w.arenaTop);
    this.get(e); this.op(Op.global_get).u32(w.ARENA_END); this.op(Op.global_get).u32(w.planHeap); this.op(Op.i32_sub); this.op(Op.i32_add); this.tee(e);
    this.op(Op.global_get).u32(w.arenaPeak); this.op(Op.i32_gt_u);
    this.op(Op.if).u8(VOID); this.get(e); this.op(Op.global_set).u32(w.arenaPeak); this.op(Op.end);
    this.get(p);
    this.op(Op.end); this.tee(p);
    this.op(Op.if).u8(I64); this.labels.push('if');
    this.get(p); this.i64(BigInt(elems.length)); this.op(Op.i64_store).u32(3).u32(0);
    elems.forEach((push, i) => { this.get(p); push(); this.op(Op.i64_store).u32(3).u32(8 + i * 8); });
    this.get(p); this.op(Op.i64_extend_i32_u); this.i64(word(tag, 0)); this.op(Op.i64_or);
    this.op(Op.else); this.i64(NIL);
    this.op(Op.end); this.labels.pop();
  }
}
