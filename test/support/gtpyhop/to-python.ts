/**
 * Translates a parsed Aria domain and a problem into a Python program that
 * declares the same domain for GTPyhop 1.1 (actions and commands as
 * functions on a state object, task, unigoal and multigoal methods,
 * GTPyhop's own m_split_multigoal for `builtin split_multigoal`), runs
 * find_plan on the problem and prints the answer as JSON on stdout:
 *
 *   {"gtpyhop": ANSWER, "fixed": ANSWER, "recursion_limit"?: true, "recursion_limit_fixed"?: true}
 *
 * where ANSWER is {"plan": [...]}, {"no_plan": "False"}, {"error": "Type: message"}
 * or {"unsupported": why}; "gtpyhop" is GTPyhop 1.1 as it is, "fixed" the
 * same with its goal-method loop fixed (runtime-py.ts), and recursion_limit
 * says that the answer needed Python's recursion limit raised (GTPyhop 1.1
 * itself raises RecursionError at the default limit there).
 *
 * The semantics of every construct follow the reference planner
 * (test/support/reference-planner: evaluate.ts, run-body.ts, seek-plan.ts);
 * the Python helpers they compile to are in runtime-py.ts. `choose` becomes
 * one GTPyhop method per binding (GTPyhop has no choose): GTPyhop tries them
 * in order with the same state and arguments, as the reference tries the
 * bindings of one method before the next method.
 *
 * What cannot be translated faithfully throws Unsupported (here) or makes
 * the program answer {"unsupported": ...} (at run time: a boolean state key,
 * more choose bindings than the program has methods for, deep helper
 * recursion).
 */
import type { ConstDecl, Domain, Expr, MethodDecl, Stmt } from '../../../server/src/planner/language/ast.js';
import { stateKeys } from '../../../server/src/planner/runtime/state-keys.js';
import type { JsonValue, Problem } from '../../../server/src/planner/types.js';
import { RUNTIME_PY } from './runtime-py.js';

/** A construct the translation does not cover: the case is skipped. */
export class Unsupported extends Error {}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const py = (s: string): string => JSON.stringify(s);

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Unsupported(`identifier ${JSON.stringify(name)}`);
  return name;
}

