/**
 * Issue 14's crashes and stalls, from a client's side: a request that
 * killed the process (a lexer message cutting a surrogate pair), error
 * messages that echoed a client's megabyte three times, a domain compiled
 * on the event loop (health stalled for seconds), and a domain sent as a
 * message that had another id after a restart.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { pino } from 'pino';
import { DomainInfo, GetDomainResponse, PlanRequest, RegisterDomainResponse } from '../../gen/ts/aria/planner/v1/planner.js';
import { toStatus } from '../../server/src/transport/status-mapping.js';
import { DomainError } from '../../server/src/planner/errors.js';
import { FileDomainStore, type DomainStore, type StoredDomain } from '../../server/src/services/engine/domain-store.js';
import { clientOf, failure, testServer, unary } from '../support/test-server.js';
import { foundationServer } from '../support/foundation-server.js';
import { jsonToState, jsonToTodo } from '../../server/src/pool/value-proto.js';
import { DEFER_BYTES, decodePlanRequestBytes } from '../../server/src/transport/engine/deferred-plan-request.js';
import type { JsonValue } from '../../server/src/planner/types.js';
import { domainToProto } from '../../server/src/transport/engine/domain-to-proto.js';
import { loadDomain, readBuiltinDomain } from '../../server/src/planner/index.js';

/** A PlanRequest's fields for a JSON problem. */
const planReq = (domain: string, problemJson: string) => PlanRequest.fromPartial({ domain, problemJson });

const quiet = pino({ level: 'silent' });
const server = await testServer({ workers: 2 });
const client = clientOf(server);

type HealthClient = { check(req: { service: string }, md: Metadata, opts: { deadline: Date }, cb: (e: ServiceError | null, r: { status: string }) => void): void };
const Health = makeGenericClientConstructor(healthService, 'Health');
const health = new Health(server.address, credentials.createInsecure()) as unknown as HealthClient;
const check = () => new Promise<string>((resolve, reject) =>
  health.check({ service: '' }, new Metadata(), { deadline: new Date(Date.now() + 30_000) }, (e, r) => (e ? reject(e) : resolve(r.status))));

/** A plan the server must still answer correctly. */
async function stillPlans(): Promise<void> {
  const { text } = readBuiltinDomain('simple_htn');
  assert.ok(text.length > 0);
  const res = await unary<object, { status: number; plan: unknown[] }>(client, 'plan', {
    ...planReq('simple_htn', JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] })),
  }).catch((e: ServiceError) => ({ status: -1, plan: [], err: e.details }));
  assert.ok(Array.isArray(res.plan) && res.plan.length > 0, JSON.stringify(res));
  assert.is(await check(), 'SERVING');
}

test('an emoji after a domain name is INVALID_ARGUMENT naming the character, and the server lives', async () => {
  const f = await failure(unary(client, 'registerDomain', { source: { $case: 'text', text: 'domain d\u{1F680}\n' } }));
  assert.is(f.code, status.INVALID_ARGUMENT);
  assert.match(f.details, "unexpected character '\u{1F680}' (U+1F680)");
  await stillPlans();
});

test('a lone surrogate anywhere in an error message is sent as U+FFFD, never thrown out of the status path', () => {
  const st = toStatus(new DomainError('f.aria:1:9', 'bad \ud83d here \udc00'), quiet);
  assert.is(st.code, status.INVALID_ARGUMENT);
  assert.not.throws(() => encodeURI(st.details));
  assert.match(st.details, 'bad \ufffd here \ufffd');
  // Even a failure whose own message getter throws gives a plain INTERNAL, not an exception.
  const evil = { get message(): string { throw new Error('boom'); } };
  const st2 = toStatus(evil, quiet);
  assert.is(st2.code, status.INTERNAL);
});

