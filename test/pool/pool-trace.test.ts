/**
 * Trace events cross from a worker thread as the worker's engine produces
 * them: the pool hands them to onTrace in chunks, ends after the last one,
 * and the result carries none.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBuiltinDomain, type TraceEvent } from '../../server/src/planner/index.js';
import { parseDomain } from '../../server/src/planner/language/parse-domain.js';
import { PlannerPool } from '../../server/src/pool/planner-pool.js';
import { waitFor } from '../support/test-server.js';

const domain = { id: 'probe', domainJson: JSON.stringify(parseDomain(readBuiltinDomain('probe_misc').text)) };
/** 20,000 actions, a long trace. */
const problem = { state: { v: { x: null }, n: { c: 0 } }, todo: [['count', 20_000]] };

test('a worker streams a long trace to onTrace in chunks, all of it before plan() resolves', async () => {
  const pool = new PlannerPool({ size: 1 });
  try {
    const chunks: TraceEvent[][] = [];
    const r = await pool.plan(domain, problem, { traceLevel: 3, onTrace: (events) => chunks.push(events) });
    assert.is(r.status, 'plan');
    assert.is(r.trace, undefined);
    assert.ok(chunks.length > 2, `${chunks.length} chunks`);
    const events = chunks.flat();
    assert.is(events.filter((e) => e.kind === 'action_applied').length, 20_000);
    assert.is(events[events.length - 1]!.kind, 'result');
    // A second call on the same worker streams its own events only.
    const again: TraceEvent[] = [];
    await pool.plan(domain, { ...problem, todo: [['count', 3]] }, { traceLevel: 3, onTrace: (e) => again.push(...e) });
    assert.is(again.filter((e) => e.kind === 'action_applied').length, 3);
  } finally {
    await pool.close();
  }
});

test('a worker does not run more than the trace window ahead of a caller that has not taken its events', async () => {
  const pool = new PlannerPool({ size: 1, traceWindow: 1000 });
  try {
    const chunks: TraceEvent[][] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const planned = pool.plan(domain, problem, {
      traceLevel: 3,
      // The first chunk is not taken until released; later ones at once.
      onTrace: (events) => { chunks.push(events); return chunks.length === 1 ? held : undefined; },
    });
    // Settled whatever happens below: a failing assertion must not leave a rejection unhandled (it would end the run without totals).
    const outcome = planned.then((r) => ({ r }), (err: unknown) => ({ err }));
    try {
      // No timing assumption about when the first chunk comes: wait for it (bounded) ...
      await waitFor(() => chunks.length >= 1, 60_000, 'the first trace chunk');
      // ... then give the worker time it could use to run ahead; on a slow machine this only makes the check weaker.
      await new Promise((r) => setTimeout(r, 300));
      assert.is(chunks.length, 1, 'the worker waits while its first chunk (more than the window) is not taken');
    } finally {
      release();
    }
    const settled = await outcome;
    if ('err' in settled) throw settled.err;
    const r = settled.r;
    assert.is(r.status, 'plan');
    assert.ok(chunks.length > 2);
    assert.is(chunks.flat().filter((e) => e.kind === 'action_applied').length, 20_000, 'nothing lost');
  } finally {
    await pool.close();
  }
});

test('a cancelled call stops waiting for its trace to be taken', async () => {
  const pool = new PlannerPool({ size: 1, traceWindow: 1000 });
  try {
    const ac = new AbortController();
    let started = false;
    const planned = pool.plan(domain, problem, { traceLevel: 3, onTrace: () => { started = true; return new Promise<void>(() => undefined); } }, ac.signal);
    // Settled at once, so that a failure below cannot leave it unhandled.
    planned.catch(() => undefined);
    await waitFor(() => started, 60_000, 'the first trace chunk');
    ac.abort();
    // Cancelled: a rejection, or the engine's own `cancelled` limit when the worker saw the flag first.
    const outcome = await planned.then((r) => (r.status === 'limit' ? r.limit : r.status), (e: unknown) => e);
    assert.ok(outcome instanceof Error || outcome === 'cancelled', `outcome ${String(outcome)}`);
    // The worker is free again: a plain call is answered.
    const ok = await pool.plan(domain, { ...problem, todo: [['count', 3]] }, {});
    assert.is(ok.status, 'plan');
  } finally {
    await pool.close();
  }
});

test.run();
