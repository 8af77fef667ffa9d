/**
 * Property-based fuzzing (fast-check) of every RPC of every service the
 * server runs (planner, queue, auth, secrets, data, health, reflection),
 * from a client built from the .proto files with protobufjs, not the
 * project's generated code: random messages of each request type (random
 * Unicode with lone surrogates and NUL, huge strings, deep nesting, random
 * numbers and limits), mutated valid messages and raw garbage. No call may
 * answer INTERNAL or UNKNOWN, and after each service's batch the server
 * still answers health and a correct Plan. Bounded in runs and time;
 * ARIA_FUZZ_SEED replays a run, ARIA_FUZZ_RUNS sets the runs per method.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { credentials, makeGenericClientConstructor, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { join } from 'node:path';
import { protoRoot, PLANNER_PROTO, SERVICE_PROTOS } from '../../server/src/transport/proto-files.js';
import { foundationServer } from '../support/foundation-server.js';

const SEED = Number(process.env.ARIA_FUZZ_SEED ?? Date.now() % 1_000_000);
const RUNS = Number(process.env.ARIA_FUZZ_RUNS ?? 20);
/** The whole fuzz run's time bound (fast-check stops generating past it). */
const BUDGET_MS = Number(process.env.ARIA_FUZZ_BUDGET_MS ?? 150_000);

const root = new protobuf.Root();
const base = protoRoot();
root.resolvePath = (_origin, target) => (target.startsWith('google/') || target.startsWith('/') ? target : join(base, target));
root.loadSync([PLANNER_PROTO, ...SERVICE_PROTOS].map((p) => join(base, p)));
root.resolveAll();

/** Strings a server must survive: lone surrogates, NUL, path and SQL metacharacters, Object member names, emoji, huge. */
const nasty = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 4 },
  { arbitrary: fc.constantFrom('', '\u0000', '\ud83d', '\udc00x', 'a\u0000b', '../../etc/passwd', "x'; DROP TABLE users; --", '\u{1F680}', 'simple_htn', 'admin', '{"state":{},"todo":[]}', '__proto__', 'constructor', 'valueOf'), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 300_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);
const number = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 2 ** 53 - 1, -(2 ** 31)), fc.double({ noNaN: true }));

/** Random values of a protobufjs message type, nested at most `depth` levels. */
function arbMessage(type: protobuf.Type, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) {
    const one = arbField(field, depth);
    if (!one) continue;
    fields[field.name] = field.repeated ? fc.array(one, { maxLength: depth > 0 ? 3 : 1 }) : one;
  }
  return fc.record(fields, { requiredKeys: [] });
}

function arbField(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> | undefined {
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) return depth <= 0 ? undefined : fc.constant(null).chain(() => arbMessage(t, depth - 1));
  if (t instanceof protobuf.Enum) return fc.oneof(fc.constantFrom(...Object.values(t.values)), fc.integer({ min: -5, max: 99 }));
  switch (field.type) {
    case 'string': return nasty;
    case 'bytes': return fc.uint8Array({ maxLength: 64 });
    case 'bool': return fc.boolean();
    case 'double': case 'float': return number;
    case 'int32': case 'sint32': case 'sfixed32': return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32': case 'fixed32': return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    default: return fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER)); // 64-bit
  }
}

/** A request's bytes: a random message, a valid one mutated (flipped, cut, grown), or garbage. */
function arbRequest(type: protobuf.Type): fc.Arbitrary<Uint8Array> {
  const encoded = arbMessage(type, 4).map((m) => {
    try {
      return type.encode(type.fromObject(m)).finish();
    } catch {
      return new Uint8Array();
    }
  });
  const mutated = fc.tuple(encoded, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'grow')).map(([b, at, v, how]) => {
    const out = Uint8Array.from(b);
    if (out.length === 0) return Uint8Array.of(v);
    if (how === 'flip') out[at % out.length] = v;
    if (how === 'cut') return out.subarray(0, at % out.length);
    if (how === 'grow') return Uint8Array.from([...out, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    return out;
  });
  return fc.oneof({ arbitrary: encoded, weight: 3 }, { arbitrary: mutated, weight: 2 }, { arbitrary: fc.uint8Array({ maxLength: 512 }), weight: 1 });
}

const identity = (b: Buffer) => b;
interface RawMethod { name: string; path: string; requestStream: boolean; responseStream: boolean; type: protobuf.Type }

/** Every method of every service: the project's contracts, health and reflection. */
function methods(): Array<{ service: string; list: RawMethod[] }> {
  const out: Array<{ service: string; list: RawMethod[] }> = [];
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const obj of ns.nestedArray) {
      if (obj instanceof protobuf.Service) {
        out.push({ service: obj.fullName.slice(1), list: obj.methodsArray.map((m) => ({
          name: m.name, path: `/${obj.fullName.slice(1)}/${m.name}`, requestStream: !!m.requestStream, responseStream: !!m.responseStream,
          type: m.resolvedRequestType!,
        })) });
      } else if (obj instanceof protobuf.Namespace) visit(obj);
    }
  };
  visit(root);
  return out;
}

const fs = await foundationServer({ devNoAuth: true, libraryUrl: null });
const seen = new Map<string, number>();
const bad: string[] = [];