test('a 1 MB domain name is NOT_FOUND with a bounded message, not a metadata overflow', async () => {
  const name = 'n'.repeat(1024 * 1024);
  const f = await failure(unary(client, 'plan', { ...planReq(name, '{"state":{},"todo":[]}') }));
  assert.is(f.code, status.NOT_FOUND);
  assert.ok(f.details.length < 5000, `details of ${f.details.length} characters`);
  assert.ok((f.detail?.message.length ?? 0) < 5000);
  await stillPlans();
});

/** A domain of n actions and a task that uses the last one. */
function bigDomain(n: number): string {
  const lines = ['domain big', 'var v'];
  for (let i = 0; i < n; i++) lines.push(`action a${i}(x) { require v[x] == ${i} ; v[x] = ${i + 1} }`.replace(' ;', '\n'));
  lines.push(`task t { method m(x) { return [a${n - 1}(x)] } }`);
  return `${lines.join('\n')}\n`;
}

test('health answers within a second while a 20,000-action domain is compiled', async () => {
  const text = bigDomain(20_000);
  let done = false;
  const registering = unary<object, RegisterDomainResponse>(client, 'registerDomain', { source: { $case: 'text', text } }, { deadlineMs: 600_000 })
    .finally(() => { done = true; });
  // The client runs on the server's event loop here, so a stalled loop would stall the
  // client's clock too: the loop's own delay is what shows a stall.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let worst = 0;
  let checks = 0;
  while (!done) {
    const t0 = performance.now();
    assert.is(await check(), 'SERVING');
    worst = Math.max(worst, performance.now() - t0);
    checks++;
    await new Promise((r) => setTimeout(r, 25));
  }
  const res = await registering;
  delay.disable();
  assert.is(res.info?.name, 'big');
  const stallMs = delay.max / 1e6;
  console.log(`  event loop during the compile: p50 ${(delay.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms, max ${stallMs.toFixed(0)} ms; worst health ${worst.toFixed(0)} ms over ${checks} checks`);
  // Compiled on the event loop this domain stalls it 10-14 s. A loaded 2-core machine (load
  // average 14 seen in a run) deschedules the thread now and then for about a second, so
  // the bound on the single worst gap is looser than the one on the 99th percentile.
  assert.ok(delay.percentile(99) / 1e6 < 1000, `the event loop's 99th percentile delay was ${(delay.percentile(99) / 1e6).toFixed(0)} ms`);
  assert.ok(stallMs < 4000, `the event loop stalled ${stallMs.toFixed(0)} ms during the compile`);
  assert.ok(checks >= 2, `only ${checks} health checks ran during the registration`);
  assert.ok(worst < 4000, `worst health latency ${worst.toFixed(0)} ms during the compile`);
  // The worker that compiled it plans with it.
  const plan = await unary<object, { plan: unknown[] }>(client, 'plan', {
    ...planReq('big', JSON.stringify({ state: { v: { o: 19_999 } }, todo: [['t', 'o']] })),
  });
  assert.is(plan.plan.length, 1);
});

/** A store that gives models back with their keys in another order, as a jsonb column does. */
class ReorderingStore implements DomainStore {
  constructor(private readonly inner: DomainStore) {}
  async loadAll(onBad: (where: string, error: unknown) => void): Promise<StoredDomain[]> {
    return (await this.inner.loadAll(onBad)).map((r) => (r.domain ? { ...r, domain: reverseKeys(r.domain) as StoredDomain['domain'] } : r));
  }
  save(record: StoredDomain): Promise<void> { return this.inner.save(record); }
  remove(id: string): Promise<void> { return this.inner.remove(id); }
}
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reverseKeys((v as Record<string, unknown>)[k])]));
}

