/**
 * The promise, tested exactly: a worker process killed mid-job
 * (kill -9) has its job finished by another worker process, with nothing
 * lost and no result recorded twice. Real processes, a real Redis
 * (REDIS_URL; skipped without it), real planner pools.
 *
 * The workers log every plan history call in Redis, so a second recording
 * of a problem would show even though a real history store ignores it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { BullJobQueue } from '../../../server/src/services/queue/bullmq-queue.js';
import { historyRecordId } from '../../../server/src/services/queue/job-history.js';
import { waitForJob, type JobInfo } from '../../../server/src/services/queue/job-types.js';
import { DIG, freshPrefix, historyCallsKey, quick, REDIS_URL, removeKeys, SLOW_TEXT, specFor, until } from '../../support/queue-fixtures.js';

if (!REDIS_URL) console.log('queue-worker-kill: REDIS_URL is not set: SKIPPING the kill -9 tests (CI sets REDIS_URL=redis://127.0.0.1:6379)');

const WORKER = fileURLToPath(new URL('../../support/queue-worker-process.js', import.meta.url));
/** Short locks, so that a dead worker's job is taken over within about 2.5 s. */
const LOCK_MS = 2000;
const STALLED_MS = 500;
/** Each dig problem runs into its 150 ms timeout: a batch of known length. */
const PROBLEM_MS = 150;

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
}

async function spawnWorker(prefix: string, threads: number, children: ChildProcess[]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER, REDIS_URL, 'jobs', prefix, String(threads), String(LOCK_MS), String(STALLED_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('worker process not ready within 20 s')), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker process exited (${code}) before it was ready`)));
  });
  return { child, pid: child.pid as number };
}

function kill9(w: WorkerProcess): Promise<void> {
  return new Promise((resolve) => {
    w.child.once('exit', () => resolve());
    w.child.kill('SIGKILL');
  });
}

/** A queue, worker processes, and the history they wrote; everything is removed afterwards. */
async function withProcesses(fn: (ctx: { queue: BullJobQueue; redis: Redis; prefix: string; children: ChildProcess[] }) => Promise<void>): Promise<void> {
  const prefix = freshPrefix();
  const redis = new Redis(REDIS_URL);
  const queue = await BullJobQueue.open({ redisUrl: REDIS_URL, prefix, queueName: 'jobs', pollMs: 100 });
  const children: ChildProcess[] = [];
  try {
    await fn({ queue, redis, prefix, children });
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await queue.close();
    await removeKeys(redis, prefix);
    redis.disconnect();
  }
}

/**
 * Checks the history calls of `job`: each problem recorded exactly once,
 * with one allowance. A worker records a problem and then saves its result;
 * killed between the two, it leaves a problem that the next worker plans and
 * records again under the same id, which a real history ignores. So an id
 * may appear twice only when the dead worker's call was its very last one
 * and the second call came from another process. Returns the records per pid.
 */
async function checkHistoryOnce(redis: Redis, prefix: string, job: JobInfo, killedPid: number): Promise<Map<string, number>> {
  const calls = (await redis.lrange(historyCallsKey(prefix), 0, -1)).map((line) => line.split(' ') as [string, string]);
  const lastOfKilled = calls.filter(([, pid]) => pid === String(killedPid)).at(-1)?.[0];
  const perProcess = new Map<string, number>();
  for (let i = 0; i < job.total; i++) {
    const id = historyRecordId(job.id, i);
    const by = calls.filter(([callId]) => callId === id).map(([, pid]) => pid);
    const inFlight = by.length === 2 && by[0] === String(killedPid) && by[1] !== by[0] && lastOfKilled === id;
    assert.ok(by.length === 1 || inFlight, `problem ${i} of job ${job.id} recorded by ${JSON.stringify(by)}`);
    const owner = by.at(-1) as string;
    perProcess.set(owner, (perProcess.get(owner) ?? 0) + 1);
  }
  return perProcess;
}

const redisTest = REDIS_URL ? test : test.skip;

redisTest('kill -9 mid-batch: another worker finishes the job, nothing lost, nothing recorded twice', async () => {
  await withProcesses(async ({ queue, redis, prefix, children }) => {
    const workers = [await spawnWorker(prefix, 1, children), await spawnWorker(prefix, 1, children)];
    // 24 problems: every 4th plans at once, the others run into their timeout (about 3 s in all on one thread).
    const problems = Array.from({ length: 24 }, (_, i) => (i % 4 === 0 ? quick(i) : DIG));
    const { job } = await queue.submit(specFor(SLOW_TEXT, problems, { options: { timeoutMs: PROBLEM_MS } }));
    await until(async () => (await queue.get(job.id)).done >= 6, 15_000, 'the first worker to save a few results');
    // The worker that holds the job is the one that recorded its first result.
    const holder = (await redis.lindex(historyCallsKey(prefix), 0))?.split(' ')[1];
    const a = workers.find((w) => String(w.pid) === holder) as WorkerProcess;
    const b = workers.find((w) => w !== a) as WorkerProcess;
    assert.ok(a && b, `holder ${holder}`);
    const beforeKill = await queue.get(job.id);
    assert.is(beforeKill.state, 'running');
    await kill9(a);

    const done = await waitForJob(queue, job.id, AbortSignal.timeout(30_000));
    assert.is(done.state, 'completed');
    assert.ok(done.attempts >= 2, `started ${done.attempts} times`);
    const results = done.results ?? [];
    assert.is(results.filter(Boolean).length, 24, 'nothing lost');
    results.forEach((r, i) => {
      if (i % 4 === 0) assert.equal(r?.status === 'plan' ? r.plan : r, [['mark', i]]);
      else assert.ok(r?.status === 'limit' && r.limit === 'deadline', `problem ${i}: ${JSON.stringify(r)}`);
    });
    const perProcess = await checkHistoryOnce(redis, prefix, done, a.pid);
    assert.ok((perProcess.get(String(a.pid)) ?? 0) >= beforeKill.done, 'what A saved before it died was kept, not planned again');
    assert.ok((perProcess.get(String(b.pid)) ?? 0) >= 1, 'B planned the rest');
    assert.is((perProcess.get(String(a.pid)) ?? 0) + (perProcess.get(String(b.pid)) ?? 0), 24);
  });
});

redisTest('kill -9 with many jobs in flight: every job completes once on the survivor', async () => {
  await withProcesses(async ({ queue, redis, prefix, children }) => {
    const a = await spawnWorker(prefix, 1, children);
    const b = await spawnWorker(prefix, 1, children);
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const problems = i % 2 === 0 ? [quick(i)] : [DIG, quick(i)];
      ids.push((await queue.submit(specFor(SLOW_TEXT, problems, { options: { timeoutMs: PROBLEM_MS } }))).job.id);
    }
    // Kill A while it holds jobs.
    await until(async () => (await queue.list({ state: 'running' })).length >= 2, 15_000, 'both workers to hold jobs');
    await kill9(a);
    const jobs = await Promise.all(ids.map((id) => waitForJob(queue, id, AbortSignal.timeout(30_000))));
    for (const [i, job] of jobs.entries()) {
      assert.is(job.state, 'completed', `job ${i}`);
      assert.equal(job.results?.at(-1), { ...(job.results?.at(-1) as object), status: 'plan', plan: [['mark', i]] });
      await checkHistoryOnce(redis, prefix, job, a.pid);
    }
    assert.ok(jobs.some((j) => j.attempts >= 2), 'at least one job was taken over from the dead worker');
    assert.is(b.child.exitCode, null, 'the survivor is still running');
  });
});

test.run();
