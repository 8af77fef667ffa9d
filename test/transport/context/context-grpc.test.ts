/**
 * ContextService over gRPC on a server without auth: a context's plans
 * equal PlannerService.Plan with the full state, updates and versions,
 * exact INVALID_ARGUMENT and NOT_FOUND statuses, health, and a Session
 * stream answered in order with a failed call in the middle.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, makeGenericClientConstructor, Metadata, status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import {
  Change, ContextServiceClient, OpenContextRequest, PlanRequest, UpdateRequest, type OpenContextResponse, type PlanResponse, type SessionRequest,
  type SessionResponse, type UpdateResponse, type GetStateResponse,
} from '../../../gen/ts/aria/context/v1/context.js';
import { PlanRequest as FullPlanRequest, type PlanResponse as FullPlanResponse } from '../../../gen/ts/aria/planner/v1/planner.js';
import { service as healthService } from 'grpc-health-check';
import type { JsonState, JsonValue, TodoItem } from '../../../server/src/planner/index.js';
import { jsonToState, jsonToTodo, jsonToValue, stateToJson } from '../../../server/src/pool/index.js';
import { blocksProblem } from '../../../bench/cases/blocks-world.js';
import { TRAVEL } from '../../support/queue-fixtures.js';
import { clientOf, failure, testServer, unary } from '../../support/test-server.js';
import type { AriaServer } from '../../../server/src/app/start-server.js';

let server: AriaServer;
let ctx: ContextServiceClient;
const call = <Res>(method: keyof ContextServiceClient, req: unknown) => unary<unknown, Res>(ctx as never, method as never, req);

test.before(async () => {
  server = await testServer({ workers: 1 });
  ctx = new ContextServiceClient(server.address, credentials.createInsecure());
});
test.after(async () => {
  ctx?.close();
  await server?.shutdown(1000);
});

const set = (v: string, key: string | number, value: JsonValue) => Change.fromPartial({ kind: { $case: 'set', set: { var: v, key: jsonToValue(key, 'k'), value: jsonToValue(value, 'v') } } });
const open = (domain: string, state: JsonState, idleTimeoutMs = 0) =>
  call<OpenContextResponse>('openContext', OpenContextRequest.fromPartial({ domain, state: jsonToState(state), idleTimeoutMs }));
const update = (contextId: string, changes: Change[]) => call<UpdateResponse>('update', UpdateRequest.fromPartial({ contextId, changes }));
const plan = (contextId: string, todo: TodoItem[]) => call<PlanResponse>('plan', PlanRequest.fromPartial({ contextId, todo: jsonToTodo(todo) }));

async function fullPlan(domain: string, state: JsonState, todo: TodoItem[]): Promise<FullPlanResponse> {
  const planner = clientOf(server);
  try {
    return await unary<FullPlanRequest, FullPlanResponse>(planner, 'plan', FullPlanRequest.fromPartial({ domain, state: jsonToState(state), todo: jsonToTodo(todo) }));
  } finally {
    planner.close();
  }
}

/** Plan's answer without the stats (expansion counts are the same, but timings are not part of the comparison). */
const planOf = (r: FullPlanResponse | undefined) => ({ status: r?.status, plan: r?.plan, domainId: r?.domainId });

test('open, update, plan: the answer equals PlannerService.Plan on the full state (travel, blocks N=10 and N=100)', async () => {
  const o = await open('simple_htn', TRAVEL.state);
  assert.is(o.version, 1);
  assert.is(o.idleTimeoutMs, 300_000);
  assert.equal(planOf((await plan(o.contextId, TRAVEL.todo)).result), planOf(await fullPlan('simple_htn', TRAVEL.state, TRAVEL.todo)));
  const u = await update(o.contextId, [set('loc', 'alice', 'park')]);
  assert.is(u.version, 2);
  const moved = { ...TRAVEL.state, loc: { ...TRAVEL.state.loc, alice: 'park' } };
  const p = await plan(o.contextId, TRAVEL.todo);
  assert.is(p.version, 2);
  assert.equal(planOf(p.result), planOf(await fullPlan('simple_htn', moved, TRAVEL.todo)));
  for (const n of [10, 100]) {
    const b = blocksProblem(n, 5);
    const c = await open('blocks_gtn', b.state);
    const mine = await plan(c.contextId, b.todo);
    assert.ok((mine.result?.plan.length ?? 0) > 0, `N=${n} plans something`);
    assert.equal(planOf(mine.result), planOf(await fullPlan('blocks_gtn', b.state, b.todo)));
  }
});

test('GetState gives the state after removals; CloseContext frees it', async () => {
  const o = await open('simple_htn', TRAVEL.state);
  await update(o.contextId, [
    Change.fromPartial({ kind: { $case: 'remove', remove: { var: 'loc', key: jsonToValue('bob', 'k') } } }),
    Change.fromPartial({ kind: { $case: 'removeVar', removeVar: 'owe' } }),
  ]);
  const s = await call<GetStateResponse>('getState', { contextId: o.contextId });
  assert.equal(stateToJson(s.state), { loc: { alice: 'home_a', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 } });
  assert.equal([s.version, s.stateBytes], [2, Buffer.byteLength(JSON.stringify(stateToJson(s.state)))]);
  assert.equal(await call('closeContext', { contextId: o.contextId }), { closed: true });
  assert.equal(await call('closeContext', { contextId: o.contextId }), { closed: false });
  const gone = await failure(call('getState', { contextId: o.contextId }));
  assert.equal([gone.code, gone.details], [status.NOT_FOUND, `no context "${o.contextId}" (closed, timed out, or never opened)`]);
});

