/**
 * Unit tests of the gRPC shell's pieces: the value codec, the domain
 * message mapping, the status mapping, and the registry's persistence.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { DomainError, loadDomain, InvalidArgumentError, readBuiltinDomain } from '../../server/src/planner/index.js';
import { parseOrderedJson } from '../../server/src/planner/language/ordered-json.js';
import { BinaryOp } from '../../gen/ts/aria/planner/v1/domain.js';
import { domainFromProto } from '../../server/src/transport/engine/domain-from-proto.js';
import { domainToProto } from '../../server/src/transport/engine/domain-to-proto.js';
import { DomainRegistry } from '../../server/src/services/engine/domain-registry.js';
import { FileDomainStore } from '../../server/src/services/engine/domain-store.js';
import { CallAbortedError, DataLossError, NotFoundError, OverloadError, PreconditionError, WorkerCrashError } from '../../server/src/core/errors.js';
import { LimitError, PlanningError } from '../../server/src/planner/errors.js';
import { importLibrary } from '../../server/src/planner/library.js';
import { jsonToState, jsonToTodo, jsonToValue, stateToJson, todoToJson, valueToJson } from '../../server/src/pool/value-proto.js';
import { mapError, MalformedMessageError, readErrorDetail, toStatus } from '../../server/src/transport/status-mapping.js';

test('values survive JSON -> protobuf -> JSON, integer keys in their order', () => {
  // Written as text: a JavaScript object literal would already have sorted the integer keys.
  const state = parseOrderedJson(`{
    "pos": {"a": "table", "b": "a"}, "clear": {"a": false, "b": true}, "flag": -1,
    "seen": {"__set__": ["x", "y"]}, "nested": {"k": {"deep": [1, 2.5, null, "sym"]}},
    "order": {"__intkeys__": {"3": "c", "1": "a", "2": "b"}}
  }`) as Record<string, never>;
  const back = stateToJson(jsonToState(state));
  assert.equal(back, state);
  assert.equal((back.order as { __intkeys__: unknown }).__intkeys__, [[3, 'c'], [1, 'a'], [2, 'b']]);
  const todo = [['travel', 'alice', 'park'], { __multigoal__: 'goal1', vars: { pos: { a: 'b' } } }] as never;
  assert.equal(todoToJson(jsonToTodo(todo)), todo);
});

test('malformed values name their field', () => {
  const cases: [() => unknown, string][] = [
    [() => valueToJson({}, 'state.vars[0].value'), 'state.vars[0].value'],
    [() => valueToJson({ kind: { $case: 'number', number: NaN } }, 'x'), 'x.number'],
    [() => valueToJson({ kind: { $case: 'map', map: { entries: [{ key: { kind: { $case: 'boolean', boolean: true } }, value: { kind: { $case: 'nil', nil: true } } }] } } }, 'v'), 'v.map.entries[0].key'],
    [() => stateToJson({ vars: [{ name: 'a', value: { kind: { $case: 'nil', nil: true } } }, { name: 'a', value: { kind: { $case: 'nil', nil: true } } }] }), 'state.vars[1].name'],
    [() => todoToJson([{ kind: undefined }]), 'todo[0]'],
  ];
  for (const [fn, field] of cases) {
    try {
      fn();
      assert.unreachable(field);
    } catch (err) {
      assert.instance(err, InvalidArgumentError);
      assert.is((err as InvalidArgumentError).field, field);
    }
  }
  let v: object = { kind: { $case: 'nil', nil: true } };
  for (let i = 0; i < 100; i++) v = { kind: { $case: 'list', list: { items: [v] } } };
  assert.throws(() => valueToJson(v, 'deep'), (e: Error) => e instanceof InvalidArgumentError && /deeper/.test(e.message));
  assert.equal(valueToJson(jsonToValue({ __proto__: 'x' } as never, 'p'), 'p'), {});
});

test('every built-in domain survives model -> Domain message -> model (same hash)', async () => {
  const { builtinDomainNames } = await import('../../server/src/planner/index.js');
  for (const name of builtinDomainNames()) {
    const b = readBuiltinDomain(name);
    const h = loadDomain(b.text, { file: b.file });
    const round = domainFromProto(domainToProto(h.domain));
    assert.equal(round, h.domain, name);
    assert.is(loadDomain(round).hash, h.hash, name);
  }
});

test('a Domain message with an unknown operator names the path', () => {
  try {
    domainFromProto({ name: 'd', vars: [], consts: [{ name: 'c', value: { kind: { $case: 'binary', binary: { op: 99 as BinaryOp, left: { kind: { $case: 'name', name: 'x' } }, right: { kind: { $case: 'name', name: 'x' } } } } } }], functions: [], actions: [], commands: [], tasks: [], unigoals: [], multigoals: [] });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, DomainError);
    assert.is((err as DomainError).where, 'consts[0].value.binary.op');
  }
});

test('status mapping: each failure gets its code, unknown ones INTERNAL with the cause logged only', () => {
  const logged: object[] = [];
  const log = { error: (o: object) => logged.push(o) };
  const codes: [unknown, status][] = [
    [new DomainError('x.aria:1:2', 'bad'), status.INVALID_ARGUMENT],
    [new InvalidArgumentError('state', 'bad'), status.INVALID_ARGUMENT],
    [new MalformedMessageError('aria.planner.v1.PlanRequest', new Error('eof')), status.INVALID_ARGUMENT],
    [new NotFoundError('no domain'), status.NOT_FOUND],
    [new PlanningError('method m didn\'t achieve goal'), status.FAILED_PRECONDITION],
    [new PreconditionError('built in'), status.FAILED_PRECONDITION],
    [new LimitError('expansions', 'too many'), status.RESOURCE_EXHAUSTED],
    [new LimitError('memory', 'too big'), status.RESOURCE_EXHAUSTED],
    [new LimitError('deadline', 'late'), status.DEADLINE_EXCEEDED],
    [new LimitError('cancelled', 'stop'), status.CANCELLED],
    [new CallAbortedError('deadline'), status.DEADLINE_EXCEEDED],
    [new CallAbortedError('cancelled'), status.CANCELLED],
    [new CallAbortedError('shutdown'), status.UNAVAILABLE],
    [new OverloadError('queue full'), status.RESOURCE_EXHAUSTED],
    [new DataLossError('ab12', 'corrupt'), status.DATA_LOSS],
  ];
  for (const [err, code] of codes) assert.is(mapError(err, log).code, code, (err as Error).name);
  assert.is(logged.length, 0);
  for (const err of [new WorkerCrashError('worker died'), new TypeError('secret internals'), 'a string']) {
    const s = toStatus(err, log);
    assert.is(s.code, status.INTERNAL);
    assert.not.match(s.details, /secret|worker died|a string/);
    const ref = /ref ([0-9a-f]+)/.exec(s.details)?.[1];
    assert.ok(ref && logged.some((o) => (o as { ref?: string }).ref === ref && (o as { err?: unknown }).err === err));
    assert.is(readErrorDetail(s.metadata)?.code, status.INTERNAL);
  }
  const detail = readErrorDetail(toStatus(new InvalidArgumentError('todo[2]', 'bad item'), log).metadata);
  assert.equal([detail?.field, detail?.message], ['todo[2]', 'todo[2]: bad item']);
  assert.ok(toStatus(new NotFoundError('x'), log).metadata.get('grpc-status-details-bin')[0] instanceof Buffer);
});

test('the registry keeps domains on disk: same id, version and date after a reopen; bad files are skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aria-registry-'));
  try {
    const library = await importLibrary();
    const warnings: object[] = [];
    const log = { info: () => {}, warn: (o: object) => warnings.push(o) };
    const text = 'domain persisted\nvar v\naction a(x) { v["k"] = x }\n';
    const r1 = await DomainRegistry.open(library, new FileDomainStore(dir), log);
    const builtins = r1.list().length;
    const { entry, created } = await r1.register({ text, file: 'p.aria' });
    assert.ok(created);
    const v2 = await r1.register({ domain: { ...entry.domain, actions: [] } });
    assert.is(v2.entry.version, 2);
    assert.is(readdirSync(join(dir, 'domains')).length, 2);
    writeFileSync(join(dir, 'domains', `${'0'.repeat(64)}.json`), '{ truncated');

    const r2 = await DomainRegistry.open(library, new FileDomainStore(dir), log);
    assert.is(r2.list().length, builtins + 2);
    const again = r2.resolve('persisted@1');
    assert.equal([again.id, again.version, again.createdUnixMs, again.text], [entry.id, 1, entry.createdUnixMs, text]);
    assert.is(r2.resolve('persisted').id, v2.entry.id);
    assert.is(warnings.length, 1);
    await r2.delete('persisted');
    assert.is(readdirSync(join(dir, 'domains')).filter((f) => !f.startsWith('0000')).length, 0);
    assert.throws(() => r2.resolve('persisted'), (e: Error) => e instanceof NotFoundError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
