/**
 * `multi/sK/...`: K `aria serve` processes driven together, calls spread
 * round-robin, each server with CPUs/K planner threads, so that the same
 * cores are split between processes instead of threads. This is the
 * scaling-past-one-process mode; queue workers (once they exist) would be
 * one more kind of target here.
 */
import { availableParallelism } from 'node:os';
import type { BenchCase, CaseDriver } from './case-types.js';
import { blocksSet, namedSets, type ProblemSet } from './corpus.js';
import { plannerClient, planRequest, unaryPlan } from './grpc-client.js';
import { workerCounts } from './pool-cases.js';
import { ServerGroup } from './server-process.js';

function multiCase(servers: number, set: ProblemSet, what: string, c: number, cpus: number): BenchCase {
  const uses = `servers:${servers}`;
  return {
    name: `multi/s${servers}/${what}/c${c}`, layer: 'multi', uses,
    chart: { chart: 'multi', series: `${what} c${c}`, x: servers },
    async setup(ctx): Promise<CaseDriver> {
      const group = await ctx.resource(uses, () => ServerGroup.start(servers, Math.max(1, Math.floor(cpus / servers))));
      const clients = group.servers.map((s) => plannerClient(s.address));
      const reqs = set.problems.map((p) => planRequest(set.domain, p));
      let i = 0;
      return {
        concurrency: c,
        async: () => {
          const k = i++;
          return unaryPlan(clients[k % clients.length]!, reqs[k % reqs.length]!, k % reqs.length);
        },
        rss: () => group.rss(),
        cpuMs: () => group.cpuMs(),
        close: async () => { for (const cl of clients) cl.close(); },
      };
    },
  };
}

/** Multi-process cases for 1, 2, 4, ... servers up to the CPU count. */
export function multiCases(cpus = availableParallelism()): BenchCase[] {
  const travel = namedSets().find((s) => s.domain === 'simple_htn')!;
  const blocks = blocksSet('blocks_gtn', 100);
  return workerCounts(cpus).flatMap((k) => [
    multiCase(k, travel, 'simple_htn', 64, cpus),
    multiCase(k, blocks, 'blocks_gtn/blocks-100', 4 * cpus, cpus),
  ]);
}