test('bad requests: INVALID_ARGUMENT with exact messages; unknown domain NOT_FOUND', async () => {
  const o = await open('simple_htn', TRAVEL.state);
  const cases: Array<[Change[], string]> = [
    [[Change.fromPartial({})], 'changes[0]: change has no kind (set, remove, replace or remove_var)'],
    [[set('loc', 'x', 'y'), Change.fromPartial({ kind: { $case: 'set', set: { var: 'loc', key: jsonToValue(true, 'k'), value: jsonToValue(1, 'v') } } })],
      'changes[1].set.key: map keys must be symbols or finite numbers'],
    [[Change.fromPartial({ kind: { $case: 'set', set: { var: 'loc', key: jsonToValue('a', 'k') } } })],
      'changes[0].set.value: value has no kind (symbol, number, boolean, nil, set, list, tuple, map or multigoal)'],
    [[set('loc', 7, 'y')], 'changes[0].set.key: state variable "loc" has symbol keys, not number keys'],
  ];
  for (const [changes, message] of cases) {
    const f = await failure(update(o.contextId, changes));
    assert.equal([f.code, f.details], [status.INVALID_ARGUMENT, message]);
  }
  const stale = await failure(call('update', UpdateRequest.fromPartial({ contextId: o.contextId, check: { $case: 'expectedVersion', expectedVersion: 9 } })));
  assert.equal([stale.code, stale.details], [status.FAILED_PRECONDITION, `context ${o.contextId} is at version 1, not 9`]);
  assert.is((await failure(open('no_such_domain', {}))).code, status.NOT_FOUND);
  const empty = await failure(plan('', TRAVEL.todo));
  assert.equal([empty.code, empty.details], [status.INVALID_ARGUMENT, 'context_id: must not be empty']);
});

test('health reports ContextService SERVING', async () => {
  type HealthClient = { check(req: { service: string }, md: Metadata, cb: (e: ServiceError | null, r: { status: string }) => void): void; close(): void };
  const h = new (makeGenericClientConstructor(healthService, 'Health'))(server.address, credentials.createInsecure()) as unknown as HealthClient;
  const st = await new Promise<string>((resolve, reject) => h.check({ service: 'aria.context.v1.ContextService' }, new Metadata(), (e, r) => (e ? reject(e) : resolve(r.status))));
  h.close();
  assert.is(st, 'SERVING');
});

test('Session: open, update, a failed call, plan, close, answered in order on one stream', async () => {
  const stream: ClientDuplexStream<SessionRequest, SessionResponse> = ctx.session();
  // Every answer is queued as it comes (a stream in flowing mode drops what no listener takes).
  const answers: SessionResponse[] = [];
  const waiting: Array<(r: SessionResponse) => void> = [];
  stream.on('data', (r: SessionResponse) => (waiting.length ? waiting.shift()!(r) : answers.push(r)));
  let serverEnded = false;
  const ended = new Promise<void>((resolve) => stream.on('end', () => { serverEnded = true; resolve(); }));
  let failed: unknown;
  stream.on('error', (e) => (failed = e));
  const next = () => new Promise<SessionResponse>((resolve, reject) => {
    if (failed) return reject(failed);
    if (answers.length) return resolve(answers.shift()!);
    waiting.push(resolve);
  });
  stream.write({ kind: { $case: 'open', open: OpenContextRequest.fromPartial({ domain: 'simple_htn', state: jsonToState(TRAVEL.state) }) } });
  const opened = await next();
  assert.is(opened.kind?.$case, 'open');
  const id = opened.kind?.$case === 'open' ? opened.kind.open.contextId : '';
  stream.write({ kind: { $case: 'update', update: UpdateRequest.fromPartial({ contextId: id, changes: [set('cash', 'alice', 1)] }) } });
  stream.write({ kind: { $case: 'update', update: UpdateRequest.fromPartial({ contextId: id, changes: [set('cash', 3, 1)] }) } });
  stream.write({ kind: { $case: 'plan', plan: PlanRequest.fromPartial({ contextId: id, todo: jsonToTodo(TRAVEL.todo) }) } });
  stream.write({ kind: { $case: 'close', close: { contextId: id } } });
  stream.end();
  const u = await next();
  assert.equal(u.kind, { $case: 'update', update: { version: 2, stateBytes: u.kind?.$case === 'update' ? u.kind.update.stateBytes : 0 } });
  const bad = await next();
  assert.equal(bad.kind?.$case === 'error' && [bad.kind.error.code, bad.kind.error.message], [status.INVALID_ARGUMENT, 'changes[0].set.key: state variable "cash" has symbol keys, not number keys']);
  const p = await next();
  // With one unit of cash alice cannot take the taxi to the park, the same as PlannerService says on that state.
  const poor = { ...TRAVEL.state, cash: { alice: 1, bob: 15 } };
  assert.equal(p.kind?.$case === 'plan' && [p.kind.plan.version, planOf(p.kind.plan.result)], [2, planOf(await fullPlan('simple_htn', poor, TRAVEL.todo))]);
  assert.equal((await next()).kind, { $case: 'close', close: { closed: true } });
  // The client ended its side: the server ends the stream too (bounded wait).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ended, new Promise<void>((resolve) => { timer = setTimeout(resolve, 30_000); })]);
  clearTimeout(timer);
  assert.ok(serverEnded, 'the server ended the session after the client did');
});

test.run();
