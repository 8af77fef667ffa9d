/**
 * Bounded fuzzing of the server: random bytes, truncated and mutated valid
 * messages, random structured problems and domains, and oversized messages,
 * on every method. Each call must end with a status a client can act on
 * (never UNKNOWN, which would mean an exception escaped a handler), and the
 * server must keep answering correct requests afterwards.
 * ARIA_FUZZ_SEED and ARIA_FUZZ_ROUNDS change the run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  ActRequest, PlannerServiceService, PlanRequest, PlanStatus, PlanStreamRequest, RegisterDomainRequest, type PlanResponse,
} from '../../gen/ts/aria/planner/v1/planner.js';
import type { Value } from '../../gen/ts/aria/planner/v1/value.js';
import type { Domain, Expr, Stmt } from '../../gen/ts/aria/planner/v1/domain.js';
import type { AriaServer } from '../../server/src/app/start-server.js';
import { jsonToState, jsonToTodo } from '../../server/src/pool/value-proto.js';
import { clientOf, testServer, unary } from '../support/test-server.js';

const SEED = Number(process.env.ARIA_FUZZ_SEED ?? 20240611);
const ROUNDS = Number(process.env.ARIA_FUZZ_ROUNDS ?? 150);

/** mulberry32: small, seedable. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes };
}
const r = rng(SEED);

const METHODS = Object.entries(PlannerServiceService).map(([name, m]) => ({ name, path: m.path, stream: m.requestStream || m.responseStream, requestStream: m.requestStream }));
const identity = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b };
const RawClient = makeGenericClientConstructor(
  Object.fromEntries(METHODS.map((m) => [m.name, {
    path: m.path, requestStream: m.requestStream, responseStream: PlannerServiceService[m.name as keyof typeof PlannerServiceService].responseStream,
    requestSerialize: identity.serialize, requestDeserialize: identity.deserialize, responseSerialize: identity.serialize, responseDeserialize: identity.deserialize,
  }])),
  'RawPlanner',
);

/** Statuses a well-behaved server may answer to garbage. UNKNOWN means a handler threw past the mapping. */
const ACCEPTABLE = new Set([status.OK, status.INVALID_ARGUMENT, status.NOT_FOUND, status.FAILED_PRECONDITION, status.RESOURCE_EXHAUSTED, status.DEADLINE_EXCEEDED, status.CANCELLED]);

let server: AriaServer;
let raw: InstanceType<typeof RawClient>;
const seen = new Map<string, number>();
const internals: string[] = [];

function record(method: string, code: number, details: string) {
  const key = `${method}:${status[code]}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  if (code === status.INTERNAL) internals.push(`${method}: ${details}`);
  assert.ok(ACCEPTABLE.has(code) || code === status.INTERNAL, `${method} answered ${status[code]}: ${details}`);
}

/** Sends one raw message to a method (streams: the message, then end) and records the final status. */
function send(method: (typeof METHODS)[number], payload: Buffer): Promise<void> {
  const deadline = new Date(Date.now() + 5000);
  return new Promise((resolve) => {
    const client = raw as unknown as Record<string, (...a: unknown[]) => NodeJS.EventEmitter & { write?(b: Buffer): void; end?(): void }>;
    if (!method.stream) {
      client[method.name](payload, new Metadata(), { deadline }, (err: ServiceError | null) => {
        record(method.name, err ? err.code : status.OK, err?.details ?? '');
        resolve();
      });
      return;
    }
    const call = method.requestStream ? client[method.name](new Metadata(), { deadline }) : client[method.name](payload, new Metadata(), { deadline });
    call.on('data', () => {});
    call.on('status', (s: { code: number; details: string }) => {
      record(method.name, s.code, s.details);
      resolve();
    });
    call.on('error', () => {});
    if (method.requestStream) {
      call.write!(payload);
      call.end!();
    }
  });
}

test.before(async () => {
  server = await testServer({ workers: 2, maxMessageBytes: 1024 * 1024 });
  raw = new RawClient(server.address, credentials.createInsecure());
});
test.after(async () => {
  raw.close();
  console.log(`fuzz seed ${SEED}, ${ROUNDS} rounds per kind; statuses: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
  await server.shutdown(1000);
});

