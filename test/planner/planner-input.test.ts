/**
 * Malformed input through the public API: problems throw InvalidArgumentError
 * naming the field; domains (text and data) throw DomainError naming the
 * place. (The parser's and validator's own tests cover domains in depth.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError, InvalidArgumentError, loadDomain, readBuiltinDomain, type Domain, type Problem } from '../../server/src/planner/index.js';

const d = loadDomain(readBuiltinDomain('simple_htn').text);
const GOOD: Problem = {
  state: { loc: { alice: 'home_a' }, cash: { alice: 20 }, owe: { alice: 0 } },
  todo: [['travel', 'alice', 'park']],
};

/** Asserts that planning `p` throws InvalidArgumentError whose field is `field` and whose message contains `text`. */
function rejects(p: unknown, field: string, text: string | RegExp): void {
  try {
    d.plan(p as Problem);
  } catch (e) {
    assert.instance(e, InvalidArgumentError);
    assert.is((e as InvalidArgumentError).field, field);
    assert.match((e as Error).message, field);
    assert.match((e as Error).message, text);
    return;
  }
  assert.unreachable(`no InvalidArgumentError for ${JSON.stringify(p)}`);
}

const withState = (extra: Record<string, unknown>): unknown => ({ ...GOOD, state: { ...GOOD.state, ...extra } });

test('the good problem plans (the cases below differ from it in one field)', () => {
  const r = d.plan(GOOD);
  assert.equal(r.status === 'plan' && r.plan, [['call_taxi', 'alice', 'home_a'], ['ride_taxi', 'alice', 'park'], ['pay_driver', 'alice', 'park']]);
});

test('state that is not an object', () => {
  for (const state of [[], 'x', null, 3]) rejects({ ...GOOD, state }, 'state', /object/);
  rejects({ todo: GOOD.todo }, 'state', /required/);
  rejects(null, 'problem', /object/);
});

test('todo that is not a list', () => {
  for (const todo of [{}, 'travel', null, undefined]) rejects({ ...GOOD, todo }, 'todo', /list/);
});