/** Sends one request (streams: one message, then end) and resolves with the final status code. */
function send(client: Client, m: RawMethod, bytes: Uint8Array): Promise<number> {
  const deadline = new Date(Date.now() + 20_000);
  const c = client as unknown as Record<string, (...a: unknown[]) => NodeJS.EventEmitter & { write?(b: Buffer): void; end?(): void; cancel?(): void }>;
  const payload = Buffer.from(bytes);
  return new Promise((resolve) => {
    if (!m.requestStream && !m.responseStream) {
      c[m.name](payload, new Metadata(), { deadline }, (err: ServiceError | null) => resolve(err ? err.code : status.OK));
      return;
    }
    const call = m.requestStream ? c[m.name](new Metadata(), { deadline }) : c[m.name](payload, new Metadata(), { deadline });
    let done = false;
    const finish = (code: number) => { if (!done) { done = true; resolve(code); } };
    call.on('data', () => {
      // A watch that answers keeps streaming: it answered, which is all this checks.
      if (m.name.startsWith('Watch')) { call.cancel?.(); finish(status.OK); }
    });
    call.on('error', (e: ServiceError) => finish(e.code));
    call.on('status', (s: { code: number }) => finish(s.code));
    if (m.requestStream) { call.write!(payload); call.end!(); }
  });
}

const TRAVEL = '{"state":{"loc":{"alice":"home_a","taxi1":"park"},"cash":{"alice":20},"owe":{"alice":0}},"todo":[["travel","alice","park"]]}';
const planType = root.lookupType('aria.planner.v1.PlanRequest');
const healthType = new protobuf.Type('HealthCheckRequest').add(new protobuf.Field('service', 1, 'string'));

/** The server still answers health and plans correctly. */
async function stillServes(client: Client): Promise<void> {
  const c = client as unknown as Record<string, (b: Buffer, md: Metadata, o: object, cb: (e: ServiceError | null, r: Buffer) => void) => void>;
  const call = (name: string, bytes: Uint8Array) => new Promise<Buffer>((resolve, reject) =>
    c[name](Buffer.from(bytes), new Metadata(), { deadline: new Date(Date.now() + 60_000) }, (e, r) => (e ? reject(new Error(`${name}: ${e.code} ${e.details}`)) : resolve(r))));
  const health = await call('HealthCheck', healthType.encode({ service: '' }).finish());
  assert.equal([...health], [8, 1], 'health answers SERVING');
  const planned = root.lookupType('aria.planner.v1.PlanResponse').toObject(root.lookupType('aria.planner.v1.PlanResponse').decode(
    await call('Plan', planType.encode(planType.fromObject({ domain: 'simple_htn', problemJson: TRAVEL })).finish())));
  assert.is((planned.plan as unknown[]).length, 3, 'a correct Plan');
}

test(`every RPC of every service answers random, mutated and garbage requests with a status a client can act on (seed ${SEED})`, async () => {
  const all = methods();
  const defs: Record<string, object> = {};
  for (const { list } of all) for (const m of list) {
    defs[`${m.path}`] = { path: m.path, requestStream: m.requestStream, responseStream: m.responseStream,
      requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity };
  }
  const names = Object.fromEntries(Object.entries(defs).map(([p, d]) => [p.replaceAll('/', '_'), d]));
  names.HealthCheck = { ...(defs['/aria.planner.v1.PlannerService/Plan'] as object), path: '/grpc.health.v1.Health/Check' };
  names.Plan = defs['/aria.planner.v1.PlannerService/Plan'] as object;
  const Raw = makeGenericClientConstructor(names as never, 'RawAll');
  const client = new Raw(fs.address, credentials.createInsecure());
  const started = Date.now();
  try {
    for (const { service, list } of [...all, { service: 'grpc.health.v1.Health', list: [{ name: 'HealthCheck', path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false, type: healthType }] }]) {
      for (const m of list) {
        const key = m.name === 'HealthCheck' ? 'HealthCheck' : m.path.replaceAll('/', '_');
        const left = BUDGET_MS - (Date.now() - started);
        if (left <= 0) break;
        // fc.check, not fc.assert: a counterexample of megabytes must not become the failure message; `bad` says what failed.
        await fc.check(fc.asyncProperty(arbRequest(m.type), async (bytes) => {
          const code = await send(client, { ...m, name: key }, bytes);
          const k = `${m.path}:${status[code]}`;
          seen.set(k, (seen.get(k) ?? 0) + 1);
          if (code === status.INTERNAL || code === status.UNKNOWN) bad.push(`${m.path} answered ${status[code]} to ${bytes.length} bytes: ${Buffer.from(bytes).toString('base64').slice(0, 160)}`);
          return code !== status.INTERNAL && code !== status.UNKNOWN;
        }), { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: Math.max(1000, Math.min(left, 30_000)), endOnFailure: true, verbose: 0 });
      }
      await stillServes(client);
      console.log(`  ${service}: fuzzed, still serving`);
    }
  } finally {
    client.close();
  }
  const byCode: Record<string, number> = {};
  for (const [k, n] of seen) { const code = k.slice(k.lastIndexOf(':') + 1); byCode[code] = (byCode[code] ?? 0) + n; }
  console.log(`  seed ${SEED}: ${[...seen.values()].reduce((a, b) => a + b, 0)} calls to ${new Set([...seen.keys()].map((k) => k.slice(0, k.lastIndexOf(':')))).size} methods; statuses ${JSON.stringify(byCode)}`);
  assert.equal(bad, [], `seed ${SEED}`);
});

test.after(async () => {
  await fs.stop();
});

test.run();
