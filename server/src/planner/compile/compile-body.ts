/**
 * Code generation for one body (function, action, command or method): the
 * statements and expressions of the domain model become bytecode for the
 * interpreter in wasm/assembly/vm.ts.
 */
import type { Expr, Stmt, Pos } from '../language/ast.js';
import * as O from './opcodes.js';
import { DomainError } from '../errors.js';

/** What kind of body is being compiled; it decides what `return` and `fail` mean. */
export type BodyKind = 'function' | 'action' | 'method';

/** Everything the code generator needs to know about the domain. */
export interface DomainScope {
  file: string;
  /** Constant index for a literal word (see ConstPool). */
  constSym(name: string): number;
  constNum(x: number): number;
  constBool(b: boolean): number;
  constNil(): number;
  /** Constant index of a named domain constant, or undefined. */
  namedConst(name: string): number | undefined;
  isVar(name: string): boolean;
  symId(name: string): number;
  /** Function index and arity of a helper, or undefined. */
  helper(name: string): { index: number; arity: number } | undefined;
  /** Whether `name(...)` makes a todo item (action, command, task, unigoal variable). */
  isItemName(name: string): boolean;
}

const BUILTINS: Record<string, { op: number; arity: number }> = {
  len: { op: O.OP_LEN, arity: 1 },
  abs: { op: O.OP_ABS, arity: 1 },
  min: { op: O.OP_MIN, arity: 2 },
  max: { op: O.OP_MAX, arity: 2 },
};

const BINOPS: Record<string, number> = {
  '+': O.OP_ADD, '-': O.OP_SUB, '*': O.OP_MUL, '/': O.OP_DIV, '//': O.OP_FLOORDIV, '%': O.OP_MOD,
  '==': O.OP_EQ, '!=': O.OP_NE, '<': O.OP_LT, '<=': O.OP_LE, '>': O.OP_GT, '>=': O.OP_GE,
  in: O.OP_IN, 'not in': O.OP_NOTIN,
};

interface Loop { continueAt: number; breaks: number[] }

/** Compiles one body into `code` (appending); returns the number of locals it needs. */
export class BodyCompiler {
  private scopes: Map<string, number>[] = [];
  private nLocals = 0;
  private loops: Loop[] = [];
  private chooses = 0;

  constructor(
    private readonly code: number[],
    private readonly scope: DomainScope,
    private readonly kind: BodyKind,
    private readonly where: string,
  ) {}

  /** Emits the body; returns the local count (parameters included). */
  compile(params: string[], body: Stmt[]): number {
    this.scopes = [new Map()];
    for (const p of params) this.declare(p);
    this.block(body);
    this.emitEnd();
    return this.nLocals;
  }

  private err(pos: Pos | undefined, msg: string): never {
    throw new DomainError(pos ? `${this.scope.file}:${pos.line}:${pos.col}` : this.where, msg);
  }