test('todo items that are not [name, ...args] or a multigoal', () => {
  rejects({ ...GOOD, todo: [[]] }, 'todo[0]', /\[name/);
  rejects({ ...GOOD, todo: [[1, 'a']] }, 'todo[0]', /\[name/);
  rejects({ ...GOOD, todo: ['travel'] }, 'todo[0]', /\[name/);
  rejects({ ...GOOD, todo: [['travel', 'alice', 'park'], 5] }, 'todo[1]', /\[name/);
  rejects({ ...GOOD, todo: [{ __multigoal__: 5, vars: {} }] }, 'todo[0].__multigoal__', /string/);
  rejects({ ...GOOD, todo: [{ __multigoal__: 'g', vars: [] }] }, 'todo[0].vars', /object/);
});

test('__intkeys__ with keys that are not integers', () => {
  rejects(withState({ pos: { __intkeys__: { a: 1 } } }), 'state.pos.__intkeys__', /"a" is not an integer/);
  rejects(withState({ pos: { __intkeys__: { '1.5': 1 } } }), 'state.pos.__intkeys__', /not an integer/);
  rejects(withState({ pos: { __intkeys__: [['a', 1]] } }), 'state.pos.__intkeys__[0]', /integer/);
  rejects(withState({ pos: { __intkeys__: 3 } }), 'state.pos', /__intkeys__/);
  // The same in a multigoal's goals (written without per-goal objects): the place of the pair, or of the key's value.
  const mg = (pairs: unknown): unknown => ({ ...GOOD, todo: [{ __multigoal__: 'g', vars: { loc: { __intkeys__: pairs } } }] });
  rejects(mg([[1, 'park'], ['x', 2]]), 'todo[0].vars.loc.__intkeys__[1]', /\[integer, value\] pair/);
  rejects(mg([[1, 'park'], 5]), 'todo[0].vars.loc.__intkeys__[1]', /\[integer, value\] pair/);
  rejects(mg([[1.5, 'park']]), 'todo[0].vars.loc.__intkeys__[0]', /\[integer, value\] pair/);
  rejects(mg([[1, 'park'], [7, NaN]]), 'todo[0].vars.loc[7]', /NaN/);
  // A state value's place names its own key, not the last one written.
  rejects(withState({ pos: { __intkeys__: [[1, 'a'], [2, NaN], [3, 'b']] } }), 'state.pos[2]', /NaN/);
  rejects(withState({ pos: { a: 1, b: Infinity, c: 2 } }), 'state.pos.b', /Infinity/);
});

test('NaN and Infinity anywhere in the problem', () => {
  rejects(withState({ cash: { alice: NaN } }), 'state.cash.alice', /NaN/);
  rejects(withState({ cash: { alice: Infinity } }), 'state.cash.alice', /Infinity/);
  rejects({ ...GOOD, todo: [['travel', 'alice', -Infinity]] }, 'todo[0][2]', /Infinity/);
});

test('other malformed values name their place', () => {
  rejects(withState({ s: { a: { __set__: 'x' } } }), 'state.s.a', /__set__/);
  rejects(withState({ cash: { alice: undefined } }), 'state.cash.alice', /undefined/);
});

test('verify_goals that is not a boolean', () => {
  for (const v of ['yes', 1, null]) rejects({ ...GOOD, verify_goals: v }, 'verify_goals', /boolean/);
});

test('a rejected problem leaves the handle usable', () => {
  rejects(withState({ cash: { alice: NaN } }), 'state.cash.alice', /NaN/);
  assert.is(d.plan(GOOD).status, 'plan');
});

/** Asserts that loading `src` throws DomainError at `where` with `text` in its message. */
function badDomain(src: unknown, where: string, text: string | RegExp, file?: string): void {
  try {
    loadDomain(src as string | Domain, file === undefined ? {} : { file });
  } catch (e) {
    assert.instance(e, DomainError);
    assert.is((e as DomainError).where, where);
    assert.ok((e as Error).message.startsWith(`${where}: `), (e as Error).message);
    assert.match((e as Error).message, text);
    return;
  }
  assert.unreachable(`no DomainError for ${JSON.stringify(src)}`);
}

test('malformed text domains: DomainError at file:line:col', () => {
  badDomain('domain d\naction a( { }\n', 'x.aria:2:11', /parameter name/, 'x.aria');
  badDomain('domain d\naction a() { v[1] = 2 }\n', 'x.aria:2:14', "unknown name 'v'", 'x.aria');
  badDomain('domain d\nfn f(x) { return x }\nfn g() { return f(1, 2) }\n', 'x.aria:3:17', /'f' takes 1 argument/, 'x.aria');
  badDomain('domain d\naction a(x) { }\ntask t { method m() { return [a()] } }\n', 'x.aria:3:31', /'a' takes 1 argument/, 'x.aria');
  badDomain('domain d\naction a() { }\naction a() { }\n', 'x.aria:3:1', /duplicate action 'a'/, 'x.aria');
  badDomain('domain d\nvar v\nfn f() {\n  v[1] = 2\n  return 1\n}\n', 'x.aria:4:3', /only be changed in actions/, 'x.aria');
  badDomain("domain d\naction a() { break }\n", 'x.aria:2:14', /'break' outside a loop/, 'x.aria');
  badDomain("domain d\nfn f(x) { return f(x) }\n", 'x.aria:2:1', /no base case/, 'x.aria');
  badDomain("domain d\nfn f() { return 'a' + 1 }\n", 'x.aria:2:21', /type error/, 'x.aria');
  // Without a file name the place is <domain>.
  badDomain('', '<domain>:1:1', /domain <name>/);
});

test('malformed data domains: DomainError at a data path', () => {
  const base = { name: 'dd', vars: [], consts: [], functions: [], actions: [], commands: [], tasks: [], unigoals: [], multigoals: [] };
  assert.is(loadDomain(base as Domain).name, 'dd');
  const call = { call: { fn: 'nope', args: [] } };
  badDomain({ ...base, tasks: [{ name: 't', methods: [{ name: 'm', params: [], body: [{ return: { value: { list: [call] } } }] }] }] },
    'tasks[0].methods[0].body[0].return.value.list[0]', "unknown name 'nope'");
  badDomain({ ...base, actions: [{ name: 'a', params: [], body: [{ frob: 1 }] }] }, 'actions[0].body[0]', /statement kind 'frob'/);
  badDomain({ ...base, actions: [{ name: 'a', params: [], body: [] }, { name: 'a', params: [], body: [] }] }, 'actions[1]', /duplicate action/);
  badDomain({ ...base, actions: [{ name: 'a', params: 'x', body: [] }] }, 'actions[0].params', /array/);
  badDomain({ name: 'dd' }, 'domain', /vars/);
  badDomain(null, 'domain', /object/);
  badDomain(5, 'domain', /object/);
});

test('a data domain plans like its text form', () => {
  const text = loadDomain(readBuiltinDomain('simple_htn').text);
  const data = loadDomain(JSON.parse(JSON.stringify(text.domain)) as Domain);
  assert.equal(data.plan(GOOD), text.plan(GOOD));
  assert.is(data.hash, text.hash);
});

test.run();
