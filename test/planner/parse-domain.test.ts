import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Domain, Expr, Stmt } from '../../server/src/planner/language/ast.js';
import { builtinDomainNames, readBuiltinDomain } from '../../server/src/planner/builtin-domains.js';
import { DomainError } from '../../server/src/planner/errors.js';
import { parseDomain } from '../../server/src/planner/language/parse-domain.js';

/** The domain without positions, for comparing shapes. */
function strip<T>(x: T): T {
  if (Array.isArray(x)) return x.map(strip) as T;
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'pos').map(([k, v]) => [k, strip(v)])) as T;
  }
  return x;
}

/** The expression of `fn f(...) { return EXPR }`. */
function expr(src: string): Expr {
  const d = parseDomain(`domain d\nfn f() { return ${src} }\n`);
  const s = d.functions[0]!.body[0]!;
  assert.ok('return' in s);
  return strip((s as { return: { value: Expr } }).return.value);
}

/** The statements of `action a(...) { BODY }`. */
function body(src: string): Stmt[] {
  return strip(parseDomain(`domain d\naction a() {\n${src}\n}\n`).actions[0]!.body);
}

function syntaxError(src: string, where: string, message: string): void {
  try {
    parseDomain(src, 'f.aria');
  } catch (e) {
    assert.instance(e, DomainError);
    const err = e as DomainError;
    assert.is(err.where, where);
    assert.is(err.message, `${where}: ${message}`);
    return;
  }
  assert.unreachable(`no error for ${JSON.stringify(src)}`);
}

const sym = (s: string): Expr => ({ lit: { sym: s } });
const num = (n: number): Expr => ({ lit: { num: n } });
const name = (n: string): Expr => ({ name: n });

const BUILTINS = [
  'backtracking_htn', 'blocks_goal_splitting', 'blocks_gtn', 'blocks_hgn', 'blocks_htn', 'logistics_hgn',
  'probe_misc', 'probe_multigoal_backtrack', 'probe_split', 'probe_task_backtrack', 'probe_unigoal_backtrack',
  'probe_verify', 'pyhop_simple_travel_example', 'rll_probe', 'simple_hgn', 'simple_htn', 'simple_htn_acting_error',
];

test('the built-in domains are listed and parse', () => {
  const names = builtinDomainNames();
  for (const n of BUILTINS) assert.ok(names.includes(n), `missing built-in domain ${n}`);
  for (const n of names) {
    const { text, file } = readBuiltinDomain(n);
    assert.ok(file.endsWith(`domains/${n}.aria`));
    assert.is(parseDomain(text, file).name, n);
  }
});

test('an unknown built-in domain is a DomainError naming the known ones', () => {
  try {
    readBuiltinDomain('../package');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DomainError);
    assert.is((e as DomainError).where, '');
    assert.ok((e as Error).message.startsWith("unknown domain '../package'; built-in domains: backtracking_htn, blocks_goal_splitting,"));
  }
});

test('declarations: every kind, repeated blocks merged, the builtin multigoal method', () => {
  const d = parseDomain([
    'domain demo  # a comment',
    'var loc, on-table',
    "const types = {'person': {'alice'}, 'n': [1, 2], 'none': {}}",
    'fn rate(d) { return 1.5 + 0.5 * d }',
    'action walk(p, y) { loc[p] = y }',
    'command walk(p, y) { loc[p] = y }',
    'task travel {',
    '  method a(p, y) { return [] }',
    '}',
    'unigoal loc { method m(x, v) { return [walk(x, v)] } }',
    'task travel { method b(p, y) { fail } }',
    'multigoal {',
    '  method mg(g) { return [] }',
    '  builtin split_multigoal',
    '}',
  ].join('\n'));
  assert.is(d.name, 'demo');
  assert.equal(d.vars.map((v) => v.name), ['loc', 'on-table']);
  assert.equal(strip(d.consts[0]!.value), {
    map: [
      { key: sym('person'), value: { set: [sym('alice')] } },
      { key: sym('n'), value: { list: [num(1), num(2)] } },
      { key: sym('none'), value: { set: [] } },
    ],
  });
  assert.equal(d.functions.map((f) => [f.name, f.params]), [['rate', ['d']]]);
  assert.equal(d.actions.map((a) => a.name), ['walk']);
  assert.equal(d.commands.map((a) => a.name), ['walk']);
  assert.is(d.tasks.length, 1);
  assert.equal(d.tasks[0]!.methods.map((m) => m.name), ['a', 'b']);
  assert.equal(d.tasks[0]!.pos, { line: 7, col: 1 });
  assert.equal(strip(d.unigoals), [{ var: 'loc', methods: [{ name: 'm', params: ['x', 'v'], body: [{ return: { value: { list: [{ call: { fn: 'walk', args: [name('x'), name('v')] } }] } } }] }] }]);
  assert.equal(strip(d.multigoals), [
    { name: 'mg', params: ['g'], body: [{ return: { value: { list: [] } } }] },
    { name: 'm_split_multigoal', params: [], body: [], builtin: 'split_multigoal' },
  ]);
});

