/**
 * The worker pool under the server: deadlines and cancellation stop the
 * search inside the worker (the same thread then serves the next call), a
 * killed or trapping worker fails only its call and is replaced, a worker
 * that ignores cancellation is terminated after the grace time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { status } from '@grpc/grpc-js';
import { PlanRequest, PlanStatus, RegisterDomainRequest, type PlanResponse, type RegisterDomainResponse } from '../../gen/ts/aria/planner/v1/planner.js';
import type { AriaServer } from '../../server/src/app/start-server.js';
import { clientOf, failure, SLOW_DOMAIN, testServer, unary, waitFor } from '../support/test-server.js';
import { within } from '../support/time-slack.js';

const TRAVEL_JSON = JSON.stringify({
  state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
  todo: [['travel', 'alice', 'park']],
});
const FOREVER_JSON = JSON.stringify({ state: {}, todo: [['dig', 12]] });
/** With the default expansion limit the endless search would stop within a second or two. */
const NO_LIMIT = { limits: { maxExpansions: 1e15 } } as PlanRequest['options'];

async function withServer(opts: Parameters<typeof testServer>[0], fn: (s: AriaServer) => Promise<void>): Promise<void> {
  const s = await testServer(opts);
  try {
    await fn(s);
  } finally {
    await s.shutdown(500);
  }
}

const plan = (s: AriaServer, req: Partial<PlanRequest>, opts: Parameters<typeof unary>[3] = {}) =>
  unary<PlanRequest, PlanResponse>(clientOf(s), 'plan', PlanRequest.fromPartial(req), opts);

async function registerSlow(s: AriaServer): Promise<string> {
  const res = await unary<RegisterDomainRequest, RegisterDomainResponse>(clientOf(s), 'registerDomain', RegisterDomainRequest.fromPartial({ source: { $case: 'text', text: SLOW_DOMAIN } }));
  return res.info!.id;
}

const threadIds = (s: AriaServer) => s.pool.threads.map((t) => t.threadId).sort();

test('a deadline stops the search inside the worker, which then serves the next call', async () => {
  await withServer({ workers: 1 }, async (s) => {
    const slow = await registerSlow(s);
    await plan(s, { domain: 'simple_htn', problemJson: TRAVEL_JSON });
    const before = threadIds(s);
    const t0 = Date.now();
    const f = await failure(plan(s, { domain: slow, problemJson: FOREVER_JSON, options: NO_LIMIT }, { deadlineMs: 300 }));
    assert.is(f.code, status.DEADLINE_EXCEEDED);
    const next = await plan(s, { domain: 'simple_htn', problemJson: TRAVEL_JSON });
    assert.is(next.status, PlanStatus.PLAN_STATUS_PLAN);
    assert.ok(Date.now() - t0 < within(1500), `took ${Date.now() - t0} ms`);
    assert.equal(threadIds(s), before, 'the same worker thread, not a replacement');
  });
});

test('a client cancellation stops the search inside the worker', async () => {
  await withServer({ workers: 1 }, async (s) => {
    const slow = await registerSlow(s);
    await plan(s, { domain: 'simple_htn', problemJson: TRAVEL_JSON });
    const before = threadIds(s);
    let cancel = () => {};
    const pending = failure(plan(s, { domain: slow, problemJson: FOREVER_JSON, options: NO_LIMIT }, { onCall: (c) => (cancel = () => c.cancel()) }));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    cancel();
    assert.is((await pending).code, status.CANCELLED);
    const next = await plan(s, { domain: 'simple_htn', problemJson: TRAVEL_JSON });
    assert.is(next.status, PlanStatus.PLAN_STATUS_PLAN);
    assert.ok(Date.now() - t0 < within(1000), `the worker was freed after ${Date.now() - t0} ms`);
    assert.equal(threadIds(s), before);
  });
});

test('a call waiting in the queue leaves it at its deadline', async () => {
  // Without the main-thread try, which would answer the small call at once.
  await withServer({ workers: 1, inline: false }, async (s) => {
    const slow = await registerSlow(s);
    const busy = failure(plan(s, { domain: slow, problemJson: FOREVER_JSON, options: NO_LIMIT }, { deadlineMs: 1500 }));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const queued = await failure(plan(s, { domain: 'simple_htn', problemJson: TRAVEL_JSON }, { deadlineMs: 200 }));
    assert.is(queued.code, status.DEADLINE_EXCEEDED);
    assert.ok(Date.now() - t0 < within(900), `queued call ended after ${Date.now() - t0} ms`);
    assert.is((await busy).code, status.DEADLINE_EXCEEDED);
  });
});

