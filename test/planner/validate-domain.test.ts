import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Domain } from '../../server/src/planner/language/ast.js';
import { builtinDomainNames, readBuiltinDomain } from '../../server/src/planner/builtin-domains.js';
import { DomainError } from '../../server/src/planner/errors.js';
import { parseDomain } from '../../server/src/planner/language/parse-domain.js';
import { validateDomain } from '../../server/src/planner/validation/validate-domain.js';

/** Every text here starts with these three lines, so bodies start on line 4. */
const HEAD = 'domain d\nvar loc, pos\nconst k = 3\n';

function check(src: string): void {
  validateDomain(parseDomain(HEAD + src, 'f.aria'), 'f.aria');
}

function rejects(run: () => void, where: string, message: string): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    assert.is(e.where, where);
    assert.is(e.message, where ? `${where}: ${message}` : message);
    return;
  }
  assert.unreachable(`no error (expected ${where}: ${message})`);
}

function invalid(src: string, where: string, message: string): void {
  rejects(() => check(src), where, message);
}

function stripPos<T>(x: T): T {
  if (Array.isArray(x)) return x.map(stripPos) as T;
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'pos').map(([k, v]) => [k, stripPos(v)])) as T;
  }
  return x;
}

function emptyDomain(): Domain {
  return { name: 'd', vars: [{ name: 'loc' }], consts: [], functions: [], actions: [], commands: [], tasks: [], unigoals: [], multigoals: [] };
}

test('every built-in domain validates, from text and as plain data', () => {
  const names = builtinDomainNames();
  assert.ok(names.length >= 17);
  for (const n of names) {
    const { text, file } = readBuiltinDomain(n);
    const d = parseDomain(text, file);
    validateDomain(d, file);
    validateDomain(JSON.parse(JSON.stringify(stripPos(d))) as Domain);
  }
});

test('accepted: an action and a task sharing a name, shadowing, choose, a base case, scalar state writes', () => {
  check('action t() {}\ntask t { method m() { return [t()] } }');
  check('action set_v(a, b) { loc[a] = b }\nmultigoal { method m(mg) { return [set_v(k, loc) for k, loc in mg.loc] } }');
  check('task t { method m(k) { choose x in [1, 2]\n if x > k { return [] } } }');
  check('fn f(x) { if x == 0 { return 0 }\n return f(x - 1) }');
  check('fn f(x) { for y in x { return f(y) }\n return 0 }');
  check('action a(v) { loc = v }');
  check("task t { method m() { return [('not_checked_here', 1)] } }");
  check('task t {}\ntask u { method m() { return [t(1, 2, 3)] } }');
  check('fn f() { let y = 1; y = 2; return y }');
  check('fn f() { if true { let y = 1 } else { let y = 2 }\n return nil }');
  check("multigoal { builtin split_multigoal }\nfn f() { return multigoal 'g' { pos['a'] = 1; pos['b'] = 2 } }");
});

test('unknown names', () => {
  invalid('fn f() { return lco }', 'f.aria:4:17', "unknown name 'lco'");
  invalid('fn f() { return cash[1] }', 'f.aria:4:17', "unknown name 'cash'");
  invalid('fn g(x) { return x-1 }', 'f.aria:4:18', "unknown name 'x-1' (write 'x - 1' with spaces to subtract)");
  invalid('fn f() { return foo(1) }', 'f.aria:4:17', "unknown name 'foo': not a function, action, task or state variable with unigoal methods");
  invalid('fn f() { return take }\ntask take { method m() { return [] } }', 'f.aria:4:17', "'take' is a task: write take(...) for a todo item");
  invalid('fn f() { return g }\nfn g() { return 1 }', 'f.aria:4:17', "'g' is a function: call it as g(...)");
  invalid('fn f(x) { return x(1) }', 'f.aria:4:18', "'x' is a parameter, not a function");
  invalid('fn f() { return k(1) }', 'f.aria:4:17', "'k' is a constant, not a function");
  invalid('fn f() { return [y for y in loc]\n return y }', 'f.aria:5:9', "unknown name 'y'");
  invalid('fn f() { if true { let y = 1 }\n return y }', 'f.aria:5:9', "unknown name 'y'");
  invalid("fn f() { return multigoal 'g' { posx[1] = 2 } }", 'f.aria:4:38', "unknown state variable 'posx' in multigoal 'g'");
  invalid('fn f(mg) { return mg.lox }', 'f.aria:4:21', "unknown state variable 'lox' in '.lox'");
  invalid('unigoal holding { method m(x, v) { return [] } }', 'f.aria:4:1', "unigoal methods for undeclared state variable 'holding' (declare it with 'var holding')");
});