test('a domain registered as a message keeps its id and version across a restart (keys reordered by the store)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aria-ids-'));
  try {
    const { text, file } = readBuiltinDomain('blocks_gtn');
    const model = { ...loadDomain(text, { file }).domain, name: 'blocks_msg' };
    const store = new ReorderingStore(new FileDomainStore(dir));
    const first = await testServer({ store, workers: 1 });
    const c1 = clientOf(first);
    const reg = await unary<object, RegisterDomainResponse>(c1, 'registerDomain', { source: { $case: 'domain', domain: domainToProto(model) } });
    const id = reg.info!.id;
    c1.close();
    await first.shutdown(1000);
    const second = await testServer({ store, workers: 1 });
    const c2 = clientOf(second);
    try {
      const got = await unary<object, GetDomainResponse>(c2, 'getDomain', { domain: id });
      assert.is(got.info?.id, id);
      assert.is(got.info?.version, 1);
      const again = await unary<object, RegisterDomainResponse>(c2, 'registerDomain', { source: { $case: 'domain', domain: domainToProto(model) } });
      assert.is(again.created, false, 'the same content registered again is the same domain');
      assert.equal(DomainInfo.toJSON(again.info!), DomainInfo.toJSON(got.info!));
    } finally {
      c2.close();
      await second.shutdown(1000);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('names in a Domain message are identifiers, as in the text form: INVALID_ARGUMENT, never INTERNAL', async () => {
  const { text, file } = readBuiltinDomain('simple_htn');
  const model = loadDomain(text, { file }).domain;
  const bad = ["x'; DROP TABLE domains; --", '../../etc/passwd', 'n'.repeat(5000), 'nul\u0000name', 'sp ace', '9lives'];
  for (const name of bad) {
    for (const variant of [{ ...model, name }, { ...model, name: 'ok_name', actions: model.actions.map((a, i) => (i === 0 ? { ...a, name } : a)) }]) {
      const f = await failure(unary(client, 'registerDomain', { source: { $case: 'domain', domain: domainToProto(variant) } }));
      assert.is(f.code, status.INVALID_ARGUMENT, `${JSON.stringify(name.slice(0, 30))}: ${f.details}`);
      assert.ok(f.details.length < 600, f.details);
    }
  }
  const f = await failure(unary(client, 'registerDomain', { source: { $case: 'text', text: `domain ${'n'.repeat(5000)}\n` } }));
  assert.is(f.code, status.INVALID_ARGUMENT);
  assert.match(f.details, 'at most 128');
  await stillPlans();
});

test('a problem nested 5,000 deep is INVALID_ARGUMENT naming the depth, not an engine trap', async () => {
  let deep = '0';
  for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
  const json = `{"state":{"loc":{"alice":${deep}}},"todo":[["travel","alice","park"]]}`;
  const f = await failure(unary(client, 'plan', planReq('simple_htn', json)));
  assert.is(f.code, status.INVALID_ARGUMENT, f.details);
  assert.match(f.details, 'nested deeper than 64');
  await stillPlans();
});

test('max_memory_bytes of 1 is a memory limit (RESOURCE_EXHAUSTED), not ignored', async () => {
  const req = PlanRequest.fromPartial({
    ...planReq('simple_htn', JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] })),
    options: { limits: { maxMemoryBytes: 1 } },
  });
  const f = await failure(unary(client, 'plan', req));
  assert.is(f.code, status.RESOURCE_EXHAUSTED, f.details);
  assert.is(f.detail?.limit, 'memory');
});

test('garbage sent to health and reflection is INVALID_ARGUMENT, not INTERNAL', async () => {
  const raw = new (makeGenericClientConstructor({
    check: { path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b },
    watch: { path: '/grpc.health.v1.Health/Watch', requestStream: false, responseStream: true, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b },
    reflect: { path: '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', requestStream: true, responseStream: true, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b },
  }, 'Raw'))(server.address, credentials.createInsecure()) as unknown as {
    check(b: Buffer, cb: (e: ServiceError | null) => void): void;
    watch(b: Buffer): NodeJS.EventEmitter;
    reflect(): NodeJS.EventEmitter & { write(b: Buffer): void; end(): void };
  };
  const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x12]);
  const checked = await new Promise<ServiceError | null>((resolve) => raw.check(garbage, resolve));
  assert.is(checked?.code, status.INVALID_ARGUMENT, checked?.details);
  const watched = await new Promise<number>((resolve) => { const c = raw.watch(garbage); c.on('data', () => {}); c.on('error', (e: ServiceError) => resolve(e.code)); c.on('status', (st: { code: number }) => resolve(st.code)); });
  assert.is(watched, status.INVALID_ARGUMENT);
  const reflected = await new Promise<number>((resolve) => {
    const c = raw.reflect();
    c.on('data', () => {});
    c.on('error', (e: ServiceError) => resolve(e.code));
    c.on('status', (st: { code: number }) => resolve(st.code));
    c.write(garbage);
    c.end();
  });
  assert.is(reflected, status.INVALID_ARGUMENT);
  await stillPlans();
});

