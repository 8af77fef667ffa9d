/**
 * A queue worker as its own process, for the kill -9 tests: the same
 * consumer as `aria worker` (startQueueWorker on a real planner pool), but
 * with a plan history in Redis that logs every record call and the process
 * that made it, so a test can see that nothing was recorded twice.
 *
 * argv: <redis-url> <queue> <prefix> <threads> <lock-ms> <stalled-ms>
 * Prints "ready <pid>" once it takes jobs.
 */
import { Redis } from 'ioredis';
import { PlannerPool } from '../../server/src/pool/planner-pool.js';
import { startQueueWorker } from '../../server/src/services/queue/bullmq-worker.js';
import type { JobHistory } from '../../server/src/services/queue/job-history.js';
import { historyCallsKey } from './queue-fixtures.js';

const [redisUrl, queueName, prefix, threads, lockMs, stalledMs] = process.argv.slice(2);

if (redisUrl) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const calls = historyCallsKey(prefix);
  // Every call is logged, even one a real (idempotent) history would ignore.
  const history: JobHistory = {
    async record(r) {
      await redis.rpush(calls, `${r.id} ${process.pid}`);
    },
  };
  const pool = new PlannerPool({ size: Number(threads), logCrashes: false, killGraceMs: 500 });
  const worker = await startQueueWorker({
    redisUrl, queueName, prefix, planner: pool, history, concurrency: Number(threads) * 2,
    lockMs: Number(lockMs), stalledMs: Number(stalledMs), name: `test-worker-${process.pid}`,
  });
  process.stdout.write(`ready ${process.pid}\n`);
  process.once('SIGTERM', () => {
    void (async () => {
      await worker.close();
      await pool.close();
      redis.disconnect();
      process.exit(0);
    })();
  });
}