test('positions are recorded on declarations, statements and expressions', () => {
  const d: Domain = parseDomain('domain d\nvar loc\naction walk(p, y) {\n  require loc[p] != y\n  loc[p] = y\n}\n');
  const a = d.actions[0]!;
  assert.equal(d.vars[0]!.pos, { line: 2, col: 5 });
  assert.equal(a.pos, { line: 3, col: 1 });
  const req = a.body[0]!;
  assert.equal(req.pos, { line: 4, col: 3 });
  const test = (req as { require: Expr }).require;
  assert.equal(test.pos, { line: 4, col: 18 }); // the operator
  const lhs = (test as { binary: { left: Expr } }).binary.left;
  assert.equal(lhs.pos, { line: 4, col: 14 }); // the '['
  assert.equal((lhs as { index: { base: Expr } }).index.base.pos, { line: 4, col: 11 });
  assert.equal(a.body[1]!.pos, { line: 5, col: 3 });
});

test('operator precedence and associativity', () => {
  assert.equal(expr('a or b and not c == d'), {
    binary: { op: 'or', left: name('a'), right: { binary: { op: 'and', left: name('b'), right: { unary: { op: 'not', arg: { binary: { op: '==', left: name('c'), right: name('d') } } } } } } },
  });
  assert.equal(expr('1 - 2 - 3'), { binary: { op: '-', left: { binary: { op: '-', left: num(1), right: num(2) } }, right: num(3) } });
  assert.equal(expr('a + b * -c // 2 % 3'), {
    binary: { op: '+', left: name('a'), right: { binary: { op: '%', left: { binary: { op: '//', left: { binary: { op: '*', left: name('b'), right: { unary: { op: '-', arg: name('c') } } } }, right: num(2) } }, right: num(3) } } },
  });
  assert.equal(expr('x not in s'), { binary: { op: 'not in', left: name('x'), right: name('s') } });
  assert.equal(expr('-3'), num(-3));
  assert.equal(expr('2e3 + 1.5'), { binary: { op: '+', left: num(2000), right: num(1.5) } });
});

test('names with dashes, and subtraction with spaces', () => {
  assert.equal(expr('on-table'), name('on-table'));
  assert.equal(expr('a - b'), { binary: { op: '-', left: name('a'), right: name('b') } });
  assert.equal(expr('a -1'), { binary: { op: '-', left: name('a'), right: num(1) } });
  assert.equal(expr('x- 1'), { binary: { op: '-', left: name('x'), right: num(1) } });
});

test('literals: symbols, booleans, nil, tuples and grouping', () => {
  assert.equal(expr(`"a" == 'b'`), { binary: { op: '==', left: sym('a'), right: sym('b') } });
  assert.equal(expr(`'it\\'s'`), sym("it's"));
  assert.equal(expr('[true, false, nil]'), { list: [{ lit: { bool: true } }, { lit: { bool: false } }, { lit: { nil: true } }] });
  assert.equal(expr('(a)'), name('a'));
  assert.equal(expr('(a,)'), { tuple: [name('a')] });
  assert.equal(expr("('walk', a, b)"), { tuple: [sym('walk'), name('a'), name('b')] });
  assert.equal(expr('()'), { tuple: [] });
  assert.equal(expr('[]'), { list: [] });
  assert.equal(expr('{a, b,}'), { set: [name('a'), name('b')] });
});

test('calls, indexing, fields and comprehensions', () => {
  assert.equal(expr('take(x)'), { call: { fn: 'take', args: [name('x')] } });
  assert.equal(expr('f()'), { call: { fn: 'f', args: [] } });
  assert.equal(expr('mg.pos[x][0]'), { index: { base: { index: { base: { field: { base: name('mg'), name: 'pos' } }, key: name('x') } }, key: num(0) } });
  assert.equal(expr('[x for x in clear if clear[x] == true]'), {
    comp: { elem: name('x'), vars: ['x'], iter: name('clear'), cond: { binary: { op: '==', left: { index: { base: name('clear'), key: name('x') } }, right: { lit: { bool: true } } } } },
  });
  assert.equal(expr('[set_v(k, v) for k, v in mg.v]'), {
    comp: { elem: { call: { fn: 'set_v', args: [name('k'), name('v')] } }, vars: ['k', 'v'], iter: { field: { base: name('mg'), name: 'v' } } },
  });
});

