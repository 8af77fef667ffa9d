/**
 * `pool/pP/...`: the piscina pool of P planner threads in this process, kept
 * busy with 2·P calls in flight. Its scaling with P is issue 3's target
 * (at least 0.8·P times one worker's throughput for large problems).
 */
import { availableParallelism } from 'node:os';
import type { DomainHandle } from '../../server/src/planner/index.js';
import { PlannerPool, type PoolDomain } from '../../server/src/pool/planner-pool.js';
import type { BenchCase, Resource } from './case-types.js';
import { blocksSet, namedSets, type ProblemSet } from './corpus.js';
import { opResult, selfRss } from './wasm-cases.js';

/** Pool sizes to try: powers of two up to the CPU count, and the CPU count. */
export function workerCounts(cpus = availableParallelism()): number[] {
  const out = new Set<number>();
  for (let p = 1; p < cpus; p *= 2) out.add(p);
  out.add(cpus);
  return [...out].sort((a, b) => a - b);
}

/** What the pool needs to know of a domain: its id and model. */
export function poolDomain(handle: DomainHandle): PoolDomain {
  return { id: handle.hash, domainJson: JSON.stringify(handle.domain) };
}

class PoolResource implements Resource {
  constructor(readonly pool: PlannerPool) {}
  close(): Promise<void> { return this.pool.close(); }
}

function poolCase(size: number, set: ProblemSet): BenchCase {
  const uses = `pool:${size}`;
  return {
    name: `pool/p${size}/${set.domain}/${set.name}`,
    layer: 'pool',
    uses,
    chart: { chart: 'pool', series: `${set.domain}/${set.name}`, x: size },
    async setup(ctx) {
      const { pool } = await ctx.resource(uses, async () => new PoolResource(new PlannerPool({ size })));
      const domain = poolDomain(ctx.domain(set.domain));
      let i = 0;
      return {
        concurrency: 2 * size,
        async: async () => {
          const k = i++ % set.problems.length;
          return opResult(await pool.plan(domain, set.problems[k]!, {}), k);
        },
        rss: selfRss,
      };
    },
  };
}

/** Pool cases: blocks N=100 (the scaling target) and simple_htn travel (small calls, overhead-bound). */
export function poolCases(cpus = availableParallelism()): BenchCase[] {
  const travel = namedSets().find((s) => s.domain === 'simple_htn')!;
  return workerCounts(cpus).flatMap((p) => [poolCase(p, blocksSet('blocks_gtn', 100)), poolCase(p, travel)]);
}
