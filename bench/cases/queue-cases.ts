/**
 * `queue/wN/...`: jobs per second through the BullMQ queue with N `aria
 * worker` processes (one planner thread each) on the loopback Redis at
 * REDIS_URL. One operation is one job, from SubmitPlanJob's logic (the
 * queue's submit) to its result read back by a watch, so the figure
 * includes every Redis round trip of a job's life. simple_htn travel shows
 * the queue's own ceiling in jobs/s; blocks N=100 shows scaling when
 * planning dominates; `travel-batch100` (100 problems per job, figures in
 * plans/s) shows what batching saves. Listed only when REDIS_URL is set.
 */
import { waitForJob, type JobSpec } from '../../server/src/services/queue/job-types.js';
import type { BenchCase } from './case-types.js';
import { blocksSet, namedSets, type ProblemSet } from './corpus.js';
import { poolDomain } from './pool-cases.js';
import { QueueWorkers } from './queue-workers.js';

/** Worker processes to try. */
export const QUEUE_WORKER_COUNTS = [1, 2, 4];
/** Jobs each worker process takes at once: enough to hide a Redis round trip behind planning. */
const PER_WORKER = 4;
/** Jobs the client keeps in flight per worker process (twice what the workers take, so none waits for work). */
const CLIENT_PER_WORKER = 8;

function queueCase(redisUrl: string, workers: number, set: ProblemSet, batch = 1): BenchCase {
  const uses = `queue:w${workers}`;
  const tail = batch > 1 ? `${set.name}-batch${batch}` : set.name;
  return {
    name: `queue/w${workers}/${set.domain}/${tail}`,
    layer: 'queue',
    uses,
    chart: { chart: 'queue', series: `${set.domain}/${tail}`, x: workers },
    async setup(ctx) {
      const res = await ctx.resource(uses, () => QueueWorkers.start(redisUrl, workers, PER_WORKER));
      const { id, domainJson } = poolDomain(ctx.domain(set.domain));
      const spec = (k: number): JobSpec => ({
        domain: { id, name: set.domain, version: 1 }, domainJson, options: {}, username: 'bench',
        problems: Array.from({ length: batch }, () => set.problems[k]!),
      });
      let i = 0;
      return {
        // A batch job keeps a worker busy by itself: fewer of them in flight.
        concurrency: (batch > 1 ? 2 : CLIENT_PER_WORKER) * workers,
        opsPerCall: batch,
        async: async () => {
          const k = i++ % set.problems.length;
          const { job } = await res.queue.submit(spec(k));
          const done = await waitForJob(res.queue, job.id);
          const r = done.results?.[0];
          if (done.state !== 'completed' || !r) throw new Error(`job ${job.id} ended ${done.state}`);
          return { planLength: r.status === 'plan' ? r.plan.length : null, engineBytes: 'stats' in r ? r.stats.peakMemoryBytes : undefined, problem: k };
        },
        rss: () => res.rss(),
      };
    },
  };
}

/** The queue cases, when REDIS_URL names a Redis; none otherwise. */
export function queueCases(redisUrl = process.env.REDIS_URL): BenchCase[] {
  if (!redisUrl) return [];
  const travel = namedSets().find((s) => s.domain === 'simple_htn')!;
  const blocks = blocksSet('blocks_gtn', 100);
  return QUEUE_WORKER_COUNTS.flatMap((n) => [queueCase(redisUrl, n, travel), queueCase(redisUrl, n, blocks), queueCase(redisUrl, n, travel, 100)]);
}