test('health reports every service by name, not only the planner', async () => {
  const fs = await foundationServer({ devNoAuth: true, libraryUrl: null });
  try {
    const h = new Health(fs.address, credentials.createInsecure()) as unknown as HealthClient;
    for (const service of ['', 'aria.planner.v1.PlannerService', 'aria.queue.v1.QueueService', 'aria.data.v1.DataService', 'aria.auth.v1.AuthService', 'aria.secrets.v1.SecretsService', 'aria.shape.v1.ShapeService']) {
      const st = await new Promise<string>((resolve, reject) =>
        h.check({ service }, new Metadata(), { deadline: new Date(Date.now() + 30_000) }, (e, r) => (e ? reject(new Error(`${service}: ${e.details}`)) : resolve(r.status))));
      assert.is(st, 'SERVING', service);
    }
  } finally {
    await fs.stop();
  }
});

test('a 3 MB Plan request is decoded on the worker that plans it: the event loop only scans it', async () => {
  const big: Record<string, JsonValue> = {};
  for (let i = 0; i < 40_000; i++) big[`k${i}`] = [[i, 'a', [1, 2, [3, 'x']]]];
  const state = jsonToState({ big, loc: { o: 'here' } });
  const req = PlanRequest.fromPartial({ domain: 'big_state', state, todo: jsonToTodo([['go', 'o', 'there']]) });
  const bytes = PlanRequest.encode(req).finish();
  assert.ok(bytes.length > 3_000_000 && bytes.length > DEFER_BYTES);
  // Scanned, not decoded: the state stays bytes (decoding it here took about a second).
  const scanned = decodePlanRequestBytes(bytes);
  assert.is(scanned.state, undefined);
  assert.ok(scanned.deferred?.pbState && scanned.deferred.pbTodo.length === 1);
  assert.is(scanned.domain, 'big_state');
  await unary(client, 'registerDomain', { source: { $case: 'text', text: 'domain big_state\nvar big, loc\naction go(x, y) { require len(big) > 0\n loc[x] = y }\n' } });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const res = await unary<PlanRequest, { plan: unknown[] }>(client, 'plan', req, { deadlineMs: 120_000 });
  delay.disable();
  console.log(`  event loop during a 3 MB Plan: max ${(delay.max / 1e6).toFixed(0)} ms`);
  assert.is(res.plan.length, 1);
  // A malformed deferred state is INVALID_ARGUMENT naming the field, from the worker.
  const broken = Buffer.concat([Buffer.from(bytes), Buffer.from([0x12, 0x03, 0xff, 0xff, 0xff])]);
  const raw = new (makeGenericClientConstructor({ plan: { path: '/aria.planner.v1.PlannerService/Plan', requestStream: false, responseStream: false,
    requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b } }, 'RawPlan'))(
    server.address, credentials.createInsecure()) as unknown as { plan(b: Buffer, cb: (e: ServiceError | null) => void): void };
  const err = await new Promise<ServiceError | null>((resolve) => raw.plan(broken, resolve));
  assert.is(err?.code, status.INVALID_ARGUMENT, err?.details);
  await stillPlans();
});

test.after(async () => {
  client.close();
  await server.shutdown(1000);
});

test.run();