const VALID: Record<string, () => Buffer> = {
  registerDomain: () => Buffer.from(RegisterDomainRequest.encode(RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: 'domain fz\nvar v\naction a(x) { v["k"] = x }\n' } })).finish()),
  plan: () => Buffer.from(PlanRequest.encode(travelRequest()).finish()),
  planStream: () => Buffer.from(PlanStreamRequest.encode({ problem: travelRequest() }).finish()),
  act: () => Buffer.from(ActRequest.encode(ActRequest.fromPartial({ kind: { $case: 'start', start: { problem: travelRequest() } } })).finish()),
};

function travelRequest(): PlanRequest {
  return PlanRequest.fromPartial({
    domain: 'simple_htn',
    state: jsonToState({ loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } }),
    todo: jsonToTodo([['travel', 'alice', 'park']]),
  });
}

test('random bytes on every method', async () => {
  for (let i = 0; i < ROUNDS; i++) await Promise.all(METHODS.map((m) => send(m, r.bytes(r.int(300)))));
});

test('truncated and mutated valid messages', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, make] of Object.entries(VALID)) {
      const m = METHODS.find((x) => x.name === name)!;
      const good = make();
      const truncated = good.subarray(0, r.int(good.length));
      const mutated = Buffer.from(good);
      for (let k = 0; k < 1 + r.int(4); k++) mutated[r.int(mutated.length)] = r.int(256);
      await Promise.all([send(m, truncated), send(m, mutated)]);
    }
  }
});

function randomValue(depth: number): Value {
  const leaf: Value[] = [
    { kind: { $case: 'symbol', symbol: r.pick(['a', 'b', 'table', '', 'alice', '__proto__', 'x'.repeat(r.int(50))]) } },
    { kind: { $case: 'number', number: r.pick([0, 1, -1, 1.5, 1e300, -0, Number.MAX_SAFE_INTEGER, NaN, Infinity]) } },
    { kind: { $case: 'boolean', boolean: r.next() < 0.5 } },
    { kind: { $case: 'nil', nil: true } },
    {},
  ];
  if (depth <= 0 || r.next() < 0.4) return r.pick(leaf);
  const items = () => Array.from({ length: r.int(4) }, () => randomValue(depth - 1));
  return r.pick<Value>([
    { kind: { $case: 'set', set: { items: items() } } },
    { kind: { $case: 'list', list: { items: items() } } },
    { kind: { $case: 'tuple', tuple: { items: items() } } },
    { kind: { $case: 'map', map: { entries: Array.from({ length: r.int(4) }, () => ({ key: randomValue(0), value: randomValue(depth - 1) })) } } },
    { kind: { $case: 'multigoal', multigoal: { name: 'g', vars: [{ name: r.pick(['loc', 'pos', '']), value: randomValue(depth - 1) }] } } },
  ]);
}

test('random structured problems in the example domains', async () => {
  const domains = ['simple_htn', 'blocks_gtn', 'logistics_hgn', 'blocks_hgn', 'nope'];
  const names = ['travel', 'walk', 'pos', 'loc', 'move_blocks', 'x', ''];
  for (let i = 0; i < ROUNDS; i++) {
    const req = PlanRequest.fromPartial({
      domain: r.pick(domains),
      state: { vars: Array.from({ length: r.int(4) }, () => ({ name: r.pick(['loc', 'pos', 'clear', 'holding', 'cash', '']), value: randomValue(3) })) },
      todo: Array.from({ length: r.int(3) }, () => r.next() < 0.8
        ? { kind: { $case: 'step' as const, step: { name: r.pick(names), args: Array.from({ length: r.int(4) }, () => randomValue(2)) } } }
        : { kind: { $case: 'multigoal' as const, multigoal: { name: 'g', vars: [{ name: r.pick(['pos', 'loc']), value: randomValue(2) }] } } }) as PlanRequest['todo'],
      options: { traceLevel: r.int(5), limits: { maxExpansions: r.pick([0, 1, 100, 100000]), maxDepth: r.pick([0, 1, 5]) } },
    });
    await send(METHODS.find((m) => m.name === 'plan')!, Buffer.from(PlanRequest.encode(req).finish()));
  }
});