/** A number as a Python literal: an int when it is one (and exact), else a float. */
export function numLit(n: number): string {
  if (!Number.isFinite(n)) throw new Unsupported(`number ${n}`);
  if (Number.isInteger(n) && Math.abs(n) <= 2 ** 53) return String(n === 0 ? 0 : n);
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** What every body can see of its domain. */
interface DomainNames {
  consts: Set<string>;
  /** Declared variables and unigoal variables: `v[k]` reads the state there. */
  vars: Set<string>;
  helpers: Set<string>;
}

type Kind = 'function' | 'action' | 'method';

/** One body being translated: Python lines, the Aria locals in scope and their Python names. */
class Body {
  private readonly lines: string[] = [];
  private readonly scopes: Map<string, string>[] = [new Map()];
  private n = 0;
  hasChoose = false;

  constructor(private readonly d: DomainNames, readonly kind: Kind, readonly name: string) {}

  /** A fresh Python name for an Aria local. */
  declare(name: string): string {
    const p = `L${++this.n}_${ident(name)}`;
    this.scopes[this.scopes.length - 1].set(name, p);
    return p;
  }

  temp(): string { return `_t${++this.n}`; }

  private lookup(name: string): string | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const p = this.scopes[i].get(name);
      if (p) return p;
    }
    return undefined;
  }

  private push(): void { this.scopes.push(new Map()); }
  private pop(): void { this.scopes.pop(); }

  /** Whether a bare name reads the state (not a local or constant), as reference isStateName. */
  private isStateName(e: Expr): e is { name: string } {
    return 'name' in e && !this.lookup(e.name) && !this.d.consts.has(e.name) && this.d.vars.has(e.name);
  }

  emit(indent: number, line: string): void { this.lines.push(`${'    '.repeat(indent)}${line}`); }

  text(): string[] { return this.lines; }

  /** An expression. */
  ex(e: Expr): string {
    if ('lit' in e) {
      const l = e.lit;
      return 'sym' in l ? py(l.sym) : 'num' in l ? numLit(l.num) : 'bool' in l ? (l.bool ? 'True' : 'False') : 'None';
    }
    if ('name' in e) {
      const local = this.lookup(e.name);
      if (local) return local;
      if (this.d.consts.has(e.name)) return `K_${ident(e.name)}`;
      return `sname(state, ${py(e.name)})`;
    }
    if ('index' in e) {
      const { base, key } = e.index;
      if (this.isStateName(base)) return `sget(state, ${py(base.name)}, ${this.ex(key)})`;
      if ('field' in base) return `mgget(${this.ex(base.field.base)}, ${py(base.field.name)}, ${this.ex(key)})`;
      return `index(${this.ex(base)}, ${this.ex(key)})`;
    }
    if ('field' in e) return `mgfield(${this.ex(e.field.base)}, ${py(e.field.name)})`;
    if ('call' in e) {
      const { fn, args } = e.call;
      const a = args.map((x) => this.ex(x));
      if (this.d.helpers.has(fn)) return `H_${ident(fn)}(state${a.map((x) => `, ${x}`).join('')})`;
      switch (fn) {
        case 'len': return `alen(${a[0]})`;
        case 'abs': return `aabs(${a[0]})`;
        case 'min': return `amin(${a[0]}, ${a[1]})`;
        case 'max': return `amax(${a[0]}, ${a[1]})`;
        default: return `(${[py(fn), ...a].join(', ')},)`;
      }
    }
    if ('binary' in e) return this.binary(e.binary.op, e.binary.left, e.binary.right);
    if ('unary' in e) {
      const a = this.ex(e.unary.arg);
      return e.unary.op === 'not' ? `(not truthy(${a}))` : `neg(${a})`;
    }
    if ('list' in e) return `[${e.list.map((x) => this.ex(x)).join(', ')}]`;
    if ('tuple' in e) return e.tuple.length === 0 ? '()' : `(${e.tuple.map((x) => this.ex(x)).join(', ')},)`;
    if ('set' in e) return `mkset([${e.set.map((x) => this.ex(x)).join(', ')}])`;
    if ('comp' in e) {
      const { elem, vars, iter, cond } = e.comp;
      if (vars.length < 1 || vars.length > 2) throw new Unsupported(`comprehension over ${vars.length} names`);
      const it = this.ex(iter);
      this.push();
      const names = vars.map((v) => this.declare(v));
      const el = this.ex(elem);
      const c = cond ? ` if truthy(${this.ex(cond)})` : '';
      this.pop();
      return `[${el} for ${names[0]}, ${names[1] ?? '_'} in iterate(${it}, ${vars.length === 2 ? 'True' : 'False'})${c}]`;
    }
    if ('multigoal' in e) {
      const triples = e.multigoal.goals.map((g) => `(${py(g.var)}, ${this.ex(g.key)}, ${this.ex(g.value)})`);
      return `mkmg(${py(e.multigoal.name)}, [${triples.join(', ')}])`;
    }
    throw new Unsupported(`expression ${Object.keys(e).filter((k) => k !== 'pos')[0]}`);
  }

  private binary(op: string, left: Expr, right: Expr): string {
    if (op === 'and' || op === 'or') return `_${op}(${this.ex(left)}, lambda: ${this.ex(right)})`;
    if (op === 'in' || op === 'not in') {
      const neg = op === 'not in' ? 'not ' : '';
      if ('name' in right && !this.lookup(right.name) && !this.d.consts.has(right.name)) {
        return `(${neg}sin(state, ${py(right.name)}, ${this.ex(left)}))`;
      }
      if ('field' in right) return `(${neg}mgin(${this.ex(right.field.base)}, ${this.ex(left)}, ${py(right.field.name)}))`;
      return `(${neg}member(${py(op)}, ${this.ex(left)}, ${this.ex(right)}))`;
    }
    const a = this.ex(left), b = this.ex(right);
    switch (op) {
      case '==': return `eq(${a}, ${b})`;
      case '!=': return `(not eq(${a}, ${b}))`;
      case '+': case '-': case '*': case '/': case '//': case '%': return `arith(${py(op)}, ${a}, ${b})`;
      case '<': case '<=': case '>': case '>=': return `cmp(${py(op)}, ${a}, ${b})`;
      default: throw new Unsupported(`operator ${op}`);
    }
  }

  /** What a failure (`fail`, a false `require`) returns. */
  private failure(): string { return 'return False'; }

  block(stmts: Stmt[], indent: number): void {
    this.push();
    const before = this.lines.length;
    for (const s of stmts) this.stmt(s, indent);
    if (this.lines.length === before) this.emit(indent, 'pass');
    this.pop();
  }

  private stmt(s: Stmt, indent: number): void {
    if ('let' in s) {
      const v = this.ex(s.let.value);
      this.emit(indent, `${this.declare(s.let.name)} = ${v}`);
      return;
    }
    if ('assign' in s) { this.assign(s.assign.target, s.assign.value, indent); return; }
    if ('if' in s) {
      this.emit(indent, `if truthy(${this.ex(s.if.test)}):`);
      this.block(s.if.then, indent + 1);
      if (s.if.else.length) {
        this.emit(indent, 'else:');
        this.block(s.if.else, indent + 1);
      }
      return;
    }
    if ('for' in s) {
      const { vars, iter, body } = s.for;
      if (vars.length < 1 || vars.length > 2) throw new Unsupported(`for over ${vars.length} names`);
      const it = this.ex(iter);
      this.push();
      const names = vars.map((v) => this.declare(v));
      this.emit(indent, `for ${names[0]}, ${names[1] ?? '_'} in iterate(${it}, ${vars.length === 2 ? 'True' : 'False'}):`);
      this.block(body, indent + 1);
      this.pop();
      return;
    }
    if ('break' in s) { this.emit(indent, 'break'); return; }
    if ('continue' in s) { this.emit(indent, 'continue'); return; }
    if ('return' in s) {
      // An action's return is success, its value never evaluated (reference run-body.ts).
      if (this.kind === 'action') this.emit(indent, 'return state');
      else this.emit(indent, `return ${s.return.value ? this.ex(s.return.value) : 'None'}`);
      return;
    }
    if ('fail' in s) { this.emit(indent, this.failure()); return; }
    if ('require' in s) {
      this.emit(indent, `if not truthy(${this.ex(s.require)}):`);
      this.emit(indent + 1, this.failure());
      return;
    }
    if ('choose' in s) {
      if (this.kind !== 'method') throw new Unsupported('choose outside a method');
      this.hasChoose = true;
      const t = this.temp();
      this.emit(indent, `${t} = _ch.choose(${this.ex(s.choose.iter)})`);
      this.emit(indent, `if ${t} is _NOPE:`);
      this.emit(indent + 1, 'return False');
      this.emit(indent, `${this.declare(s.choose.name)} = ${t}`);
      return;
    }
    throw new Unsupported(`statement ${Object.keys(s).filter((k) => k !== 'pos')[0]}`);
  }

  /** `v[k] = e` on the state, `v = e` on a scalar variable, `x = e` on a local (reference run-body.ts assign). */
  private assign(target: Expr, value: Expr, indent: number): void {
    if ('name' in target) {
      const local = this.lookup(target.name);
      if (local) { this.emit(indent, `${local} = ${this.ex(value)}`); return; }
      if (this.d.vars.has(target.name)) {
        this.emit(indent, `sset(state, ${py(target.name)}, None, ${this.ex(value)})`);
        return;
      }
    } else if ('index' in target && 'name' in target.index.base && !this.lookup(target.index.base.name) && this.d.vars.has(target.index.base.name)) {
      // Key before value, as the reference (and the engine) evaluate them.
      this.emit(indent, `sset(state, ${py(target.index.base.name)}, ${this.ex(target.index.key)}, ${this.ex(value)})`);
      return;
    }
    throw new Unsupported('an assignment the reference does not run');
  }
}

