/**
 * ContextService without gRPC: open, update, plan (equal to
 * PlannerService.plan on the same full state), versions, the state log,
 * owners, caps, idle timeout, and changes refused with exact messages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pino } from 'pino';
import { importLibrary, type JsonState, type JsonValue, type TodoItem } from '../../../server/src/planner/index.js';
import { InlinePlanner, PlannerPool } from '../../../server/src/pool/index.js';
import { DomainRegistry, MemoryDomainStore, PlannerService } from '../../../server/src/services/engine/index.js';
import { ContextService, type Caller, type StateChange } from '../../../server/src/services/context/index.js';
import { blocksProblem } from '../../../bench/cases/blocks-world.js';
import { TRAVEL } from '../../support/queue-fixtures.js';

const library = await importLibrary();
const registry = await DomainRegistry.open(library, new MemoryDomainStore(), pino({ level: 'silent' }));
const pool = new PlannerPool({ size: 1 });
const planner = new PlannerService(registry, pool, new InlinePlanner(library));
const alice: Caller = { username: 'alice', admin: false };
const bob: Caller = { username: 'bob', admin: false };
const root: Caller = { username: 'root', admin: true };

test.after(() => pool.close());

/** What a call threw: its name, code and message. */
async function thrown(f: () => unknown): Promise<{ name: string; code: string; message: string }> {
  try {
    await f();
  } catch (err) {
    const e = err as Error & { code: string };
    return { name: e.name, code: e.code, message: e.message };
  }
  throw new Error('expected a failure');
}

async function same(domain: string, state: JsonState, todo: TodoItem[], changes: StateChange[], full: JsonState): Promise<void> {
  const svc = new ContextService(planner);
  const { id } = svc.open(alice, domain, state);
  svc.update(alice, id, changes);
  const viaContext = await svc.plan(alice, id, todo, {});
  const direct = await planner.plan({ domain, problem: { state: full, todo }, options: {} });
  assert.equal(viaContext.result.status, direct.result.status);
  assert.equal(viaContext.result.status === 'plan' && viaContext.result.plan, direct.result.status === 'plan' && direct.result.plan);
  assert.equal(svc.getState(alice, id).state, full);
  svc.closeAll();
}

test('plans equal PlannerService.plan on the same full state (travel, blocks N=10 and N=100, after changes)', async () => {
  await same('simple_htn', TRAVEL.state, TRAVEL.todo, [], TRAVEL.state);
  const richer = { ...TRAVEL.state, cash: { alice: 100, bob: 15 } };
  await same('simple_htn', TRAVEL.state, TRAVEL.todo, [{ kind: 'set', var: 'cash', key: 'alice', value: 100 }], richer);
  const walking = { ...TRAVEL.state, loc: { ...TRAVEL.state.loc, alice: 'park' } };
  await same('simple_htn', TRAVEL.state, [['travel', 'alice', 'park']], [{ kind: 'set', var: 'loc', key: 'alice', value: 'park' }], walking);
  for (const n of [10, 100]) {
    const p = blocksProblem(n, 3);
    // A clear block that sits on another goes to the table: two changes in the context, the same in the full state.
    const pos = (p.state.pos as { __intkeys__: [number, JsonValue][] }).__intkeys__;
    const clear = (p.state.clear as { __intkeys__: [number, JsonValue][] }).__intkeys__;
    const [b, under] = pos.find(([k, v]) => v !== 'table' && clear.some(([c, t]) => c === k && t === true))! as [number, number];
    const moved = {
      ...p.state,
      pos: { __intkeys__: pos.map(([k, v]) => [k, k === b ? 'table' : v]) },
      clear: { __intkeys__: clear.map(([k, v]) => [k, k === under ? true : v]) },
    } as JsonState;
    const changes: StateChange[] = [{ kind: 'set', var: 'pos', key: b, value: 'table' }, { kind: 'set', var: 'clear', key: under, value: true }];
    await same('blocks_gtn', p.state, p.todo, changes, moved);
  }
});