test('duplicate declarations', () => {
  invalid('action a() {}\naction a() {}', 'f.aria:5:1', "duplicate action 'a' (first declared at 4:1)");
  invalid('var loc', 'f.aria:4:5', "duplicate state variable 'loc' (first declared at 2:5)");
  invalid('const loc = 1', 'f.aria:4:1', "'loc' is already declared as a state variable at 2:5");
  invalid('fn pos() {}', 'f.aria:4:1', "'pos' is already declared as a state variable at 2:10");
  invalid('fn f() {}\naction f() {}', 'f.aria:5:1', "'f' is already declared as a function at 4:1");
  invalid('task t { method m() { return [] }\n method m() { return [] } }', 'f.aria:5:2', "duplicate method 'm' in task 't' (first declared at 4:10)");
  invalid('action a(x, x) {}', 'f.aria:4:1', "duplicate parameter 'x' in action 'a'");
  invalid('fn f(x) { let x = 1 }', 'f.aria:4:11', "'x' is already declared as a parameter at 4:1");
  invalid('action a() {}\ncommand a() {}\ncommand a() {}', 'f.aria:6:1', "duplicate command 'a' (first declared at 5:1)");
  invalid('command c() {}', 'f.aria:4:1', "command 'c' has no action of the same name (a command is the acting version of an action)");
  invalid('action c(x) {}\ncommand c() {}', 'f.aria:5:1', "command 'c' takes 0 parameters but action 'c' takes 1");
  invalid("const c = {'a': 1, 'a': 2}", 'f.aria:4:20', "duplicate key 'a' in constant 'c'");
  invalid("fn f() { return multigoal 'g' { pos[1] = 2; pos[1] = 3 } }", 'f.aria:4:49', "duplicate goal pos[1] in multigoal 'g'");
});

test('arity of functions, built-ins and todo items', () => {
  invalid('fn f(a) { return f(1, 2) }', 'f.aria:4:18', "function 'f' takes 1 argument, got 2");
  invalid('fn f() { return len(1, 2) }', 'f.aria:4:17', "built-in 'len' takes 1 argument, got 2");
  invalid('fn f() { return abs() }', 'f.aria:4:17', "built-in 'abs' takes 1 argument, got 0");
  invalid('fn f() { return min(1) }', 'f.aria:4:17', "built-in 'min' takes 2 arguments, got 1");
  invalid('fn f() { return max(1, 2, 3) }', 'f.aria:4:17', "built-in 'max' takes 2 arguments, got 3");
  invalid('action a(x) {}\ntask t { method m() { return [a()] } }', 'f.aria:5:31', "action 'a' takes 1 argument, got 0");
  invalid('task u { method m(x) { return [] } }\ntask t { method m() { return [u(1, 2)] } }', 'f.aria:5:31', "task 'u' takes 1 argument, got 2");
  invalid('unigoal loc { method m(x, v) { return [] } }\ntask t { method m() { return [loc(1)] } }', 'f.aria:5:31', "unigoal item 'loc' takes 2 arguments (key, value), got 1");
  invalid('task t { method m() { return [pos(1, 2)] } }', 'f.aria:4:31', "state variable 'pos' has no unigoal methods, so pos(...) is not a todo item");
  invalid('task t { method m(x) { return [] }\n method n() { return [] } }', 'f.aria:5:2',
    "method 'n' of task 't' takes 0 parameters, but method 'm' takes 1: all methods of a task take the same parameters");
  invalid('unigoal loc { method m(x) { return [] } }', 'f.aria:4:15', "unigoal method 'm' takes 2 parameters (the key and the value), not 1");
  invalid('multigoal { method m(a, b) { return [] } }', 'f.aria:4:13', "multigoal method 'm' takes 1 parameter (the multigoal), not 2");
});

