/**
 * The BullMQ queue against a real Redis (REDIS_URL; skipped without it):
 * batches with progress and kept results, cancellation of queued and
 * running jobs, retries of transient failures only, idempotent submission,
 * listing, and UNAVAILABLE when Redis cannot be reached. Each test has its
 * own key prefix and removes its keys.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { UnavailableError, NotFoundError } from '../../../server/src/core/errors.js';
import { DomainError } from '../../../server/src/planner/errors.js';
import { PlannerPool } from '../../../server/src/pool/planner-pool.js';
import { BullJobQueue, type BullQueueOptions } from '../../../server/src/services/queue/bullmq-queue.js';
import { startQueueWorker, type QueueWorkerOptions } from '../../../server/src/services/queue/bullmq-worker.js';
import { MemoryJobHistory } from '../../../server/src/services/queue/job-history.js';
import { waitForJob, type JobEvent } from '../../../server/src/services/queue/job-types.js';
import type { JobPlanner } from '../../../server/src/services/queue/run-job.js';
import { DIG, freshPrefix, OK_RESULT, REDIS_URL, removeKeys, scriptedPlanner, SLOW_TEXT, specFor, TRAVEL, until } from '../../support/queue-fixtures.js';
import { within } from '../../support/time-slack.js';

if (!REDIS_URL) console.log('queue-bullmq: REDIS_URL is not set: SKIPPING the BullMQ queue tests (CI sets REDIS_URL=redis://127.0.0.1:6379)');

const pool = REDIS_URL ? new PlannerPool({ size: 2, logCrashes: false, killGraceMs: 500 }) : undefined;
test.after(() => pool?.close());

interface Env {
  prefix: string;
  queue: BullJobQueue;
  worker(planner?: JobPlanner, extra?: Partial<QueueWorkerOptions>): Promise<{ close(force?: boolean): Promise<void> }>;
  history: MemoryJobHistory;
}

/** Runs `fn` with a queue on a fresh prefix, then closes everything and removes the prefix's keys. */
async function withQueue(fn: (env: Env) => Promise<void>, options: Partial<BullQueueOptions> = {}): Promise<void> {
  const prefix = freshPrefix();
  const queue = await BullJobQueue.open({ redisUrl: REDIS_URL, prefix, queueName: 'jobs', pollMs: 200, backoffMs: 50, ...options });
  const history = new MemoryJobHistory();
  const workers: { close(force?: boolean): Promise<void> }[] = [];
  const env: Env = {
    prefix, queue, history,
    async worker(planner = pool as PlannerPool, extra = {}) {
      const w = await startQueueWorker({ redisUrl: REDIS_URL, prefix, queueName: 'jobs', planner, history, lockMs: 2000, stalledMs: 500, ...extra });
      workers.push(w);
      return w;
    },
  };
  try {
    await fn(env);
  } finally {
    await Promise.all(workers.map((w) => w.close(true)));
    await queue.close();
    const redis = new Redis(REDIS_URL);
    await removeKeys(redis, prefix);
    redis.disconnect();
  }
}

const redisTest = REDIS_URL ? test : test.skip;

redisTest('a batch runs on a worker, reports progress, and its results stay in Redis', async () => {
  await withQueue(async ({ queue, worker, history, prefix }) => {
    await worker();
    const problems = [TRAVEL, { json: '[1, 2]', field: 'problem_json' }, { json: JSON.stringify(TRAVEL), field: 'problem_json' }, TRAVEL];
    const { job, created } = await queue.submit(specFor('simple_htn', problems));
    assert.ok(created);
    const events: JobEvent[] = [];
    for await (const e of queue.watch(job.id)) events.push(e);
    const last = events.at(-1);
    assert.ok(last?.kind === 'finished');
    assert.is(last.job.state, 'completed');
    assert.equal(last.job.results?.map((r) => r?.status), ['plan', 'invalid', 'plan', 'plan']);
    assert.is(history.all().length, 3);
    // Another server (a new connection) reads the same results.
    const other = await BullJobQueue.open({ redisUrl: REDIS_URL, prefix, queueName: 'jobs' });
    const again = await other.get(job.id);
    assert.equal([again.state, again.done, again.total, again.results?.[3]?.status], ['completed', 4, 4, 'plan']);
    assert.equal((await other.list({ state: 'completed' })).map((j) => j.id), [job.id]);
    await other.close();
  });
});