test('the planner\'s own timeout limit answers DEADLINE_EXCEEDED with limit "deadline"', async () => {
  await withServer({ workers: 1 }, async (s) => {
    const slow = await registerSlow(s);
    const f = await failure(plan(s, { domain: slow, problemJson: FOREVER_JSON, options: { limits: { timeoutMs: 100, maxExpansions: 1e15 } } as PlanRequest['options'] }));
    assert.is(f.code, status.DEADLINE_EXCEEDED, `${status[f.code]}: ${f.details}`);
    assert.is(f.detail?.limit, 'deadline');
  });
});

test('a killed worker fails only its own call and is replaced', async () => {
  await withServer({ workers: 2 }, async (s) => {
    const slow = await registerSlow(s);
    await waitFor(() => s.pool.threads.length === 2, 5000, 'two workers');
    const before = threadIds(s);
    const doomed = failure(plan(s, { domain: slow, problemJson: FOREVER_JSON, options: NO_LIMIT }, { deadlineMs: 5000 }));
    await new Promise((r) => setTimeout(r, 200));
    // One worker runs the endless call, the other is idle: kill both.
    const [a, b] = s.pool.threads;
    await Promise.all([a.terminate(), b.terminate()]);
    const f = await doomed;
    assert.is(f.code, status.INTERNAL);
    assert.match(f.details, /^internal error \(ref [0-9a-f]+\)$/);
    await waitFor(() => s.pool.threads.length === 2, 5000, 'replacement workers');
    assert.not.equal(threadIds(s), before);
    const answers = await Promise.all(Array.from({ length: 20 }, () => plan(s, { domain: 'simple_htn', problemJson: TRAVEL_JSON })));
    assert.ok(answers.every((a) => a.status === PlanStatus.PLAN_STATUS_PLAN && a.plan.length === 3));
  });
});

const fakeLibrary = new URL('../support/fake-planner.js', import.meta.url).href;

test('a WebAssembly trap fails that call with INTERNAL (cause not sent) and the worker is replaced', async () => {
  await withServer({ workers: 2, libraryUrl: fakeLibrary }, async (s) => {
    await waitFor(() => s.pool.threads.length === 2, 5000, 'two workers');
    const before = threadIds(s);
    const [trapped, fine] = await Promise.all([
      failure(plan(s, { domain: 'fake', problemJson: JSON.stringify({ state: {}, todo: [['trap']] }) })),
      plan(s, { domain: 'fake', problemJson: JSON.stringify({ state: {}, todo: [['work']] }) }),
    ]);
    assert.is(trapped.code, status.INTERNAL);
    assert.not.match(trapped.details, /unreachable|secret/);
    assert.is(fine.status, PlanStatus.PLAN_STATUS_PLAN);
    await waitFor(() => s.pool.threads.length === 2 && threadIds(s).some((id) => !before.includes(id)), 5000, 'a replacement worker');
    const after = await plan(s, { domain: 'fake', problemJson: JSON.stringify({ state: {}, todo: [['work']] }) });
    assert.is(after.status, PlanStatus.PLAN_STATUS_PLAN);
  });
});

test('a worker that ignores cancellation is terminated after the grace time and replaced', async () => {
  await withServer({ workers: 1, libraryUrl: fakeLibrary, killGraceMs: 300 }, async (s) => {
    await waitFor(() => s.pool.threads.length === 1, 5000, 'one worker');
    const before = threadIds(s);
    const t0 = Date.now();
    const f = await failure(plan(s, { domain: 'fake', problemJson: JSON.stringify({ state: {}, todo: [['ignore_cancel']] }) }, { deadlineMs: 200 }));
    assert.is(f.code, status.DEADLINE_EXCEEDED);
    const next = await plan(s, { domain: 'fake', problemJson: JSON.stringify({ state: {}, todo: [['work']] }) });
    assert.is(next.status, PlanStatus.PLAN_STATUS_PLAN);
    assert.ok(Date.now() - t0 < within(3000), `${Date.now() - t0} ms`);
    assert.not.equal(threadIds(s), before);
  });
});

test.run();