test('where statements may appear', () => {
  invalid('task t { method m() { loc[1] = 2; return [] } }', 'f.aria:4:23', "state variable 'loc' can only be changed in actions and commands, not in method 'm' of task 't'");
  invalid('fn f() { loc = 2 }', 'f.aria:4:10', "state variable 'loc' can only be changed in actions and commands, not in function 'f'");
  invalid('action a() { choose x in [1] }', 'f.aria:4:14', "'choose' is allowed only in methods, not in action 'a'");
  invalid('task t { method m() { for y in [1] { choose x in [1] } } }', 'f.aria:4:38', "'choose' cannot be inside a loop");
  invalid('fn f() { break }', 'f.aria:4:10', "'break' outside a loop");
  invalid('fn f() { if true { continue } }', 'f.aria:4:20', "'continue' outside a loop");
  invalid('fn f() { fail }', 'f.aria:4:10', "'fail' is not allowed in a function (only actions, commands and methods can fail)");
  invalid('action a() { return 1 }', 'f.aria:4:14', "action 'a' cannot return a value: 'return' alone means success, 'fail' means not applicable");
});

test('assignments', () => {
  invalid('fn f() { x = 1 }', 'f.aria:4:10', "assignment to undeclared local 'x' (declare it with 'let x = ...')");
  invalid('fn f() { k = 1 }', 'f.aria:4:10', "cannot assign to constant 'k'");
  invalid('action a() { k[1] = 1 }', 'f.aria:4:15', "cannot assign to constant 'k'");
  invalid('action a(x) { x[1] = 1 }', 'f.aria:4:16', "cannot assign to an element of parameter 'x': only state variables are changed by index");
  invalid('action a() { loc[1][2] = 1 }', 'f.aria:4:20', "only 'var[key] = value' changes the state: the target must be a state variable indexed once");
  invalid('action a() { cash[1] = 1 }', 'f.aria:4:14', "unknown name 'cash'");
});

test('type errors visible in the source', () => {
  invalid('fn f() { return "a" + 1 }', 'f.aria:4:21', "type error: arithmetic ('+') on symbol 'a'");
  invalid('fn f() { return true * 2 }', 'f.aria:4:22', "type error: arithmetic ('*') on boolean true");
  invalid('fn f(x) { return x - nil }', 'f.aria:4:20', "type error: arithmetic ('-') on nil");
  invalid('fn f() { return -"a" }', 'f.aria:4:17', "type error: arithmetic ('-') on symbol 'a'");
  invalid('fn f() { return 3[0] }', 'f.aria:4:18', 'type error: cannot index number 3');
  invalid('fn f(x) { return x in 5 }', 'f.aria:4:20', "type error: 'in' needs a collection, a state variable or a multigoal field, not number 5");
  invalid('fn f() { return [x for x in 5] }', 'f.aria:4:29', 'type error: cannot iterate over number 5');
  invalid('fn f() { return len(3) }', 'f.aria:4:17', 'type error: len of number 3');
  invalid('fn f(x) { return x / 0 }', 'f.aria:4:20', "division by zero ('/' 0)");
  invalid('fn f() { return k.pos }', 'f.aria:4:18', "type error: 'k' is a constant, not a multigoal, so it has no field 'pos'");
  invalid('task t { method m() { return false } }', 'f.aria:4:30', "type error: a method returns a list of todo items, not boolean false (write 'fail' for not applicable)");
  invalid('task t { method m() { return 1 } }', 'f.aria:4:30', 'type error: a method returns a list of todo items, not number 1');
  invalid('fn f() { return {1: 2} }', 'f.aria:4:17', 'a map literal is allowed only in a constant');
  invalid('const c = [k]', 'f.aria:4:12', "constant 'c' must be a literal value: numbers, symbols, booleans, nil, and sets, lists, tuples and maps of them");
  invalid('const c = {[1]: 2}', 'f.aria:4:12', "a map key in constant 'c' must be a symbol or a number");
});