  private declare(name: string): number {
    const i = this.nLocals++;
    this.scopes[this.scopes.length - 1].set(name, i);
    return i;
  }
  private hidden(n: number): number { const i = this.nLocals; this.nLocals += n; return i; }
  private lookup(name: string): number | undefined {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const i = this.scopes[s].get(name);
      if (i !== undefined) return i;
    }
    return undefined;
  }
  private emit(...words: number[]): number { const at = this.code.length; this.code.push(...words); return at; }
  private here(): number { return this.code.length; }
  private patch(at: number, target: number): void { this.code[at] = target; }

  private emitEnd(): void {
    if (this.kind === 'function') this.emit(O.OP_CONST, this.scope.constNil(), O.OP_RET);
    else if (this.kind === 'action') this.emit(O.OP_SUCCEED);
    else this.emit(O.OP_FAIL);
  }
  private emitFail(): void {
    if (this.kind === 'function') this.emit(O.OP_CONST, this.scope.constBool(false), O.OP_RET);
    else this.emit(O.OP_FAIL);
  }

  private block(stmts: Stmt[]): void {
    this.scopes.push(new Map());
    for (const s of stmts) this.stmt(s);
    this.scopes.pop();
  }

  private stmt(s: Stmt): void {
    if ('let' in s) {
      this.expr(s.let.value);
      this.emit(O.OP_SETLOCAL, this.declare(s.let.name));
    } else if ('assign' in s) {
      const t = s.assign.target;
      if ('name' in t && this.lookup(t.name) === undefined && this.scope.isVar(t.name)) {
        // A scalar state variable (GTPyhop's `state.flag = v`), kept under the key nil.
        if (this.kind !== 'action') this.err(s.pos, `only actions and commands may change the state (${t.name} = ...)`);
        this.emit(O.OP_CONST, this.scope.constNil());
        this.expr(s.assign.value);
        this.emit(O.OP_SETSTATE, this.scope.symId(t.name));
      } else if ('name' in t) {
        const i = this.lookup(t.name);
        if (i === undefined) this.err(t.pos ?? s.pos, `assignment to '${t.name}', which is not a local (declare it with let)`);
        this.expr(s.assign.value);
        this.emit(O.OP_SETLOCAL, i);
      } else if ('index' in t && 'name' in t.index.base && this.lookup(t.index.base.name) === undefined && this.scope.isVar(t.index.base.name)) {
        if (this.kind !== 'action') this.err(s.pos, `only actions and commands may change the state (${t.index.base.name}[...] = ...)`);
        this.expr(t.index.key);
        this.expr(s.assign.value);
        this.emit(O.OP_SETSTATE, this.scope.symId(t.index.base.name));
      } else this.err(s.pos, 'the target of an assignment must be a local or a state variable entry v[key]');
    } else if ('if' in s) {
      this.expr(s.if.test);
      const jf = this.emit(O.OP_JF, 0) + 1;
      this.block(s.if.then);
      if (s.if.else.length > 0) {
        const jend = this.emit(O.OP_JMP, 0) + 1;
        this.patch(jf, this.here());
        this.block(s.if.else);
        this.patch(jend, this.here());
      } else this.patch(jf, this.here());
    } else if ('for' in s) {
      this.loop(s.for.vars, s.for.iter, s.pos, () => this.block(s.for.body));
    } else if ('break' in s || 'continue' in s) {
      const l = this.loops[this.loops.length - 1];
      if (!l) this.err(s.pos, `${'break' in s ? 'break' : 'continue'} outside a loop`);
      if ('break' in s) l.breaks.push(this.emit(O.OP_JMP, 0) + 1);
      else this.emit(O.OP_JMP, l.continueAt);
    } else if ('return' in s) {
      if (this.kind === 'action') { this.emit(O.OP_SUCCEED); return; }
      if (s.return.value) this.expr(s.return.value); else this.emit(O.OP_CONST, this.scope.constNil());
      this.emit(O.OP_RET);
    } else if ('fail' in s) {
      this.emitFail();
    } else if ('require' in s) {
      this.expr(s.require);
      const jt = this.emit(O.OP_JT, 0) + 1;
      this.emitFail();
      this.patch(jt, this.here());
    } else if ('choose' in s) {
      if (this.kind !== 'method') this.err(s.pos, 'choose is only allowed in methods');
      if (this.loops.length > 0) this.err(s.pos, 'choose is not allowed inside a loop');
      if (this.chooses >= 16) this.err(s.pos, 'a method may have at most 16 choose statements');
      this.expr(s.choose.iter);
      this.emit(O.OP_CHOOSE, this.chooses++);
      this.emit(O.OP_SETLOCAL, this.declare(s.choose.name));
    } else {
      this.err((s as Stmt).pos, `unknown statement ${JSON.stringify(Object.keys(s))}`);
    }
  }

  /** for vars in iter { body }: the shape shared by loops and comprehensions. */
  private loop(vars: string[], iter: Expr, pos: Pos | undefined, body: () => void): void {
    if (vars.length < 1 || vars.length > 2) this.err(pos, 'a loop binds one or two names');
    this.expr(iter);
    const it = this.hidden(2);
    this.emit(O.OP_ITER_INIT, it);
    this.scopes.push(new Map());
    const slots = vars.map((v) => this.declare(v));
    const top = this.here();
    const exit = this.emit(O.OP_ITER_NEXT, it, vars.length, 0) + 3;
    for (let i = slots.length - 1; i >= 0; i--) this.emit(O.OP_SETLOCAL, slots[i]);
    const loop: Loop = { continueAt: top, breaks: [] };
    this.loops.push(loop);
    body();
    this.loops.pop();
    this.emit(O.OP_JMP, top);
    this.patch(exit, this.here());
    for (const b of loop.breaks) this.patch(b, this.here());
    this.scopes.pop();
  }

  private expr(e: Expr): void {
    if ('lit' in e) {
      const l = e.lit;
      if ('sym' in l) this.emit(O.OP_CONST, this.scope.constSym(l.sym));
      else if ('num' in l) this.emit(O.OP_CONST, this.scope.constNum(l.num));
      else if ('bool' in l) this.emit(O.OP_CONST, this.scope.constBool(l.bool));
      else this.emit(O.OP_CONST, this.scope.constNil());
    } else if ('name' in e) {
      const i = this.lookup(e.name);
      if (i !== undefined) { this.emit(O.OP_LOCAL, i); return; }
      const c = this.scope.namedConst(e.name);
      if (c !== undefined) { this.emit(O.OP_CONST, c); return; }
      if (this.scope.isVar(e.name)) { this.emit(O.OP_VARVAL, this.scope.symId(e.name)); return; }
      this.err(e.pos, `unknown name '${e.name}'`);
    } else if ('index' in e) {
      const b = e.index.base;
      if ('name' in b && this.lookup(b.name) === undefined && this.scope.namedConst(b.name) === undefined && this.scope.isVar(b.name)) {
        this.expr(e.index.key);
        this.emit(O.OP_STATE, this.scope.symId(b.name));
      } else if ('field' in b) {
        this.expr(b.field.base);
        this.expr(e.index.key);
        this.emit(O.OP_MGGET, this.scope.symId(b.field.name));
      } else {
        this.expr(b);
        this.expr(e.index.key);
        this.emit(O.OP_INDEX);
      }
    } else if ('field' in e) {
      this.expr(e.field.base);
      this.emit(O.OP_FIELD, this.scope.symId(e.field.name));
    } else if ('call' in e) {
      this.call(e.call.fn, e.call.args, e.pos);
    } else if ('binary' in e) {
      const { op, left, right } = e.binary;
      if (op === 'and' || op === 'or') {
        this.expr(left);
        const j = this.emit(op === 'and' ? O.OP_JF_KEEP : O.OP_JT_KEEP, 0) + 1;
        this.expr(right);
        this.patch(j, this.here());
        return;
      }
      if ((op === 'in' || op === 'not in') && 'name' in right && this.lookup(right.name) === undefined
        && this.scope.namedConst(right.name) === undefined && this.scope.isVar(right.name)) {
        this.expr(left);
        this.emit(O.OP_HASSTATE, this.scope.symId(right.name));
        if (op === 'not in') this.emit(O.OP_NOT);
        return;
      }
      if ((op === 'in' || op === 'not in') && 'field' in right) {
        // k in mg.var: a lookup, without making an mg.var value.
        this.expr(right.field.base);
        this.expr(left);
        this.emit(O.OP_MGHAS, this.scope.symId(right.field.name));
        if (op === 'not in') this.emit(O.OP_NOT);
        return;
      }
      const code = BINOPS[op];
      if (code === undefined) this.err(e.pos, `unknown operator '${op}'`);
      this.expr(left);
      this.expr(right);
      this.emit(code);
    } else if ('unary' in e) {
      this.expr(e.unary.arg);
      this.emit(e.unary.op === 'not' ? O.OP_NOT : O.OP_NEG);
    } else if ('list' in e || 'tuple' in e || 'set' in e) {
      const elems = 'list' in e ? e.list : 'tuple' in e ? e.tuple : e.set;
      for (const x of elems) this.expr(x);
      this.emit('list' in e ? O.OP_LIST : 'tuple' in e ? O.OP_TUPLE : O.OP_SET, elems.length);
    } else if ('map' in e) {
      this.err(e.pos, 'map literals are only allowed in const declarations');
    } else if ('comp' in e) {
      const counter = this.hidden(1);
      this.emit(O.OP_CONST, this.scope.constNum(0), O.OP_SETLOCAL, counter);
      this.loop(e.comp.vars, e.comp.iter, e.pos, () => {
        let skip = -1;
        if (e.comp.cond) { this.expr(e.comp.cond); skip = this.emit(O.OP_JF, 0) + 1; }
        this.expr(e.comp.elem);
        this.emit(O.OP_INC_LOCAL, counter);
        if (skip >= 0) this.patch(skip, this.here());
      });
      this.emit(O.OP_LOCAL, counter, O.OP_LIST_DYN);
    } else if ('multigoal' in e) {
      for (const g of e.multigoal.goals) {
        this.emit(O.OP_CONST, this.scope.constSym(g.var));
        this.expr(g.key);
        this.expr(g.value);
      }
      this.emit(O.OP_MULTIGOAL, this.scope.constSym(e.multigoal.name), e.multigoal.goals.length);
    } else {
      this.err((e as Expr).pos, `unknown expression ${JSON.stringify(Object.keys(e))}`);
    }
  }

  private call(fn: string, args: Expr[], pos: Pos | undefined): void {
    const h = this.scope.helper(fn);
    if (h) {
      if (args.length !== h.arity) this.err(pos, `function '${fn}' takes ${h.arity} argument(s), given ${args.length}`);
      for (const a of args) this.expr(a);
      this.emit(O.OP_CALL, h.index, args.length);
      return;
    }
    const b = BUILTINS[fn];
    if (b) {
      if (args.length !== b.arity) this.err(pos, `built-in '${fn}' takes ${b.arity} argument(s), given ${args.length}`);
      for (const a of args) this.expr(a);
      this.emit(b.op);
      return;
    }
    if (this.scope.isItemName(fn)) {
      this.emit(O.OP_CONST, this.scope.constSym(fn));
      for (const a of args) this.expr(a);
      this.emit(O.OP_TUPLE, args.length + 1);
      return;
    }
    this.err(pos, `unknown function, action, task or goal '${fn}'`);
  }
}
