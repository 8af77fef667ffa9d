/**
 * Checks of the bodies of functions, actions, commands and methods: name
 * resolution (docs/domain-language.md, "Names"), arities, where each
 * statement may appear, and type errors visible in the source.
 */
import type { BinaryOp, Expr, Pos, Stmt } from '../language/ast.js';
import { DomainError } from '../errors.js';
import { BUILTINS, describeLit, nonNumber, place, shortPlace, type BodyKind, type Env } from './validate-env.js';

function args(n: number): string {
  return `${n} argument${n === 1 ? '' : 's'}`;
}

interface Local {
  kind: string;
  where: string;
}

/** Checks one body; create one per body. */
export class BodyChecker {
  private readonly scopes: Map<string, Local>[] = [new Map()];
  private loops = 0;

  /** `owner` names the body in messages, e.g. `method 'm' of task 't'`. */
  constructor(private readonly env: Env, private readonly kind: BodyKind, private readonly owner: string) {}

  private fail(node: { pos?: Pos | undefined }, path: string, message: string): never {
    throw new DomainError(place(this.env, node, path), message);
  }

  private local(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i]!.get(name);
      if (l !== undefined) return l;
    }
    return undefined;
  }

  private declare(name: string, kind: string, node: { pos?: Pos | undefined }, path: string): void {
    const old = this.local(name);
    if (old !== undefined) this.fail(node, path, `'${name}' is already declared as a ${old.kind} at ${old.where}`);
    this.scopes[this.scopes.length - 1]!.set(name, { kind, where: shortPlace(node, path) });
  }

  /** Checks a body whose parameters are `params`. */
  body(params: string[], stmts: Stmt[], node: { pos?: Pos | undefined }, path: string): void {
    params.forEach((p, i) => {
      if (params.indexOf(p) !== i) this.fail(node, `${path}.params[${i}]`, `duplicate parameter '${p}' in ${this.owner}`);
      this.declare(p, 'parameter', node, `${path}.params[${i}]`);
    });
    this.block(stmts, `${path}.body`);
  }

  private block(stmts: Stmt[], path: string): void {
    this.scopes.push(new Map());
    stmts.forEach((s, i) => this.stmt(s, `${path}[${i}]`));
    this.scopes.pop();
  }

  private stateWriteAllowed(node: Stmt, path: string, v: string): void {
    if (this.kind !== 'action' && this.kind !== 'command') {
      this.fail(node, path, `state variable '${v}' can only be changed in actions and commands, not in ${this.owner}`);
    }
  }

  private stmt(s: Stmt, path: string): void {
    if ('let' in s) {
      this.expr(s.let.value, `${path}.let.value`);
      this.declare(s.let.name, 'local', s, path);
    } else if ('assign' in s) {
      this.expr(s.assign.value, `${path}.assign.value`);
      this.assignTarget(s, s.assign.target, `${path}.assign.target`);
    } else if ('if' in s) {
      this.expr(s.if.test, `${path}.if.test`);
      this.block(s.if.then, `${path}.if.then`);
      this.block(s.if.else, `${path}.if.else`);
    } else if ('for' in s) {
      this.iterable(s.for.iter, `${path}.for.iter`);
      this.scopes.push(new Map());
      s.for.vars.forEach((v, i) => this.declare(v, 'loop variable', s, `${path}.for.vars[${i}]`));
      this.loops++;
      this.block(s.for.body, `${path}.for.body`);
      this.loops--;
      this.scopes.pop();
    } else if ('break' in s || 'continue' in s) {
      if (this.loops === 0) this.fail(s, path, `'${'break' in s ? 'break' : 'continue'}' outside a loop`);
    } else if ('return' in s) {
      this.returnStmt(s, s.return.value, path);
    } else if ('fail' in s || 'require' in s) {
      const word = 'fail' in s ? 'fail' : 'require';
      if (this.kind === 'function') {
        this.fail(s, path, `'${word}' is not allowed in a function (only actions, commands and methods can fail)`);
      }
      if ('require' in s) this.expr(s.require, `${path}.require`);
    } else {
      if (this.kind !== 'method') this.fail(s, path, `'choose' is allowed only in methods, not in ${this.owner}`);
      if (this.loops > 0) this.fail(s, path, "'choose' cannot be inside a loop");
      this.expr(s.choose.iter, `${path}.choose.iter`);
      this.declare(s.choose.name, 'choice variable', s, path);
    }
  }

  private returnStmt(s: Stmt, value: Expr | undefined, path: string): void {
    if (value === undefined) return;
    const vpath = `${path}.return.value`;
    if (this.kind === 'action' || this.kind === 'command') {
      this.fail(s, path, `${this.owner} cannot return a value: 'return' alone means success, 'fail' means not applicable`);
    }
    if (this.kind === 'method' && 'lit' in value && !('nil' in value.lit)) {
      const hint = 'bool' in value.lit && !value.lit.bool ? " (write 'fail' for not applicable)" : '';
      this.fail(value, vpath, `type error: a method returns a list of todo items, not ${describeLit(value.lit)}${hint}`);
    }
    this.expr(value, vpath);
  }

  private assignTarget(s: Stmt, t: Expr, path: string): void {
    if ('name' in t) {
      const n = t.name;
      if (this.local(n) !== undefined) return;
      if (this.env.consts.has(n)) this.fail(t, path, `cannot assign to constant '${n}'`);
      if (this.env.vars.has(n)) {
        this.stateWriteAllowed(s, path, n);
        return;
      }
      this.fail(t, path, `assignment to undeclared local '${n}' (declare it with 'let ${n} = ...')`);
    }
    if ('index' in t) {
      const base = t.index.base;
      if (!('name' in base)) {
        this.fail(t, path, "only 'var[key] = value' changes the state: the target must be a state variable indexed once");
      }
      const n = base.name;
      const l = this.local(n);
      if (l !== undefined) this.fail(t, path, `cannot assign to an element of ${l.kind} '${n}': only state variables are changed by index`);
      if (this.env.consts.has(n)) this.fail(t, path, `cannot assign to constant '${n}'`);
      if (!this.env.vars.has(n)) this.unknownName(base, `${path}.index.base`, n);
      this.stateWriteAllowed(s, path, n);
      this.expr(t.index.key, `${path}.index.key`);
      return;
    }
    this.fail(t, path, "cannot assign to this expression: only 'name = value' and 'var[key] = value' assign");
  }

  private unknownName(e: Expr, path: string, n: string): never {
    const env = this.env;
    if (env.fns.has(n) || BUILTINS.has(n)) this.fail(e, path, `'${n}' is a function: call it as ${n}(...)`);
    if (env.actions.has(n) || env.tasks.has(n)) {
      this.fail(e, path, `'${n}' is ${env.actions.has(n) ? 'an action' : 'a task'}: write ${n}(...) for a todo item`);
    }
    const parts = n.split('-');
    const known = (p: string): boolean => /^[0-9]+$/.test(p) || this.local(p) !== undefined || env.consts.has(p) || env.vars.has(p);
    const hint = parts.length > 1 && parts.every(known) ? ` (write '${parts.join(' - ')}' with spaces to subtract)` : '';
    this.fail(e, path, `unknown name '${n}'${hint}`);
  }

  /** Checks an expression that a `for` or a comprehension iterates over. */
  private iterable(e: Expr, path: string): void {
    if ('lit' in e) this.fail(e, path, `type error: cannot iterate over ${describeLit(e.lit)}`);
    this.expr(e, path);
  }

  /** Checks one expression. */
  expr(e: Expr, path: string): void {
    if ('lit' in e) return;
    if ('name' in e) {
      const n = e.name;
      if (this.local(n) !== undefined || this.env.consts.has(n) || this.env.vars.has(n)) return;
      this.unknownName(e, path, n);
    }
    if ('index' in e) {
      const b = e.index.base;
      if ('lit' in b) this.fail(e, path, `type error: cannot index ${describeLit(b.lit)}`);
      this.expr(b, `${path}.index.base`);
      this.expr(e.index.key, `${path}.index.key`);
    } else if ('field' in e) {
      this.field(e, e.field.base, e.field.name, path);
    } else if ('call' in e) {
      this.call(e, e.call.fn, e.call.args, path);
    } else if ('binary' in e) {
      this.binary(e, e.binary, path);
    } else if ('unary' in e) {
      const a = e.unary.arg;
      if (e.unary.op === '-' && 'lit' in a && nonNumber(a.lit) !== undefined) {
        this.fail(e, path, `type error: arithmetic ('-') on ${nonNumber(a.lit)}`);
      }
      this.expr(a, `${path}.unary.arg`);
    } else if ('list' in e || 'tuple' in e || 'set' in e) {
      const [k, items] = 'list' in e ? ['list', e.list] : 'tuple' in e ? ['tuple', e.tuple] : ['set', e.set];
      items.forEach((x, i) => this.expr(x, `${path}.${k}[${i}]`));
    } else if ('map' in e) {
      this.fail(e, path, 'a map literal is allowed only in a constant');
    } else if ('comp' in e) {
      const c = e.comp;
      this.iterable(c.iter, `${path}.comp.iter`);
      // Comprehension variables live in their own scope and may shadow any name, as in Python.
      const scope = new Map<string, Local>();
      c.vars.forEach((v, i) => {
        if (scope.has(v)) this.fail(e, `${path}.comp.vars[${i}]`, `duplicate comprehension variable '${v}'`);
        scope.set(v, { kind: 'comprehension variable', where: shortPlace(e, path) });
      });
      this.scopes.push(scope);
      this.expr(c.elem, `${path}.comp.elem`);
      if (c.cond !== undefined) this.expr(c.cond, `${path}.comp.cond`);
      this.scopes.pop();
    } else if ('multigoal' in e) {
      this.multigoal(e.multigoal, path);
    }
  }

  private field(e: Expr, base: Expr, name: string, path: string): void {
    if ('lit' in base) this.fail(e, path, `type error: ${describeLit(base.lit)} has no fields (only a multigoal has)`);
    if ('name' in base && this.local(base.name) === undefined) {
      const what = this.env.consts.has(base.name) ? 'a constant' : this.env.vars.has(base.name) ? 'a state variable' : undefined;
      if (what !== undefined) this.fail(e, path, `type error: '${base.name}' is ${what}, not a multigoal, so it has no field '${name}'`);
    }
    this.expr(base, `${path}.field.base`);
    if (!this.env.vars.has(name)) this.fail(e, path, `unknown state variable '${name}' in '.${name}'`);
  }

  private call(e: Expr, fn: string, argList: Expr[], path: string): void {
    const env = this.env;
    const n = argList.length;
    const l = this.local(fn);
    const arity = (what: string, want: number): void => {
      if (n !== want) this.fail(e, path, `${what} '${fn}' takes ${args(want)}, got ${n}`);
    };
    if (l !== undefined) {
      this.fail(e, path, `'${fn}' is a ${l.kind}, not a function`);
    } else if (env.consts.has(fn)) {
      this.fail(e, path, `'${fn}' is a constant, not a function`);
    } else if (env.vars.has(fn)) {
      if (!env.unigoalVars.has(fn)) this.fail(e, path, `state variable '${fn}' has no unigoal methods, so ${fn}(...) is not a todo item`);
      if (n !== 2) this.fail(e, path, `unigoal item '${fn}' takes 2 arguments (key, value), got ${n}`);
    } else if (env.fns.has(fn)) {
      arity('function', env.fns.get(fn)!);
    } else if (BUILTINS.has(fn)) {
      arity('built-in', BUILTINS.get(fn)!);
      const a = argList[0];
      if (fn === 'len' && a !== undefined && 'lit' in a) this.fail(e, path, `type error: len of ${describeLit(a.lit)}`);
    } else if (env.actions.has(fn)) {
      arity('action', env.actions.get(fn)!);
    } else if (env.tasks.has(fn)) {
      const want = env.tasks.get(fn);
      if (want !== undefined) arity('task', want);
    } else {
      this.fail(e, path, `unknown name '${fn}': not a function, action, task or state variable with unigoal methods`);
    }
    argList.forEach((a, i) => this.expr(a, `${path}.call.args[${i}]`));
  }

  private binary(e: Expr, b: { op: BinaryOp; left: Expr; right: Expr }, path: string): void {
    const { op, left, right } = b;
    if (['+', '-', '*', '/', '//', '%'].includes(op)) {
      for (const side of [left, right]) {
        const bad = 'lit' in side ? nonNumber(side.lit) : undefined;
        if (bad !== undefined) this.fail(e, path, `type error: arithmetic ('${op}') on ${bad}`);
      }
      if (op !== '+' && op !== '-' && op !== '*' && 'lit' in right && 'num' in right.lit && right.lit.num === 0) {
        this.fail(e, path, `division by zero ('${op}' 0)`);
      }
    }
    if ((op === 'in' || op === 'not in') && 'lit' in right) {
      this.fail(e, path, `type error: '${op}' needs a collection, a state variable or a multigoal field, not ${describeLit(right.lit)}`);
    }
    this.expr(left, `${path}.binary.left`);
    this.expr(right, `${path}.binary.right`);
  }

  private multigoal(mg: { name: string; goals: { var: string; key: Expr; value: Expr }[] }, path: string): void {
    const seen = new Set<string>();
    mg.goals.forEach((g, i) => {
      const gp = `${path}.multigoal.goals[${i}]`;
      if (!this.env.vars.has(g.var)) this.fail(g.key, gp, `unknown state variable '${g.var}' in multigoal '${mg.name}'`);
      if ('lit' in g.key) {
        const k = `${g.var}[${JSON.stringify(g.key.lit)}]`;
        if (seen.has(k)) this.fail(g.key, gp, `duplicate goal ${g.var}[${'sym' in g.key.lit ? `'${g.key.lit.sym}'` : describeLit(g.key.lit).replace(/^number /, '')}] in multigoal '${mg.name}'`);
        seen.add(k);
      }
      this.expr(g.key, `${gp}.key`);
      this.expr(g.value, `${gp}.value`);
    });
  }
}