test('a helper function that calls itself on every path', () => {
  invalid('fn f(x) { return f(x) }', 'f.aria:4:1', "function 'f' calls itself on every path, so it never returns (no base case)");
  invalid('fn f(x) { let y = f(x); return y }', 'f.aria:4:1', "function 'f' calls itself on every path, so it never returns (no base case)");
  invalid('fn f(x) { if x { return f(1) } else { return f(2) } }', 'f.aria:4:1', "function 'f' calls itself on every path, so it never returns (no base case)");
  invalid('fn f(x) { if f(x) { return 1 }\n return 2 }', 'f.aria:4:1', "function 'f' calls itself on every path, so it never returns (no base case)");
  check('fn f(x) { if x and f(x) { return 1 }\n return 2 }');
  check('fn f(x) { return [f(y) for y in x] }');
});

test('data domains: a semantic error names the data path', () => {
  const d = emptyDomain();
  d.tasks.push({ name: 't', methods: [{ name: 'm', params: [], body: [{ return: {} }, { return: { value: { list: [{ name: 'nope' }] } } }] }] });
  rejects(() => validateDomain(d), 'tasks[0].methods[0].body[1].return.value.list[0]', "unknown name 'nope'");
  const e = emptyDomain();
  e.unigoals.push({ var: 'loc', methods: [{ name: 'm', params: ['x'], body: [] }] });
  rejects(() => validateDomain(e), 'unigoals[0].methods[0]', "unigoal method 'm' takes 2 parameters (the key and the value), not 1");
  const f = emptyDomain();
  f.tasks.push({ name: 't', methods: [] }, { name: 't', methods: [] });
  rejects(() => validateDomain(f), 'tasks[1]', "duplicate task 't' (first declared at tasks[0])");
  const g = emptyDomain();
  g.multigoals.push({ name: 'm', params: [], body: [{ fail: true }], builtin: 'split_multigoal' });
  rejects(() => validateDomain(g), 'multigoals[0]', "built-in method 'm' cannot have a body");
});

test('data domains: wrong shapes get a DomainError with the data path', () => {
  const base = (): Record<string, unknown> => ({ ...emptyDomain() });
  const action = (body: unknown): unknown => ({ ...base(), actions: [{ name: 'a', params: [], body }] });
  const method = (stmt: unknown): unknown => ({ ...base(), tasks: [{ name: 't', methods: [{ name: 'm', params: [], body: [stmt] }] }] });
  const cases: [unknown, string, string][] = [
    [undefined, 'domain', 'expected a domain (an object), found nothing'],
    [null, 'domain', 'expected a domain (an object), found null'],
    [5, 'domain', 'expected a domain (an object), found number 5'],
    ['x', 'domain', 'expected a domain (an object), found string "x"'],
    [[], 'domain', 'expected a domain (an object), found an array'],
    [{}, 'domain', "missing 'name' (a non-empty string)"],
    [{ actions: 5 }, 'domain', "missing 'name' (a non-empty string)"],
    [{ name: 'd', actions: 5 }, 'domain', "missing 'vars' (an array)"],
    [{ ...base(), actions: 5 }, 'actions', 'expected an array, found number 5'],
    [{ ...base(), vars: [5] }, 'vars[0]', 'expected a state variable declaration (an object), found number 5'],
    [{ ...base(), vars: [{}] }, 'vars[0]', "missing 'name' (a non-empty string)"],
    [{ ...base(), actions: [{ params: [], body: [] }] }, 'actions[0]', "missing 'name' (a non-empty string)"],
    [{ ...base(), actions: [{ name: 'a', params: [1], body: [] }] }, 'actions[0].params[0]', 'expected a non-empty string, found number 1'],
    [{ ...base(), actions: [{ name: 'a', params: 'x', body: [] }] }, 'actions[0].params', 'expected an array, found string "x"'],
    [action([{}]), 'actions[0].body[0]', 'a statement must have exactly one of let, assign, if, for, break, continue, return, fail, require, choose (found none)'],
    [action([{ fail: true, break: true }]), 'actions[0].body[0]', 'a statement must have exactly one of let, assign, if, for, break, continue, return, fail, require, choose (found 2: fail, break)'],
    [action([{ frob: 1 }]), 'actions[0].body[0]', "unknown statement kind 'frob'; expected one of let, assign, if, for, break, continue, return, fail, require, choose"],
    [action([{ fail: 1 }]), 'actions[0].body[0].fail', 'expected true, found number 1'],
    [action([{ fail: true, pos: { line: 0, col: 1 } }]), 'actions[0].body[0].pos', 'expected {line, col} with whole numbers from 1'],
    [method({ require: { lit: {} } }), 'tasks[0].methods[0].body[0].require.lit', 'a literal must have exactly one of sym, num, bool, nil (found none)'],
    [method({ require: { lit: { num: NaN } } }), 'tasks[0].methods[0].body[0].require.lit.num', 'expected a finite number, found number NaN'],
    [method({ require: { name: 'x', lit: { nil: true } } }), 'tasks[0].methods[0].body[0].require', 'an expression must have exactly one of lit, name, index, field, call, binary, unary, list, tuple, set, map, comp, multigoal (found 2: name, lit)'],
    [method({ require: { binary: { op: '**', left: { name: 'x' }, right: { name: 'x' } } } }), 'tasks[0].methods[0].body[0].require.binary.op', 'unknown binary operator string "**"'],
    [method({ require: { call: { fn: 'f' } } }), 'tasks[0].methods[0].body[0].require.call', "missing 'args' (an array)"],
    [method({ if: { test: { lit: { bool: true } }, then: [] } }), 'tasks[0].methods[0].body[0].if', "missing 'else' (an array)"],
    [method({ let: { name: 'x', value: 5 } }), 'tasks[0].methods[0].body[0].let.value', 'expected an expression (an object), found number 5'],
    [{ ...base(), tasks: [{ name: 't', methods: [{ name: 'm', params: [], body: [], builtin: 'x' }] }] }, 'tasks[0].methods[0].builtin', 'unknown built-in method string "x"; the only one is \'split_multigoal\''],
    [{ ...base(), unigoals: [{ methods: [] }] }, 'unigoals[0]', "missing 'var' (a non-empty string)"],
  ];
  for (const [d, where, message] of cases) rejects(() => validateDomain(d as Domain), where, message);
});

