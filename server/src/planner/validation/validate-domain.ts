/**
 * Load-time checks of a domain (docs/domain-language.md, "Validation" and
 * "Names"), for parsed text and for plain data alike.
 */
import type { Domain, Expr, MethodDecl, Pos, Stmt } from '../language/ast.js';
import { DomainError } from '../errors.js';
import { BodyChecker } from './validate-body.js';
import { place, shortPlace, type Env } from './validate-env.js';
import { checkShape } from './validate-shape.js';

type Node = { pos?: Pos | undefined };

/**
 * Throws DomainError for the first problem found in `d`, naming the place:
 * `file:line:col` where the node has a position, else a data path such as
 * `tasks[2].methods[0].body[1]`. Any input is accepted, including garbage
 * that is not a Domain at all; nothing but DomainError is ever thrown.
 */
export function validateDomain(d: Domain, file = '<domain>'): void {
  try {
    checkShape(d);
    checkDomain(d, file);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    // Hostile input (getters that throw, cycles deep enough to overflow the stack) still gets a DomainError.
    throw new DomainError('domain', `malformed domain: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The most characters of a declared name: longer ones are refused, not echoed into every error and log line. */
export const MAX_NAME_LENGTH = 128;
/** What the lexer reads as one identifier (docs/domain-language.md, "Lexical"). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

/**
 * Every declared name and parameter is an identifier of at most
 * MAX_NAME_LENGTH characters. The text form can only produce identifiers;
 * a Domain message could carry any string (quotes, slashes, NUL), which
 * would then reach error messages, the database and file names.
 */
function checkNames(d: Domain, file: string): void {
  const env = { file } as Env;
  const check = (name: unknown, node: Node, path: string): void => {
    if (typeof name !== 'string') return; // checkShape reports the type
    const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name); // JSON.stringify escapes lone surrogates
    if (name.length > MAX_NAME_LENGTH) throw new DomainError(place(env, node, path), `name ${shown} is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`);
    if (!NAME.test(name)) throw new DomainError(place(env, node, path), `name ${shown} is not an identifier (letters, digits, '_' and inner '-', not starting with a digit)`);
  };
  const params = (ps: readonly unknown[] | undefined, node: Node, path: string) => ps?.forEach((p, k) => check(p, node, `${path}.params[${k}]`));
  const methods = (ms: readonly MethodDecl[], path: string) => ms.forEach((m, j) => {
    check(m.name, m, `${path}[${j}].name`);
    params(m.params, m, `${path}[${j}]`);
  });
  check(d.name, {}, 'name');
  d.vars.forEach((v, i) => check(v.name, v, `vars[${i}].name`));
  d.consts.forEach((c, i) => check(c.name, c, `consts[${i}].name`));
  for (const [kind, list] of [['functions', d.functions], ['actions', d.actions], ['commands', d.commands]] as const) {
    list.forEach((f, i) => { check(f.name, f, `${kind}[${i}].name`); params(f.params, f, `${kind}[${i}]`); });
  }
  d.tasks.forEach((t, i) => { check(t.name, t, `tasks[${i}].name`); methods(t.methods, `tasks[${i}].methods`); });
  d.unigoals.forEach((u, i) => { check(u.var, u, `unigoals[${i}].var`); methods(u.methods, `unigoals[${i}].methods`); });
  methods(d.multigoals, 'multigoals');
}

function checkDomain(d: Domain, file: string): void {
  checkNames(d, file);
  const env: Env = {
    file,
    vars: new Set(),
    consts: new Set(),
    fns: new Map(),
    actions: new Map(),
    tasks: new Map(),
    unigoalVars: new Set(),
  };
  const fail = (node: Node, path: string, message: string): never => {
    throw new DomainError(place(env, node, path), message);
  };

  // Every kind of name has one namespace, except that an action and a task may share a name (GTPyhop runs the action).
  const seen = new Map<string, Map<string, string>>();
  const claim = (name: string, kind: string, node: Node, path: string): void => {
    const mine = seen.get(kind) ?? new Map<string, string>();
    seen.set(kind, mine);
    const first = mine.get(name);
    if (first !== undefined) fail(node, path, `duplicate ${kind} '${name}' (first declared at ${first})`);
    for (const [other, names] of seen) {
      const where = names.get(name);
      const shared = (kind === 'task' && other === 'action') || (kind === 'action' && other === 'task');
      if (other !== kind && where !== undefined && !shared) {
        fail(node, path, `'${name}' is already declared as ${other === 'action' ? 'an' : 'a'} ${other} at ${where}`);
      }
    }
    mine.set(name, shortPlace(node, path));
  };

  d.vars.forEach((v, i) => {
    claim(v.name, 'state variable', v, `vars[${i}]`);
    env.vars.add(v.name);
  });
  d.consts.forEach((c, i) => {
    claim(c.name, 'constant', c, `consts[${i}]`);
    env.consts.add(c.name);
  });
  d.functions.forEach((f, i) => {
    claim(f.name, 'function', f, `functions[${i}]`);
    env.fns.set(f.name, f.params.length);
  });
  d.actions.forEach((a, i) => {
    claim(a.name, 'action', a, `actions[${i}]`);
    env.actions.set(a.name, a.params.length);
  });
  const commands = new Map<string, string>();
  d.commands.forEach((c, i) => {
    const path = `commands[${i}]`;
    const first = commands.get(c.name);
    if (first !== undefined) fail(c, path, `duplicate command '${c.name}' (first declared at ${first})`);
    commands.set(c.name, shortPlace(c, path));
    const n = env.actions.get(c.name);
    if (n === undefined) fail(c, path, `command '${c.name}' has no action of the same name (a command is the acting version of an action)`);
    if (n !== c.params.length) {
      fail(c, path, `command '${c.name}' takes ${plural(c.params.length, 'parameter')} but action '${c.name}' takes ${n}`);
    }
  });

  const methodList = (methods: MethodDecl[], path: string, owner: string, want?: number, what?: string): void => {
    const names = new Map<string, string>();
    methods.forEach((m, j) => {
      const mp = `${path}[${j}]`;
      const first = names.get(m.name);
      if (first !== undefined) fail(m, mp, `duplicate method '${m.name}' in ${owner} (first declared at ${first})`);
      names.set(m.name, shortPlace(m, mp));
      if (m.builtin !== undefined) {
        if (owner !== 'the multigoal methods') fail(m, mp, `built-in method '${m.name}' is allowed only among the multigoal methods`);
        if (m.body.length > 0) fail(m, mp, `built-in method '${m.name}' cannot have a body`);
        return;
      }
      if (want !== undefined && m.params.length !== want) {
        fail(m, mp, `${what} method '${m.name}' takes ${plural(want, 'parameter')} (${want === 1 ? 'the multigoal' : 'the key and the value'}), not ${m.params.length}`);
      }
    });
  };

  d.tasks.forEach((t, i) => {
    const path = `tasks[${i}]`;
    claim(t.name, 'task', t, path);
    methodList(t.methods, `${path}.methods`, `task '${t.name}'`);
    const first = t.methods.find((m) => m.builtin === undefined);
    for (const [j, m] of t.methods.entries()) {
      if (first !== undefined && m.params.length !== first.params.length) {
        fail(m, `${path}.methods[${j}]`, `method '${m.name}' of task '${t.name}' takes ${plural(m.params.length, 'parameter')}, `
          + `but method '${first.name}' takes ${first.params.length}: all methods of a task take the same parameters`);
      }
    }
    env.tasks.set(t.name, first?.params.length);
  });

  const unigoalDecls = new Map<string, string>();
  d.unigoals.forEach((u, i) => {
    const path = `unigoals[${i}]`;
    const first = unigoalDecls.get(u.var);
    if (first !== undefined) fail(u, path, `duplicate unigoal declaration for '${u.var}' (first declared at ${first})`);
    unigoalDecls.set(u.var, shortPlace(u, path));
    if (!env.vars.has(u.var)) fail(u, path, `unigoal methods for undeclared state variable '${u.var}' (declare it with 'var ${u.var}')`);
    methodList(u.methods, `${path}.methods`, `unigoal '${u.var}'`, 2, 'unigoal');
    env.unigoalVars.add(u.var);
  });
  methodList(d.multigoals, 'multigoals', 'the multigoal methods', 1, 'multigoal');

  d.consts.forEach((c, i) => constValue(c.value, `consts[${i}].value`, c.name, fail));

  d.functions.forEach((f, i) => new BodyChecker(env, 'function', `function '${f.name}'`).body(f.params, f.body, f, `functions[${i}]`));
  d.actions.forEach((a, i) => new BodyChecker(env, 'action', `action '${a.name}'`).body(a.params, a.body, a, `actions[${i}]`));
  // A cost is checked as the helper it compiles to: `fn (params) { return cost }`.
  d.actions.forEach((a, i) => {
    if (a.cost) new BodyChecker(env, 'function', `the cost of action '${a.name}'`).body(a.params, [{ return: { value: a.cost }, pos: a.cost.pos }], a, `actions[${i}].cost`);
  });
  d.commands.forEach((c, i) => new BodyChecker(env, 'command', `command '${c.name}'`).body(c.params, c.body, c, `commands[${i}]`));
  const methods = (list: MethodDecl[], path: string, owner: string): void => {
    list.forEach((m, j) => {
      if (m.builtin === undefined) new BodyChecker(env, 'method', `method '${m.name}'${owner}`).body(m.params, m.body, m, `${path}[${j}]`);
    });
  };
  d.tasks.forEach((t, i) => methods(t.methods, `tasks[${i}].methods`, ` of task '${t.name}'`));
  d.unigoals.forEach((u, i) => methods(u.methods, `unigoals[${i}].methods`, ` of unigoal '${u.var}'`));
  methods(d.multigoals, 'multigoals', '');

  d.functions.forEach((f, i) => {
    if (always(f.body, false, false, f.name)) {
      fail(f, `functions[${i}]`, `function '${f.name}' calls itself on every path, so it never returns (no base case)`);
    }
  });
}

/** A constant is a literal value: literals, and sets, lists, tuples and maps of them. */
function constValue(e: Expr, path: string, name: string, fail: (n: Node, p: string, m: string) => never): void {
  if ('lit' in e) return;
  if ('unary' in e && e.unary.op === '-' && 'lit' in e.unary.arg && 'num' in e.unary.arg.lit) return;
  if ('list' in e || 'tuple' in e || 'set' in e) {
    const [k, items] = 'list' in e ? ['list', e.list] : 'tuple' in e ? ['tuple', e.tuple] : ['set', e.set];
    items.forEach((x, i) => constValue(x, `${path}.${k}[${i}]`, name, fail));
    return;
  }
  if ('map' in e) {
    const keys = new Set<string>();
    e.map.forEach((m, i) => {
      const kp = `${path}.map[${i}].key`;
      const k = m.key;
      if (!('lit' in k) || !('sym' in k.lit || 'num' in k.lit)) fail(k, kp, `a map key in constant '${name}' must be a symbol or a number`);
      const id = JSON.stringify(k.lit);
      if (keys.has(id)) fail(k, kp, `duplicate key ${'sym' in k.lit ? `'${k.lit.sym}'` : String((k.lit as { num: number }).num)} in constant '${name}'`);
      keys.add(id);
      constValue(m.value, `${path}.map[${i}].value`, name, fail);
    });
    return;
  }
  fail(e, path, `constant '${name}' must be a literal value: numbers, symbols, booleans, nil, and sets, lists, tuples and maps of them`);
}

/** Every path through `e` that evaluates it calls `f` (short-circuit and comprehension parts may not run). */
function calls(e: Expr | undefined, f: string): boolean {
  if (e === undefined || 'lit' in e || 'name' in e) return false;
  if ('index' in e) return calls(e.index.base, f) || calls(e.index.key, f);
  if ('field' in e) return calls(e.field.base, f);
  if ('call' in e) return e.call.fn === f || e.call.args.some((a) => calls(a, f));
  if ('binary' in e) {
    const b = e.binary;
    return calls(b.left, f) || (b.op !== 'and' && b.op !== 'or' && calls(b.right, f));
  }
  if ('unary' in e) return calls(e.unary.arg, f);
  if ('list' in e) return e.list.some((x) => calls(x, f));
  if ('tuple' in e) return e.tuple.some((x) => calls(x, f));
  if ('set' in e) return e.set.some((x) => calls(x, f));
  if ('map' in e) return e.map.some((m) => calls(m.key, f) || calls(m.value, f));
  if ('comp' in e) return calls(e.comp.iter, f);
  return e.multigoal.goals.some((g) => calls(g.key, f) || calls(g.value, f));
}

/**
 * Every path from the start of `stmts` calls `f` before leaving the function.
 * `rest`: the same for whatever follows `stmts`; `loopExit`: for what follows
 * a `break` or `continue` (the loop may end after any iteration).
 */
function always(stmts: Stmt[], rest: boolean, loopExit: boolean, f: string): boolean {
  let r = rest;
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i]!;
    if ('let' in s) r = calls(s.let.value, f) || r;
    else if ('assign' in s) r = calls(s.assign.value, f) || calls(s.assign.target, f) || r;
    else if ('if' in s) r = calls(s.if.test, f) || (always(s.if.then, r, loopExit, f) && always(s.if.else, r, loopExit, f));
    else if ('for' in s) r = calls(s.for.iter, f) || (r && always(s.for.body, r, r, f));
    else if ('break' in s || 'continue' in s) r = loopExit;
    else if ('return' in s) r = calls(s.return.value, f);
    else if ('require' in s) r = calls(s.require, f);
    else if ('fail' in s) r = false;
    else r = calls(s.choose.iter, f) || r;
  }
  return r;
}
