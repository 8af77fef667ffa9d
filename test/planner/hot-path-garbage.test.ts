/**
 * A small Plan call must not leave garbage in V8's old generation: each
 * byte there is work for the major collector, and on a busy server that
 * was a large part of a call's cost. Three patterns did it, each on every
 * call: `{...options, more}` (new hidden classes per call), an object
 * literal with getters (the same), and moving a key to the end of a
 * long-lived Map (new tables in the old generation). The bound is loose
 * (the fixed path leaves a few bytes a call; each pattern left hundreds).
 *
 * Each measurement runs in a worker thread of its own: V8 decides per
 * allocation site, from what it has seen, to allocate straight into the old
 * generation (pretenuring), and a suite run before this one in the same
 * process (the IPC plans, whose long plans live long) can make it decide so
 * for the plan decoder's sites, which measures that suite, not this path.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Metadata } from '@grpc/grpc-js';
import pino from 'pino';
import { PlanRequest } from '../../gen/ts/aria/planner/v1/planner.js';
import { callSignal } from '../../server/src/transport/call-signal.js';
import { plannerServiceHandlers } from '../../server/src/transport/engine/planner-adapter.js';
import { DomainRegistry } from '../../server/src/services/engine/domain-registry.js';
import { MemoryDomainStore } from '../../server/src/services/engine/domain-store.js';
import { importLibrary } from '../../server/src/planner/library.js';
import { PlannerService } from '../../server/src/services/engine/planner-service.js';
import { InlinePlanner } from '../../server/src/pool/inline-planner.js';
import { LruCache } from '../../server/src/pool/lru-cache.js';
import { PlannerPool } from '../../server/src/pool/planner-pool.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const BOUND = 100;
const CALLS = 20_000;

/** Bytes the old generation grew by per call of f, after a warm-up. */
function oldBytesPerCall(f: (i: number) => void): number {
  for (let i = 0; i < 2000; i++) f(i);
  gc();
  const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
  const before = old();
  for (let i = 0; i < CALLS; i++) f(i);
  return (old() - before) / CALLS;
}

class FakeCall extends EventEmitter {
  cancelled = false;
  readonly metadata = new Metadata();
  constructor(readonly request: unknown) {
    super();
  }
  getDeadline(): number {
    return Infinity;
  }
}

/** The LRU and call-signal measurements. */
function measureLruAndSignal(): Record<string, number> {
  const cache = new LruCache<object>(16, () => undefined);
  cache.set('a'.repeat(64), {});
  cache.set('b'.repeat(64), {});
  const key = 'b'.repeat(64);
  const lru = oldBytesPerCall(() => cache.get(key));
  const shutdown = new AbortController().signal;
  const call = new FakeCall(undefined);
  const signal = oldBytesPerCall(() => callSignal(call, shutdown).dispose());
  return { lru, signal };
}

/** The Plan handler measurement, with what shows the calls were answered inline. */
async function measurePlan(): Promise<Record<string, number>> {
  const library = await importLibrary();
  const log = pino({ level: 'silent' });
  const registry = await DomainRegistry.open(library, new MemoryDomainStore(), log);
  const pool = new PlannerPool({ size: 1 });
  try {
    // A generous time budget: on a loaded machine a call descheduled past the default 5 ms would
    // go to the pool and answer later, which this test (about garbage, not time) must not count.
    const inline = new InlinePlanner(library, { maxMillis: 60_000 });
    const handlers = plannerServiceHandlers({
      service: new PlannerService(registry, pool, inline), log, shutdown: new AbortController().signal, streamWindow: 4, observe: () => undefined,
    });
    const problem = { state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } }, todo: [['travel', 'alice', 'park']] };
    // The options field set (trace level 0) is what made `{...options, more}` costly.
    const request = PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: JSON.stringify(problem), options: { traceLevel: 0, verifyGoals: true } });
    let answers = 0;
    const planOnce = () => handlers.plan(new FakeCall(request) as never, (err, res) => { if (!err && res?.plan.length) answers++; });
    await new Promise<void>((resolve) => handlers.plan(new FakeCall(request) as never, () => resolve()));
    const perCall = oldBytesPerCall(planOnce);
    return { perCall, answers, inline: inline.counts.inline };
  } finally {
    await pool.close();
  }
}

/** Runs one measurement in a worker thread (a fresh V8 heap) and returns its figures. */
function inWorker(which: 'lru' | 'plan'): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: which });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => { if (code !== 0) reject(new Error(`measurement worker exited with ${code}`)); });
  });
}

if (isMainThread) {
  test('an LRU hit on the newest key, and a call signal, leave nothing in the old generation', async () => {
    const { lru, signal } = await inWorker('lru');
    assert.ok(lru < BOUND, `LruCache.get: ${lru.toFixed(0)} B/call`);
    assert.ok(signal < BOUND, `callSignal: ${signal.toFixed(0)} B/call`);
  });

  test('a small Plan through the handler, planned on this thread, leaves under 100 bytes a call in the old generation', async () => {
    const { perCall, answers, inline } = await inWorker('plan');
    assert.is(answers, CALLS + 2000, 'every call answered at once, with a plan');
    assert.ok(inline >= CALLS, 'planned on this thread');
    assert.ok(perCall < BOUND, `Plan handler: ${perCall.toFixed(0)} B/call in the old generation`);
  });

  test.run();
} else {
  const run = workerData === 'lru' ? Promise.resolve(measureLruAndSignal()) : measurePlan();
  run.then((r) => parentPort!.postMessage(r), (e: unknown) => { throw e; });
}