test('multigoal literals', () => {
  assert.equal(expr("multigoal 'goal1' { pos['a'] = 'b'; clear['a'] = true\n  holding['hand'] = false }"), {
    multigoal: {
      name: 'goal1',
      goals: [
        { var: 'pos', key: sym('a'), value: sym('b') },
        { var: 'clear', key: sym('a'), value: { lit: { bool: true } } },
        { var: 'holding', key: sym('hand'), value: { lit: { bool: false } } },
      ],
    },
  });
  assert.equal(expr("multigoal 'g' {}"), { multigoal: { name: 'g', goals: [] } });
});

test('statements', () => {
  assert.equal(body([
    'let x = 1; x = x + 1',
    "loc['a'] = x",
    'if a { fail } else if b { return } else { return }',
    'for k, v in loc { if v { break }; continue }',
    'require x > 0',
    'choose y in s',
    'return [y]',
  ].join('\n')), [
    { let: { name: 'x', value: num(1) } },
    { assign: { target: name('x'), value: { binary: { op: '+', left: name('x'), right: num(1) } } } },
    { assign: { target: { index: { base: name('loc'), key: sym('a') } }, value: name('x') } },
    { if: { test: name('a'), then: [{ fail: true }], else: [{ if: { test: name('b'), then: [{ return: {} }], else: [{ return: {} }] } }] } },
    { for: { vars: ['k', 'v'], iter: name('loc'), body: [{ if: { test: name('v'), then: [{ break: true }], else: [] } }, { continue: true }] } },
    { require: { binary: { op: '>', left: name('x'), right: num(0) } } },
    { choose: { name: 'y', iter: name('s') } },
    { return: { value: { list: [name('y')] } } },
  ]);
});

test("statement keywords are names elsewhere: an action called 'fail'", () => {
  const d = parseDomain('domain d\naction fail() { fail }\ntask t { method m() { return [fail()] } }\n');
  assert.equal(strip(d.actions[0]), { name: 'fail', params: [], body: [{ fail: true }] });
  assert.equal(strip(d.tasks[0]!.methods[0]!.body), [{ return: { value: { list: [{ call: { fn: 'fail', args: [] } }] } } }]);
});

test('newline rule: a line break ends a statement unless an operand is missing', () => {
  assert.equal(body('let y = a and\n  b'), [{ let: { name: 'y', value: { binary: { op: 'and', left: name('a'), right: name('b') } } } }]);
  assert.equal(body('return [a,\n  (b, c),\n  d]'), [{ return: { value: { list: [name('a'), { tuple: [name('b'), name('c')] }, name('d')] } } }]);
  assert.equal(body('let y = f(\n  a,\n  b)'), [{ let: { name: 'y', value: { call: { fn: 'f', args: [name('a'), name('b')] } } } }]);
  assert.equal(body('let y = [a\n  and b]'), [{ let: { name: 'y', value: { list: [{ binary: { op: 'and', left: name('a'), right: name('b') } }] } } }]);
  assert.equal(body('return\nx = 1'), [{ return: {} }, { assign: { target: name('x'), value: num(1) } }]);
});

test('newline rule: a [ or ( at the start of a line never continues the expression', () => {
  syntaxError('domain d\nfn f(x) { let y = x\n [1, 2] }\n', 'f.aria:3:2', "expected a statement or '}' to close function 'f' opened at 2:1, found '['");
  syntaxError('domain d\nfn f(x) { let y = f\n(x) }\n', 'f.aria:3:1', "expected a statement or '}' to close function 'f' opened at 2:1, found '('");
  syntaxError('domain d\nfn f(x) { return [f\n(x)] }\n', 'f.aria:3:1', "expected ',' or ']' in list opened at 2:18, found '('");
  syntaxError('domain d\nfn f(x) { let y = x\n and x }\n', 'f.aria:3:2', "expected a statement or '}' to close function 'f' opened at 2:1, found 'and'");
});