function randomExpr(depth: number): Expr {
  const leaf: Expr[] = [
    { kind: { $case: 'lit', lit: r.pick([{ kind: { $case: 'sym' as const, sym: 'a' } }, { kind: { $case: 'num' as const, num: 2 } }, { kind: undefined }]) } },
    { kind: { $case: 'name', name: r.pick(['x', 'v', 'a', 'len', 'nope']) } },
    {},
  ];
  if (depth <= 0 || r.next() < 0.3) return r.pick(leaf);
  return r.pick<Expr>([
    { kind: { $case: 'binary', binary: { op: r.int(18), left: randomExpr(depth - 1), right: randomExpr(depth - 1) } } },
    { kind: { $case: 'index', index: { base: randomExpr(depth - 1), key: randomExpr(depth - 1) } } },
    { kind: { $case: 'call', call: { fn: r.pick(['len', 'min', 'f', '']), args: [randomExpr(depth - 1)] } } },
    { kind: { $case: 'list', list: { items: [randomExpr(depth - 1)] } } },
    { kind: { $case: 'comp', comp: { elem: randomExpr(depth - 1), vars: ['y'], iter: randomExpr(depth - 1) } } },
    { kind: { $case: 'unary', unary: { op: r.int(3), arg: randomExpr(depth - 1) } } },
  ]);
}

function randomStmt(depth: number): Stmt {
  return r.pick<Stmt>([
    { kind: { $case: 'letStmt', letStmt: { name: r.pick(['x', 'y', '']), value: randomExpr(2) } } },
    { kind: { $case: 'assignStmt', assignStmt: { target: randomExpr(2), value: randomExpr(2) } } },
    { kind: { $case: 'requireStmt', requireStmt: randomExpr(3) } },
    { kind: { $case: 'returnStmt', returnStmt: { value: r.next() < 0.5 ? randomExpr(2) : undefined } } },
    { kind: { $case: 'ifStmt', ifStmt: { test: randomExpr(2), thenBody: depth > 0 ? [randomStmt(depth - 1)] : [], elseBody: [] } } },
    { kind: { $case: 'forStmt', forStmt: { vars: ['k'], iter: randomExpr(1), body: depth > 0 ? [randomStmt(depth - 1)] : [] } } },
    { kind: { $case: 'breakStmt', breakStmt: true } },
    { kind: { $case: 'chooseStmt', chooseStmt: { name: 'c', iter: randomExpr(1) } } },
    {},
  ]);
}

test('random Domain messages', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const body = () => Array.from({ length: r.int(4) }, () => randomStmt(2));
    const domain: Domain = {
      name: r.pick(['fz', '', 'fz2']),
      vars: [{ name: 'v' }],
      consts: r.next() < 0.3 ? [{ name: 'c', value: randomExpr(2) }] : [],
      functions: r.next() < 0.3 ? [{ name: 'f', params: ['x'], body: body() }] : [],
      actions: [{ name: 'a', params: r.pick([[], ['x'], ['x', 'x']]), body: body() }],
      commands: [],
      tasks: [{ name: 't', methods: [{ name: 'm', params: ['x'], body: body(), builtin: r.int(3) }] }],
      unigoals: r.next() < 0.3 ? [{ var: 'v', methods: [{ name: 'u', params: ['k', 'x'], body: body(), builtin: 0 }] }] : [],
      multigoals: [],
    };
    await send(METHODS.find((m) => m.name === 'registerDomain')!, Buffer.from(RegisterDomainRequest.encode(RegisterDomainRequest.fromPartial({ source: { $case: 'domain', domain } })).finish()));
  }
});

test('oversized messages: RESOURCE_EXHAUSTED, and the server goes on', async () => {
  const big = Buffer.from(PlanRequest.encode(PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: 'x'.repeat(1024 * 1024 + 10) })).finish());
  for (const m of METHODS) {
    const before = seen.get(`${m.name}:RESOURCE_EXHAUSTED`) ?? 0;
    await send(m, big);
    assert.is(seen.get(`${m.name}:RESOURCE_EXHAUSTED`) ?? 0, before + 1, m.name);
  }
});

test('after all that, the server still plans correctly and garbage never made a handler throw', async () => {
  const res = await unary<PlanRequest, PlanResponse>(clientOf(server), 'plan', travelRequest());
  assert.is(res.status, PlanStatus.PLAN_STATUS_PLAN);
  assert.is(res.plan.length, 3);
  assert.ok(![...seen.keys()].some((k) => k.endsWith(':UNKNOWN')));
  assert.equal(internals, [], `INTERNAL answers (server faults found by fuzzing):\n${internals.slice(0, 10).join('\n')}`);
});

test.run();