/** A constant's value as Python (reference domain-context.ts constValue). */
function constExpr(e: Expr): string {
  if ('lit' in e) {
    const l = e.lit;
    return 'sym' in l ? py(l.sym) : 'num' in l ? numLit(l.num) : 'bool' in l ? (l.bool ? 'True' : 'False') : 'None';
  }
  if ('name' in e) return `K_${ident(e.name)}`;
  if ('unary' in e && e.unary.op === '-' && 'lit' in e.unary.arg && 'num' in e.unary.arg.lit) return numLit(-e.unary.arg.lit.num);
  if ('list' in e) return `[${e.list.map(constExpr).join(', ')}]`;
  if ('tuple' in e) return e.tuple.length === 0 ? '()' : `(${e.tuple.map(constExpr).join(', ')},)`;
  if ('set' in e) return `mkset([${e.set.map(constExpr).join(', ')}])`;
  if ('map' in e) return `AMap([${e.map.map((kv) => `(${constExpr(kv.key)}, ${constExpr(kv.value)})`).join(', ')}])`;
  throw new Unsupported('a constant expression');
}

/** Constants in an order where each comes after those it names. */
function constLines(consts: ConstDecl[]): string[] {
  const decls = new Map(consts.map((c) => [c.name, c]));
  const done = new Set<string>();
  const out: string[] = [];
  const names = (e: Expr, acc: string[]): string[] => {
    if ('name' in e) acc.push(e.name);
    else if ('list' in e) e.list.forEach((x) => names(x, acc));
    else if ('tuple' in e) e.tuple.forEach((x) => names(x, acc));
    else if ('set' in e) e.set.forEach((x) => names(x, acc));
    else if ('map' in e) e.map.forEach((kv) => { names(kv.key, acc); names(kv.value, acc); });
    return acc;
  };
  const visit = (c: ConstDecl, path: Set<string>): void => {
    if (done.has(c.name)) return;
    if (path.has(c.name)) throw new Unsupported(`constant cycle through ${c.name}`);
    path.add(c.name);
    for (const n of names(c.value, [])) { const d = decls.get(n); if (d) visit(d, path); }
    done.add(c.name);
    out.push(`K_${ident(c.name)} = ${constExpr(c.value)}`);
  };
  for (const c of consts) visit(c, new Set());
  return out;
}