test('syntax errors name the place and what was expected', () => {
  const cases: [string, string, string][] = [
    ['domain d\nvar loc\n\ntask travel {\n  method m(p) { return [] }\n', 'f.aria:6:1', "expected '}' to close task 'travel' opened at 4:1, found end of file"],
    ['domain d\ntask t {\n  method a() {\n    return []\n  method b() { return [] }\n}\n', 'f.aria:5:3', "expected '}' to close method 'a' opened at 3:3, found 'method'"],
    ['domain d\nfn f() { if x {\n return 1\n}\n', 'f.aria:5:1', "expected '}' to close function 'f' opened at 2:1, found end of file"],
    ['domain d\naction a() { let x = "abc }\n', 'f.aria:2:22', 'unterminated string'],
    ['domain d\nfn f() { return "a\\q" }\n', 'f.aria:2:19', "unknown escape '\\q' in string"],
    ['domain d\naction a() { let x = 1 @ 2 }\n', 'f.aria:2:24', "unexpected character '@'"],
    ['domain d\naction a() { require !x }\n', 'f.aria:2:22', "unexpected character '!' (write 'not' or '!=')"],
    ['domain d\nfn f() { return 1e }\n', 'f.aria:2:17', "malformed number '1e'"],
    ['domain d\nfn f() { return 1.2.3 }\n', 'f.aria:2:17', "malformed number '1.2.3'"],
    ['var x\n', 'f.aria:1:1', "expected 'domain <name>' at the start of the file, found 'var'"],
    ['', 'f.aria:1:1', "expected 'domain <name>' at the start of the file, found end of file"],
    ['domain d\ndomain e\n', 'f.aria:2:1', "the domain's name is already given at 1:1"],
    ['domain d\nfoo bar\n', 'f.aria:2:1', 'expected a declaration (var, const, fn, action, command, task, unigoal or multigoal), found \'foo\''],
    ['domain d\nfn f(x) { return x } fn g() {}\n', 'f.aria:2:22', "expected a new line after function 'f', found 'fn'"],
    ['domain d\nfn f() { let x = 1 2 }\n', 'f.aria:2:20', 'expected end of statement after \'let x = ...\', found number 2'],
    ['domain d\naction a() { fail 3 }\n', 'f.aria:2:19', "expected end of statement after 'fail', found number 3"],
    ['domain d\nfn f(x) { return 1 < x < 3 }\n', 'f.aria:2:24', "comparisons cannot be chained: write 'a < b and b < c'"],
    ['domain d\nfn f(x) { let if = 3 }\n', 'f.aria:2:15', "expected a local name after 'let', found reserved word 'if'"],
    ['domain d\nfn f(x) { else { } }\n', 'f.aria:2:11', "'else' without 'if' (it must follow the '}' of an 'if' block)"],
    ['domain d\nfn f() { if x { } else }\n', 'f.aria:2:24', "expected '{' to open 'else' block, found '}'"],
    ['domain d\ntask t { builtin split_multigoal }\n', 'f.aria:2:10', "'builtin' methods exist only in a multigoal block, not in task 't'"],
    ['domain d\nmultigoal { builtin foo }\n', 'f.aria:2:21', "unknown built-in method 'foo'; the only one is 'split_multigoal'"],
    ['domain d\ntask t { x }\n', 'f.aria:2:10', "expected 'method' or '}' in task 't' opened at 2:1, found 'x'"],
    ['domain d\nfn f(x) { let y = (1, 2\n}\n', 'f.aria:3:1', "expected ',' or ')' in tuple opened at 2:19, found '}'"],
    ['domain d\nfn f(x) { let y = (1\n}\n', 'f.aria:3:1', "expected ')' to close '(' opened at 2:19, found '}'"],
    ['domain d\nfn f(x) { f(x) = 3 }\n', 'f.aria:2:16', "cannot assign to this expression: only 'name = ...' and 'var[key] = ...' assign"],
    ['domain d\nfn f(x) { x + 1 }\n', 'f.aria:2:11', "expected a statement, found an expression (only 'name = ...' and 'var[key] = ...' assign)"],
    ['domain d\nconst c = {1: 2, 3}\n', 'f.aria:2:19', "expected ':' after a map key in the map opened at 2:11, found '}'"],
    ['domain d\nfn f() { return multigoal "g" { pos[1] = 2 3 } }\n', 'f.aria:2:44', "expected ';', a new line or '}' after a goal in multigoal 'g', found number 3"],
    ['domain d\nfn f() { return [x for x of y] }\n', 'f.aria:2:26', "expected 'in' after the loop variables, found 'of'"],
    ['domain d\naction a(x y) {}\n', 'f.aria:2:12', "expected ',' or ')' in the parameters of action 'a' opened at 2:9, found 'y'"],
    ['domain d\nfn f() { return mg.(x) }\n', 'f.aria:2:20', "expected a state variable name after '.', found '('"],
    ['domain d\nfn f() { return 1 +\n }\n', 'f.aria:3:2', "expected an expression, found '}'"],
    ['domain d\nfn f() { return x.y(1) }\n', 'f.aria:2:20', 'only a name can be called'],
  ];
  for (const [src, where, message] of cases) syntaxError(src, where, message);
});

test('absurdly deep nesting is a DomainError, not a stack overflow', () => {
  syntaxError(`domain d\nfn f() { return ${'['.repeat(100000)} }`, 'f.aria', 'cannot parse: nested too deeply');
});

test('the file name defaults to <domain>', () => {
  try {
    parseDomain('domain d\n@');
    assert.unreachable();
  } catch (e) {
    assert.is((e as DomainError).where, '<domain>:2:1');
  }
});

test.run();
