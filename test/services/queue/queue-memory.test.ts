/**
 * The in-process job queue (the embedded default): jobs on a real planner
 * pool, batches with progress, cancellation inside the worker, retries of
 * transient failures only, idempotent submission, listing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError } from '../../../server/src/planner/errors.js';
import { NotFoundError, WorkerCrashError } from '../../../server/src/core/errors.js';
import { PlannerPool } from '../../../server/src/pool/planner-pool.js';
import { historyRecordId, JOB_METHOD, MemoryJobHistory } from '../../../server/src/services/queue/job-history.js';
import { waitForJob, type JobEvent } from '../../../server/src/services/queue/job-types.js';
import { MemoryJobQueue } from '../../../server/src/services/queue/memory-queue.js';
import { DIG, OK_RESULT, scriptedPlanner, SLOW_TEXT, specFor, TRAVEL, until } from '../../support/queue-fixtures.js';
import { within } from '../../support/time-slack.js';

const pool = new PlannerPool({ size: 2, logCrashes: false, killGraceMs: 500 });
test.after(() => pool.close());

test('a single problem completes with its plan and one history record', async () => {
  const history = new MemoryJobHistory();
  const q = new MemoryJobQueue({ planner: pool, history });
  const { job, created } = await q.submit(specFor('simple_htn', [TRAVEL]));
  assert.ok(created);
  assert.is(job.total, 1);
  const done = await waitForJob(q, job.id);
  assert.is(done.state, 'completed');
  assert.is(done.done, 1);
  assert.is(done.attempts, 1);
  const r = done.results?.[0];
  assert.ok(r?.status === 'plan' && r.plan.length === 3, JSON.stringify(r));
  const records = history.all();
  assert.is(records.length, 1);
  assert.is(records[0].id, historyRecordId(job.id, 0));
  assert.equal([records[0].status, records[0].planLength, records[0].username, records[0].method], ['plan', 3, 'tester', JOB_METHOD]);
  await q.close();
});

test('a batch reports progress in order and keeps each problem its own outcome', async () => {
  const history = new MemoryJobHistory();
  const q = new MemoryJobQueue({ planner: pool, history });
  const mixed = specFor('simple_htn', [TRAVEL, { json: '{"state": {', field: 'problem_json' }, { json: JSON.stringify(TRAVEL), field: 'problem_json' }]);
  const { job: batch } = await q.submit(mixed);
  const events: JobEvent[] = [];
  for await (const e of q.watch(batch.id)) events.push(e);
  const last = events.at(-1);
  assert.ok(last?.kind === 'finished');
  const progress = events.flatMap((e) => (e.kind === 'progress' ? [e.done] : []));
  assert.equal(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');
  const results = last.job.results ?? [];
  assert.equal(results.map((r) => r?.status), ['plan', 'invalid', 'plan']);
  assert.ok(results[1]?.status === 'invalid' && results[1].field === 'problem_json' && /not valid JSON/.test(results[1].message));
  assert.is(history.all().length, 2, 'the malformed problem never reached the planner');
  await q.close();
});

test('a problem that hits a limit is a result, not a failure', async () => {
  const q = new MemoryJobQueue({ planner: pool });
  const { job } = await q.submit(specFor(SLOW_TEXT, [DIG, DIG], { options: { timeoutMs: 100 } }));
  const done = await waitForJob(q, job.id);
  assert.is(done.state, 'completed');
  assert.equal(done.results?.map((r) => (r?.status === 'limit' ? r.limit : r?.status)), ['deadline', 'deadline']);
  await q.close();
});

test('cancel stops a running job inside the worker, and a queued one at once', async () => {
  const q = new MemoryJobQueue({ planner: pool, concurrency: 1 });
  const { job: slow } = await q.submit(specFor(SLOW_TEXT, [DIG], { options: { maxExpansions: 1e15 } }));
  const { job: waiting } = await q.submit(specFor('simple_htn', [TRAVEL]));
  await until(async () => (await q.get(slow.id)).state === 'running', 2000, 'the slow job to start');
  const c1 = await q.cancel(waiting.id);
  assert.ok(c1.cancelled);
  assert.is(c1.job.state, 'cancelled');
  const t0 = Date.now();
  assert.ok((await q.cancel(slow.id)).cancelled);
  const ended = await waitForJob(q, slow.id);
  assert.is(ended.state, 'cancelled');
  assert.is(ended.failure?.kind, 'cancelled');
  assert.ok(Date.now() - t0 < within(1500), `took ${Date.now() - t0} ms`);
  assert.not.ok((await q.cancel(slow.id)).cancelled, 'an ended job stays as it is');
  const after = await waitForJob(q, (await q.submit(specFor('simple_htn', [TRAVEL]))).job.id);
  assert.is(after.state, 'completed');
  await q.close();
});

test('transient failures are retried with backoff; domain errors and planner answers are not', async () => {
  const flaky = scriptedPlanner((call) => {
    if (call === 1) throw new Error('connection reset');
    return OK_RESULT;
  });
  const q1 = new MemoryJobQueue({ planner: flaky, backoffMs: 20 });
  const j1 = await waitForJob(q1, (await q1.submit(specFor('simple_htn', [TRAVEL]))).job.id);
  assert.equal([j1.state, j1.attempts, flaky.calls], ['completed', 2, 2]);

  const broken = scriptedPlanner(() => {
    throw new DomainError('x.aria:1:1', 'does not compile here');
  });
  const q2 = new MemoryJobQueue({ planner: broken, backoffMs: 20 });
  const j2 = await waitForJob(q2, (await q2.submit(specFor('simple_htn', [TRAVEL]))).job.id);
  assert.equal([j2.state, j2.attempts, broken.calls, j2.failure?.kind], ['failed', 1, 1, 'domain']);

  const buggy = scriptedPlanner(() => ({ status: 'error', message: 'goal not achieved', stats: OK_RESULT.stats }));
  const q3 = new MemoryJobQueue({ planner: buggy, backoffMs: 20 });
  const j3 = await waitForJob(q3, (await q3.submit(specFor('simple_htn', [TRAVEL]))).job.id);
  assert.equal([j3.state, j3.attempts, buggy.calls, j3.results?.[0]?.status], ['completed', 1, 1, 'error']);

  // A problem that crashes its worker every time becomes a `crash` result after the last attempt; the others keep theirs.
  const crashing = scriptedPlanner((_call, problem) => {
    if ('todo' in problem && JSON.stringify(problem.todo) === '[["boom"]]') throw new WorkerCrashError('worker died');
    return OK_RESULT;
  }, 1);
  const q4 = new MemoryJobQueue({ planner: crashing, backoffMs: 20, attempts: 3 });
  const j4 = await waitForJob(q4, (await q4.submit(specFor('simple_htn', [TRAVEL, { state: {}, todo: [['boom']] }]))).job.id);
  assert.is(j4.state, 'completed');
  assert.is(j4.attempts, 3);
  assert.equal(j4.results?.map((r) => r?.status), ['plan', 'crash']);
  assert.is(crashing.calls, 4, 'the good problem was planned once, the bad one on each of 3 attempts');
  await Promise.all([q1.close(), q2.close(), q3.close(), q4.close()]);
});

test('a client-chosen job id makes submission idempotent', async () => {
  const q = new MemoryJobQueue({ planner: pool });
  const first = await q.submit(specFor('simple_htn', [TRAVEL], { jobId: 'nightly-1' }));
  const again = await q.submit(specFor('simple_htn', [TRAVEL, TRAVEL], { jobId: 'nightly-1' }));
  assert.ok(first.created);
  assert.not.ok(again.created);
  assert.is(again.job.id, 'nightly-1');
  assert.is(again.job.total, 1, 'the existing job, not the second submission');
  await waitForJob(q, 'nightly-1');
  await q.close();
});

test('list filters by state and domain, newest first; unknown ids are NOT_FOUND', async () => {
  const q = new MemoryJobQueue({ planner: pool });
  const a = (await q.submit(specFor('simple_htn', [TRAVEL]))).job.id;
  const b = (await q.submit(specFor(SLOW_TEXT, [DIG], { options: { timeoutMs: 50 } }))).job.id;
  await Promise.all([waitForJob(q, a), waitForJob(q, b)]);
  assert.equal((await q.list()).map((j) => j.id), [b, a]);
  assert.equal((await q.list({ domainName: 'simple_htn' })).map((j) => j.id), [a]);
  assert.equal((await q.list({ state: 'failed' })).length, 0);
  assert.is((await q.list({ limit: 1 })).length, 1);
  assert.is((await q.list())[0].results, undefined, 'lists leave results out');
  try {
    await q.get('nope');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, NotFoundError);
  }
  await q.close();
});

test.run();