/** A JSON value of a problem as Python (reference state.ts fromJson): arrays are tuples in a todo list, lists in a state. */
function jsonValue(v: JsonValue, arrays: 'tuple' | 'list'): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return numLit(v);
  if (typeof v === 'string') return py(v);
  if (Array.isArray(v)) {
    const items = v.map((x) => jsonValue(x, arrays));
    return arrays === 'tuple' ? (items.length ? `(${items.join(', ')},)` : '()') : `[${items.join(', ')}]`;
  }
  if ('__set__' in v) return `mkset([${(v.__set__ as JsonValue[]).map((x) => jsonValue(x, 'list')).join(', ')}])`;
  if ('__multigoal__' in v) {
    const triples: string[] = [];
    for (const [name, entries] of Object.entries((v.vars ?? {}) as Record<string, JsonValue>)) {
      for (const e of stateKeys(entries, name)) triples.push(`(${py(name)}, ${jsonKey(e.key as JsonValue)}, ${jsonValue(e.value, 'list')})`);
    }
    return `mkmg(${py(String(v.__multigoal__))}, [${triples.join(', ')}])`;
  }
  const entries = stateKeys(v, 'value').map((e) => `(${jsonKey(e.key as JsonValue)}, ${jsonValue(e.value, arrays)})`);
  return `AMap([${entries.join(', ')}])`;
}

function jsonKey(k: JsonValue): string {
  return Array.isArray(k) ? (k.length ? `(${k.map((x) => jsonValue(x, 'list')).join(', ')},)` : '()') : jsonValue(k, 'list');
}

