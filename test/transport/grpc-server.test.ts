/**
 * The server over a real socket: domain registry calls, errors and their
 * statuses, parallel calls, PlanStream, Trace, health and reflection.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, makeGenericClientConstructor, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  GetDomainResponse, ListDomainsRequest, ListDomainsResponse, PlanRequest, PlanStatus, PlanStreamRequest, RegisterDomainRequest, TraceEventKind,
  type DeleteDomainResponse, type PlanResponse, type PlanStreamResponse, type RegisterDomainResponse, type TraceResponse,
} from '../../gen/ts/aria/planner/v1/planner.js';
import { loadDomain, readBuiltinDomain } from '../../server/src/planner/index.js';
import { domainToProto } from '../../server/src/transport/engine/domain-to-proto.js';
import { jsonToState, jsonToTodo, stepToJson } from '../../server/src/pool/value-proto.js';
import type { AriaServer } from '../../server/src/app/start-server.js';
import { clientOf, failure, testServer, unary } from '../support/test-server.js';

const TRAVEL = {
  state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
  todo: [['travel', 'alice', 'park']],
};
const TRAVEL_PLAN = [['call_taxi', 'alice', 'home_a'], ['ride_taxi', 'alice', 'park'], ['pay_driver', 'alice', 'park']];

let server: AriaServer;
test.before(async () => {
  server = await testServer({ workers: 2 });
});
test.after(async () => {
  await server.shutdown(1000);
});

const plan = (req: Partial<PlanRequest>, deadlineMs?: number) =>
  unary<PlanRequest, PlanResponse>(clientOf(server), 'plan', PlanRequest.fromPartial(req), { deadlineMs });
const travel = (extra: Partial<PlanRequest> = {}) =>
  plan({ domain: 'simple_htn', state: jsonToState(TRAVEL.state), todo: jsonToTodo(TRAVEL.todo), ...extra });

test('the built-in example domains are registered from the start', async () => {
  const res = await unary<ListDomainsRequest, ListDomainsResponse>(clientOf(server), 'listDomains', ListDomainsRequest.fromPartial({}));
  const names = res.domains.map((d) => d.name);
  for (const n of ['simple_htn', 'blocks_htn', 'blocks_gtn', 'logistics_hgn']) assert.ok(names.includes(n), n);
  assert.ok(res.domains.every((d) => d.builtin && /^[0-9a-f]{64}$/.test(d.id)));
});

test('Plan answers a plan, by name and by id', async () => {
  const byName = await travel();
  assert.is(byName.status, PlanStatus.PLAN_STATUS_PLAN);
  assert.equal(byName.plan.map((s, i) => stepToJson(s, `plan[${i}]`)), TRAVEL_PLAN);
  const byId = await travel({ domain: byName.domainId });
  assert.equal(byId.plan, byName.plan);
});

test('RegisterDomain is idempotent by content, versions a name, and GetDomain/DeleteDomain work', async () => {
  const c = clientOf(server);
  const text = 'domain reg_probe\nvar v\naction set_v(x) { v["k"] = x }\ntask t { method m(x) { return [set_v(x)] } }\n';
  const reg = (t: string) => unary<RegisterDomainRequest, RegisterDomainResponse>(c, 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: t }, file: 'reg.aria' }));
  const first = await reg(text);
  assert.ok(first.created);
  assert.is(first.info?.version, 1);
  const again = await reg(`# a comment changes nothing\n${text}`);
  assert.not.ok(again.created);
  assert.is(again.info?.id, first.info?.id);
  const second = await reg(text.replace('return [set_v(x)]', 'return [set_v(x), set_v(x)]'));
  assert.ok(second.created);
  assert.is(second.info?.version, 2);
  const got = await unary<object, GetDomainResponse>(c, 'getDomain', { domain: 'reg_probe@1' });
  assert.is(got.info?.id, first.info?.id);
  assert.is(got.domain?.name, 'reg_probe');
  assert.ok(got.text.includes('set_v'));
  const latest = await unary<object, GetDomainResponse>(c, 'getDomain', { domain: 'reg_probe' });
  assert.is(latest.info?.version, 2);
  const deleted = await unary<object, DeleteDomainResponse>(c, 'deleteDomain', { domain: 'reg_probe' });
  assert.is(deleted.deleted.length, 2);
  const gone = await failure(unary(c, 'getDomain', { domain: 'reg_probe' }));
  assert.is(gone.code, status.NOT_FOUND);
  const builtin = await failure(unary(c, 'deleteDomain', { domain: 'simple_htn' }));
  assert.is(builtin.code, status.FAILED_PRECONDITION);
});

test('a Domain message mirrors the model: the built-in simple_htn sent as data has the same id', async () => {
  const b = readBuiltinDomain('simple_htn');
  const local = loadDomain(b.text, { file: b.file });
  const res = await unary<RegisterDomainRequest, RegisterDomainResponse>(
    clientOf(server), 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'domain', domain: domainToProto(local.domain) } }),
  );
  assert.not.ok(res.created);
  assert.is(res.info?.id, local.hash);
});

test('a text domain that does not parse: INVALID_ARGUMENT naming file:line:col', async () => {
  const f = await failure(unary(clientOf(server), 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: 'domain bad\naction a( { }\n' }, file: 'bad.aria' })));
  assert.is(f.code, status.INVALID_ARGUMENT);
  assert.match(f.details, /^bad\.aria:2:\d+: /);
  assert.match(f.detail?.where ?? '', /^bad\.aria:2:\d+$/);
});

test('a Domain message with a hole: INVALID_ARGUMENT naming the path', async () => {
  const f = await failure(unary(clientOf(server), 'registerDomain', RegisterDomainRequest.fromPartial({
    source: { $case: 'domain', domain: { name: 'holey', actions: [{ name: 'a', body: [{ kind: { $case: 'requireStmt', requireStmt: {} } }] }] } },
  })));
  assert.is(f.code, status.INVALID_ARGUMENT);
  assert.is(f.detail?.where, 'actions[0].body[0].require_stmt');
});

test('bad problems: INVALID_ARGUMENT naming the field', async () => {
  const cases: [Partial<PlanRequest>, string][] = [
    [{ domain: 'simple_htn', state: { vars: [{ name: 'loc', value: {} }] }, todo: jsonToTodo(TRAVEL.todo) }, 'state.vars[0].value'],
    [{ domain: 'simple_htn', state: jsonToState(TRAVEL.state), todo: [{ kind: { $case: 'step', step: { name: '', args: [] } } }] }, 'todo[0].step.name'],
    [{ domain: 'simple_htn', problemJson: '{"state": ' }, 'problem_json'],
    [{ domain: 'simple_htn', problemJson: '{"state": {}, "todo": 3}' }, 'problem_json.todo'],
    [{ domain: 'simple_htn', state: jsonToState(TRAVEL.state), todo: jsonToTodo(TRAVEL.todo), options: { traceLevel: 7 } }, 'options.trace_level'],
    [{ domain: '', state: jsonToState(TRAVEL.state) }, 'domain'],
  ];
  for (const [req, field] of cases) {
    const f = await failure(plan(req));
    assert.is(f.code, status.INVALID_ARGUMENT, field);
    assert.is(f.detail?.field, field);
    assert.ok(f.details.startsWith(`${field}: `), f.details);
  }
});

test('unknown domain: NOT_FOUND', async () => {
  const f = await failure(travel({ domain: 'no_such_domain' }));
  assert.is(f.code, status.NOT_FOUND);
  assert.match(f.details, /no_such_domain/);
});

test('a planner limit: RESOURCE_EXHAUSTED with the limit in the detail', async () => {
  const f = await failure(travel({ options: { limits: { maxExpansions: 1 } } as PlanRequest['options'] }));
  assert.is(f.code, status.RESOURCE_EXHAUSTED);
  assert.is(f.detail?.limit, 'expansions');
});

test('a domain bug found while planning: FAILED_PRECONDITION', async () => {
  const f = await failure(plan({ domain: 'probe_verify', problemJson: JSON.stringify({ state: { v: { x: 0 } }, todo: [['v', 'x', 1]], verify_goals: true }) }));
  assert.is(f.code, status.FAILED_PRECONDITION);
  assert.match(f.details, /didn't achieve/);
});

test('200 parallel calls of different problems all get their own right answer', async () => {
  const calls = Array.from({ length: 200 }, (_, i) => {
    const who = i % 2 ? 'alice' : 'bob';
    const where = ['park', 'station', 'home_a', 'home_b'][i % 4];
    return { who, where, p: plan({ domain: 'simple_htn', problemJson: JSON.stringify({ state: TRAVEL.state, todo: [['travel', who, where]] }) }) };
  });
  const local = loadDomain(readBuiltinDomain('simple_htn').text);
  for (const { who, where, p } of calls) {
    const res = await p;
    const expected = local.plan({ state: TRAVEL.state, todo: [['travel', who, where]] });
    assert.equal(res.status === PlanStatus.PLAN_STATUS_PLAN ? res.plan.map((s, i) => stepToJson(s, `plan[${i}]`)) : false, expected.status === 'plan' ? expected.plan : false);
  }
});

test('PlanStream answers in request order, with per-problem errors', async () => {
  const call = clientOf(server).planStream();
  const answers: PlanStreamResponse[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    call.on('data', (r: PlanStreamResponse) => answers.push(r));
    call.on('end', resolve);
    call.on('error', reject);
  });
  const n = 60;
  for (let i = 0; i < n; i++) {
    const bad = i === 7;
    call.write(PlanStreamRequest.fromPartial({
      problem: {
        domain: i === 0 ? 'simple_htn' : '',
        problemJson: bad ? 'not json' : JSON.stringify({ state: TRAVEL.state, todo: [['travel', i % 2 ? 'alice' : 'bob', 'park']] }),
      },
    }));
  }
  call.end();
  await ended;
  assert.equal(answers.map((a) => a.index), Array.from({ length: n }, (_, i) => i));
  assert.is(answers[7].outcome?.$case, 'error');
  assert.is(answers[7].outcome?.$case === 'error' && answers[7].outcome.error.field, 'problem.problem_json');
  const ok = answers.filter((a) => a.outcome?.$case === 'result');
  assert.is(ok.length, n - 1);
  const first = answers[1].outcome?.$case === 'result' ? answers[1].outcome.result.plan.map((s, i) => stepToJson(s, `${i}`)) : null;
  assert.equal(first, TRAVEL_PLAN);
});

test('Trace streams the events of one call, then its result', async () => {
  const call = clientOf(server).trace({ problem: PlanRequest.fromPartial({ domain: 'simple_htn', state: jsonToState(TRAVEL.state), todo: jsonToTodo(TRAVEL.todo) }) });
  const got: TraceResponse[] = [];
  await new Promise<void>((resolve, reject) => {
    call.on('data', (r: TraceResponse) => got.push(r));
    call.on('end', resolve);
    call.on('error', reject);
  });
  const last = got[got.length - 1];
  assert.is(last.kind?.$case, 'result');
  const events = got.slice(0, -1).map((r) => (r.kind?.$case === 'event' ? r.kind.event : undefined));
  assert.ok(events.length > 3, `${events.length} events`);
  assert.ok(events.some((e) => e?.kind === TraceEventKind.TRACE_EVENT_KIND_METHOD_TRIED));
  assert.ok(events.some((e) => e?.kind === TraceEventKind.TRACE_EVENT_KIND_ACTION_APPLIED));
});

test('Trace streams a long trace whole and in order (some 80,000 events)', async () => {
  const count = 20_000;
  const call = clientOf(server).trace({ problem: PlanRequest.fromPartial({
    domain: 'probe_misc', problemJson: JSON.stringify({ state: { v: { x: null }, n: { c: 0 } }, todo: [['count', count]] }),
  }) });
  const got: TraceResponse[] = [];
  await new Promise<void>((resolve, reject) => {
    call.on('data', (r: TraceResponse) => got.push(r));
    call.on('end', resolve);
    call.on('error', reject);
  });
  const last = got[got.length - 1]!;
  assert.is(last.kind?.$case, 'result');
  const result = last.kind?.$case === 'result' ? last.kind.result : undefined;
  assert.is(result?.plan.length, count);
  const applied = got.filter((r) => r.kind?.$case === 'event' && r.kind.event.kind === TraceEventKind.TRACE_EVENT_KIND_ACTION_APPLIED);
  assert.is(applied.length, count);
  assert.ok(got.length > 4 * count, `${got.length} messages`);
  const kinds = got.slice(0, -1).map((r) => (r.kind?.$case === 'event' ? r.kind.event.kind : -1));
  assert.is(kinds[kinds.length - 1], TraceEventKind.TRACE_EVENT_KIND_RESULT);
  assert.not.ok(kinds.includes(-1), 'only events before the result');
});

test('health answers SERVING for the server and the planner service', async () => {
  const Health = makeGenericClientConstructor(healthService, 'Health');
  const health = new Health(server.address, credentials.createInsecure()) as unknown as {
    check(req: { service: string }, cb: (e: ServiceError | null, r: { status: string }) => void): void;
  };
  for (const service of ['', 'aria.planner.v1.PlannerService']) {
    const res = await new Promise<{ status: string }>((resolve, reject) => health.check({ service }, (e, r) => (e ? reject(e) : resolve(r))));
    assert.is(res.status, 'SERVING');
  }
});

test('reflection lists the services and describes the planner contract', async () => {
  const require = createRequire(import.meta.url);
  const protoDir = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const def = loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [protoDir], keepCase: true });
  const pkg = loadPackageDefinition(def) as unknown as { grpc: { reflection: { v1: { ServerReflection: new (a: string, c: unknown) => { ServerReflectionInfo(md?: Metadata): NodeJS.ReadWriteStream & { write(m: object): boolean; end(): void } } } } } };
  const refl = new pkg.grpc.reflection.v1.ServerReflection(server.address, credentials.createInsecure());
  const stream = refl.ServerReflectionInfo(new Metadata());
  const replies: Record<string, unknown>[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (r: Record<string, unknown>) => {
      replies.push(r);
      if (replies.length === 2) stream.end();
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  stream.write({ list_services: '' });
  stream.write({ file_containing_symbol: 'aria.planner.v1.PlannerService' });
  await done;
  const services = (replies[0].list_services_response as { service: { name: string }[] }).service.map((s) => s.name);
  assert.ok(services.includes('aria.planner.v1.PlannerService'), services.join());
  assert.ok(services.includes('grpc.health.v1.Health'), services.join());
  const files = (replies[1].file_descriptor_response as { file_descriptor_proto: Buffer[] }).file_descriptor_proto;
  assert.ok(files.length >= 1);
  assert.ok(files.some((f) => f.toString('latin1').includes('PlannerService')));
});

test.run();