redisTest('a queued job is cancelled at once; a running one stops inside the worker', async () => {
  await withQueue(async ({ queue, worker }) => {
    const { job: queued } = await queue.submit(specFor('simple_htn', [TRAVEL]));
    const c = await queue.cancel(queued.id);
    assert.ok(c.cancelled);
    assert.is(c.job.state, 'cancelled');
    await worker();
    const { job: slow } = await queue.submit(specFor(SLOW_TEXT, [DIG], { options: { maxExpansions: 1e15 } }));
    await until(async () => (await queue.get(slow.id)).state === 'running', 5000, 'the slow job to start');
    const t0 = Date.now();
    assert.ok((await queue.cancel(slow.id)).cancelled);
    const ended = await waitForJob(queue, slow.id);
    assert.equal([ended.state, ended.failure?.kind, ended.attempts], ['cancelled', 'cancelled', 1]);
    assert.ok(Date.now() - t0 < within(2000), `took ${Date.now() - t0} ms`);
    // The worker dropped the cancelled queued job without planning it, and the pool is free again.
    const dropped = await waitForJob(queue, queued.id);
    assert.equal([dropped.state, dropped.results?.filter(Boolean).length], ['cancelled', 0]);
    const next = await waitForJob(queue, (await queue.submit(specFor('simple_htn', [TRAVEL]))).job.id);
    assert.is(next.state, 'completed');
  });
});

redisTest('transient failures are retried with backoff; domain errors are not', async () => {
  await withQueue(async ({ queue, worker }) => {
    const flaky = scriptedPlanner((call) => {
      if (call <= 2) throw new Error('connection reset');
      return OK_RESULT;
    });
    await worker(flaky);
    const j1 = await waitForJob(queue, (await queue.submit(specFor('simple_htn', [TRAVEL]))).job.id);
    assert.equal([j1.state, j1.attempts, flaky.calls], ['completed', 3, 3]);
  });
  await withQueue(async ({ queue, worker }) => {
    const broken = scriptedPlanner(() => {
      throw new DomainError('x.aria:1:1', 'does not compile here');
    });
    await worker(broken);
    const j2 = await waitForJob(queue, (await queue.submit(specFor('simple_htn', [TRAVEL]))).job.id);
    assert.equal([j2.state, j2.attempts, broken.calls, j2.failure?.kind], ['failed', 1, 1, 'domain']);
    assert.equal((await queue.list({ state: 'failed' })).map((j) => j.id), [j2.id]);
  });
});

redisTest('a client-chosen job id makes submission idempotent; unknown ids are NOT_FOUND', async () => {
  await withQueue(async ({ queue }) => {
    const first = await queue.submit(specFor('simple_htn', [TRAVEL], { jobId: 'nightly-1' }));
    const again = await queue.submit(specFor('simple_htn', [TRAVEL, TRAVEL], { jobId: 'nightly-1' }));
    assert.ok(first.created);
    assert.not.ok(again.created);
    assert.equal([again.job.id, again.job.total, again.job.state], ['nightly-1', 1, 'queued']);
    assert.equal((await queue.list({ state: 'queued' })).map((j) => j.id), ['nightly-1']);
    try {
      await queue.get('no-such-job');
      assert.unreachable();
    } catch (err) {
      assert.instance(err, NotFoundError);
    }
  });
});

redisTest('a Redis that cannot be reached is UNAVAILABLE at once, not a hang', async () => {
  const t0 = Date.now();
  try {
    await BullJobQueue.open({ redisUrl: 'redis://127.0.0.1:1' }, 1000);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UnavailableError);
  }
  assert.ok(Date.now() - t0 < within(3000));
});

test.run();