/** The whole program: GTPyhop's directory, the runtime, the domain, the problem, main(). */
export function toPython(domain: Domain, problem: Problem, gtpyhopDir: string): string {
  const d: DomainNames = {
    consts: new Set(domain.consts.map((c) => c.name)),
    vars: new Set([...domain.vars.map((v) => v.name), ...domain.unigoals.map((g) => g.var)]),
    helpers: new Set(domain.functions.map((f) => f.name)),
  };
  const out: string[] = [`GTPYHOP_DIR = ${py(gtpyhopDir)}`, RUNTIME_PY, '# --- the domain ---', ...constLines(domain.consts)];
  const def = (kind: Kind, pyName: string, name: string, params: string[], body: Stmt[], extra: string[] = []): Body => {
    const b = new Body(d, kind, name);
    const ps = params.map((p) => b.declare(p));
    out.push(`def ${pyName}(state${extra.map((x) => `, ${x}`).join('')}${ps.map((p) => `, ${p}`).join('')}):`);
    if (kind === 'function') {
      b.emit(1, `helper_enter(${py(name)})`);
      b.emit(1, 'try:');
      b.block(body, 2);
      b.emit(2, 'return None');
      b.emit(1, 'finally:');
      b.emit(2, 'helper_leave()');
    } else {
      b.block(body, 1);
      // Falling off the end: an action succeeds, a method is not applicable.
      b.emit(1, kind === 'action' ? 'return state' : 'return False');
    }
    out.push(...b.text());
    return b;
  };
  for (const f of domain.functions) def('function', `H_${ident(f.name)}`, f.name, f.params, f.body);
  const actions: string[] = [];
  for (const a of domain.actions) {
    def('action', `A_${ident(a.name)}`, a.name, a.params, a.body);
    out.push(`A_${a.name}.__name__ = ${py(a.name)}`);
    actions.push(`A_${a.name}`);
  }
  const commands: string[] = [];
  for (const c of domain.commands) {
    def('action', `C_${ident(c.name)}`, c.name, c.params, c.body);
    out.push(`C_${c.name}.__name__ = ${py(`c_${c.name}`)}`);
    commands.push(`C_${c.name}`);
  }
  let nMethod = 0;
  const method = (m: MethodDecl): string => {
    if (m.builtin === 'split_multigoal') return 'gtpyhop.m_split_multigoal';
    if (m.builtin) throw new Unsupported(`builtin ${m.builtin}`);
    const k = ++nMethod;
    const b = def('method', `B_${k}`, m.name, m.params, m.body, ['_ch']);
    out.push(`M_${k} = method_functions(B_${k}, ${py(m.name)}, ${m.params.length}, ${b.hasChoose ? 'True' : 'False'})`);
    return `*M_${k}`;
  };
  const decls: string[] = [`gtpyhop.Domain(${py(domain.name)})`];
  if (actions.length) decls.push(`gtpyhop.declare_actions(${actions.join(', ')})`);
  if (commands.length) decls.push(`gtpyhop.declare_commands(${commands.join(', ')})`);
  for (const t of domain.tasks) decls.push(`gtpyhop.declare_task_methods(${py(t.name)}, ${t.methods.map(method).join(', ')})`);
  for (const g of domain.unigoals) decls.push(`gtpyhop.declare_unigoal_methods(${py(g.var)}, ${g.methods.map(method).join(', ')})`);
  if (domain.multigoals.length) decls.push(`gtpyhop.declare_multigoal_methods(${domain.multigoals.map(method).join(', ')})`);
  out.push(...decls);

  // The problem. Every declared and unigoal variable is in the state (an absent one reads as empty in
  // Aria; GTPyhop's own goal checks need the dict).
  out.push('# --- the problem ---', 'def make_problem():', `    gtpyhop.verify_goals = ${problem.verify_goals ?? true ? 'True' : 'False'}`, "    state = gtpyhop.State('s0')");
  for (const [name, value] of Object.entries(problem.state)) {
    const entries = stateKeys(value, name).map((e) => `(${e.key === null ? 'None' : jsonKey(e.key as JsonValue)}, ${jsonValue(e.value, 'list')})`);
    out.push(`    vars(state)[${py(name)}] = mkdict([${entries.join(', ')}])`);
  }
  for (const v of d.vars) if (!(v in problem.state)) out.push(`    vars(state)[${py(v)}] = {}`);
  out.push(`    todo = [${problem.todo.map((item) => jsonValue(item as JsonValue, 'tuple')).join(', ')}]`, '    return state, todo', '', 'main()', '');
  return out.join('\n');
}