test('versions increase by one per update; an empty update keeps it; removals; the log; state bytes', () => {
  const svc = new ContextService(planner);
  const o = svc.open(alice, 'simple_htn', TRAVEL.state);
  assert.equal(o.version, 1);
  assert.equal(svc.update(alice, o.id, [{ kind: 'remove', var: 'loc', key: 'bob' }]).version, 2);
  assert.equal(svc.update(alice, o.id, []).version, 2);
  const u = svc.update(alice, o.id, [{ kind: 'remove_var', var: 'owe' }, { kind: 'remove', var: 'cash', key: 'nobody' }, { kind: 'replace', var: 'mood', value: 'calm' }]);
  assert.equal(u.version, 3);
  const view = svc.getState(alice, o.id);
  assert.equal(view.state, { loc: { alice: 'home_a', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, mood: 'calm' });
  assert.is(view.bytes, Buffer.byteLength(JSON.stringify(view.state)));
  assert.is(u.bytes, view.bytes);
  assert.equal(svc.stateLog(alice, o.id).map((e) => e.version), [2, 3]);
  assert.is(svc.update(alice, o.id, [], 3).version, 3);
  svc.closeAll();
});

test('names like __proto__ and constructor stay data, as variables and as keys', () => {
  const svc = new ContextService(planner);
  const { id } = svc.open(alice, 'simple_htn', {});
  svc.update(alice, id, [
    { kind: 'set', var: '__proto__', key: 'constructor', value: 1 },
    { kind: 'set', var: 'm', key: '__proto__', value: 2 },
    { kind: 'replace', var: 'constructor', value: 'x' },
  ]);
  const { state, bytes } = svc.getState(alice, id);
  assert.equal(Object.keys(state), ['__proto__', 'm', 'constructor']);
  assert.equal(JSON.parse(JSON.stringify(state)), JSON.parse('{"__proto__":{"constructor":1},"m":{"__proto__":2},"constructor":"x"}'));
  assert.is(bytes, Buffer.byteLength(JSON.stringify(state)));
  svc.update(alice, id, [{ kind: 'remove', var: 'm', key: '__proto__' }]);
  assert.equal(JSON.stringify(svc.getState(alice, id).state), '{"__proto__":{"constructor":1},"m":{},"constructor":"x"}');
  svc.closeAll();
});

test('bad changes are refused with exact messages, all or none', async () => {
  const svc = new ContextService(planner);
  const { id } = svc.open(alice, 'simple_htn', { ...TRAVEL.state, flag: true, nums: { __intkeys__: [[1, 'a']] } });
  const cases: Array<[StateChange, string]> = [
    [{ kind: 'set', var: 'flag', key: 'x', value: 1 }, 'changes[1].set.var: state variable "flag" is not a map'],
    [{ kind: 'set', var: 'loc', key: 3, value: 1 }, 'changes[1].set.key: state variable "loc" has symbol keys, not number keys'],
    [{ kind: 'remove', var: 'nums', key: 'a' }, 'changes[1].remove.key: state variable "nums" has number keys, not symbol keys'],
    [{ kind: 'set', var: '', key: 'x', value: 1 }, 'changes[1].set.var: must not be empty'],
    [{ kind: 'replace', var: '', value: 1 }, 'changes[1].replace.name: must not be empty'],
    [{ kind: 'remove_var', var: '' }, 'changes[1].remove_var: must not be empty'],
  ];
  for (const [change, message] of cases) {
    const e = await thrown(() => svc.update(alice, id, [{ kind: 'set', var: 'cash', key: 'alice', value: 0 }, change]));
    assert.equal([e.code, e.message], ['invalid_argument', message]);
  }
  // Nothing of the refused updates stuck.
  assert.equal(svc.getState(alice, id).version, 1);
  assert.is((svc.getState(alice, id).state.cash as Record<string, number>).alice, 20);
  const stale = await thrown(() => svc.update(alice, id, [], 7));
  assert.equal([stale.code, stale.message], ['failed_precondition', `context ${id} is at version 1, not 7`]);
  svc.closeAll();
});

test('the state log is bounded in entries and in bytes', () => {
  const svc = new ContextService(planner, { maxLogEntries: 3, maxStateBytes: 1000 });
  const { id } = svc.open(alice, 'simple_htn', {});
  for (let i = 0; i < 5; i++) svc.update(alice, id, [{ kind: 'set', var: 'n', key: 'i', value: i }]);
  assert.equal(svc.stateLog(alice, id).map((e) => e.version), [4, 5, 6]);
  // Each replace is about 600 bytes of changes: only the last fits under 1000.
  for (let i = 0; i < 3; i++) svc.update(alice, id, [{ kind: 'replace', var: 'big', value: String(i).repeat(600) }]);
  assert.equal(svc.stateLog(alice, id).map((e) => e.version), [9]);
  svc.closeAll();
});

test('owners: another user is refused, an admin is let in; unknown ids are NOT_FOUND', async () => {
  const svc = new ContextService(planner);
  const { id } = svc.open(alice, 'simple_htn', TRAVEL.state);
  const e = await thrown(() => svc.plan(bob, id, TRAVEL.todo, {}));
  assert.equal([e.code, e.message], ['permission_denied', `context ${id} belongs to another user`]);
  assert.equal((await thrown(() => svc.close(bob, id))).code, 'permission_denied');
  assert.is(svc.getState(root, id).version, 1);
  const missing = await thrown(() => svc.getState(alice, 'nope'));
  assert.equal([missing.code, missing.message], ['not_found', 'no context "nope" (closed, timed out, or never opened)']);
  assert.equal((await thrown(() => svc.open(alice, 'no_such_domain', {}))).code, 'not_found');
  assert.is(svc.close(alice, id), true);
  assert.is(svc.close(alice, id), false);
});

test('caps: state bytes and contexts per owner are RESOURCE_EXHAUSTED; closing frees a place', async () => {
  const svc = new ContextService(planner, { maxStateBytes: 200, maxPerOwner: 2 });
  const big = await thrown(() => svc.open(alice, 'simple_htn', { x: 'y'.repeat(300) }));
  assert.equal([big.code, big.message], ['resource_exhausted', 'state: the state would take 308 bytes, over the cap of 200 bytes per context']);
  const a = svc.open(alice, 'simple_htn', {});
  const grow = await thrown(() => svc.update(alice, a.id, [{ kind: 'replace', var: 'x', value: 'y'.repeat(300) }]));
  assert.equal([grow.code, grow.message], ['resource_exhausted', 'changes: the state would take 308 bytes, over the cap of 200 bytes per context']);
  svc.open(alice, 'simple_htn', {});
  const third = await thrown(() => svc.open(alice, 'simple_htn', {}));
  assert.equal([third.code, third.message], ['resource_exhausted', 'alice has 2 open contexts, the most allowed; close some first']);
  svc.open(bob, 'simple_htn', {});
  svc.close(alice, a.id);
  svc.open(alice, 'simple_htn', {});
  svc.closeAll();
  assert.is(svc.size, 0);
});

test('an idle context is closed after its timeout; one in use is kept', async () => {
  const svc = new ContextService(planner, { maxIdleMs: 600_000 });
  const idle = svc.open(alice, 'simple_htn', {}, 30);
  const busy = svc.open(alice, 'simple_htn', {}, 400);
  assert.is(svc.open(alice, 'simple_htn', {}, 999_999_999).idleMs, 600_000);
  assert.is(svc.open(alice, 'simple_htn', {}).idleMs, 5 * 60_000);
  // Bounded wait for the short one; the long one is touched meanwhile (every 20 ms, well under its 400 ms), so it stays.
  // Four open; waiting for three looks without touching (a getState would count as use).
  const until = Date.now() + 10_000;
  while (Date.now() < until && svc.size === 4) {
    svc.getState(alice, busy.id);
    await new Promise((r) => setTimeout(r, 20));
  }
  const gone = await thrown(() => svc.getState(alice, idle.id));
  assert.is(gone.code, 'not_found');
  assert.is(svc.getState(alice, busy.id).version, 1);
  svc.closeAll();
});

test.run();