test('data domains: hostile input still gets a DomainError', () => {
  const throwing = emptyDomain();
  Object.defineProperty(throwing, 'vars', { get() { throw new TypeError('boom'); } });
  rejects(() => validateDomain(throwing), 'domain', 'malformed domain: boom');
  const cyclic = emptyDomain();
  const list: { list: unknown[] } = { list: [] };
  list.list.push(list);
  cyclic.consts.push({ name: 'c', value: list as never });
  assert.throws(() => validateDomain(cyclic), (e: unknown) => e instanceof DomainError);
  const proxy = new Proxy({}, { get() { throw new Error('proxy'); }, ownKeys() { throw new Error('keys'); } });
  rejects(() => validateDomain(proxy as Domain), 'domain', 'malformed domain: proxy');
});

test('data domains: random damage to real domains only ever gives DomainError', () => {
  const garbage: unknown[] = [5, null, 'x', '', true, [], {}, [1], { name: 5 }, { lit: {} }, { list: 3 }, { nil: true }, undefined];
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const domains = builtinDomainNames().map((n) => stripPos(parseDomain(readBuiltinDomain(n).text)));
  for (let round = 0; round < 400; round++) {
    const d = JSON.parse(JSON.stringify(domains[round % domains.length])) as Record<string, unknown>;
    // Walk a random path down the tree and replace what is there.
    let node: Record<string, unknown> | unknown[] = d;
    for (let depth = 0; depth < 1 + rand(12); depth++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const k = keys[rand(keys.length)]!;
      const child = (node as Record<string, unknown>)[k];
      if (child === null || typeof child !== 'object' || rand(4) === 0) {
        (node as Record<string, unknown>)[k] = garbage[rand(garbage.length)];
        break;
      }
      node = child as Record<string, unknown>;
    }
    try {
      validateDomain(d as unknown as Domain);
    } catch (e) {
      if (!(e instanceof DomainError)) assert.unreachable(`not a DomainError: ${String(e)}`);
    }
  }
});

test.run();
