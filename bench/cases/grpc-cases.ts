/**
 * `grpc/unary/...`, `grpc/stream/...` and `baseline/grpc-empty/...`: an
 * `aria serve` child process with one planner thread per CPU, driven over
 * loopback with 1 to 64 calls in flight. The empty RPC and unary Plan run
 * side by side at each concurrency: issue 3 wants Plan of simple_htn at 70%
 * of the empty RPC's throughput or better. Plan runs twice: with the
 * generated client (which decodes every answer) and with a client that
 * sends and receives bytes, as the empty RPC's does.
 */
import { availableParallelism } from 'node:os';
import type { BenchCase, CaseDriver } from './case-types.js';
import { blocksSet, namedSets, type ProblemSet } from './corpus.js';
import type { PlanRequest } from '../../gen/ts/aria/planner/v1/planner.js';
import {
  emptyCall, emptyClient, encodedPlanRequest, planBytesClient, plannerClient, planRequest, PlanStreamClient, unaryPlan, unaryPlanBytes,
} from './grpc-client.js';
import { ServerGroup } from './server-process.js';

/** Client concurrency of the unary sweep (calls in flight). */
export const UNARY_CONCURRENCY = [1, 2, 4, 8, 16, 32, 64];
/** Client concurrency of the stream and large-problem sweeps. */
export const SHORT_CONCURRENCY = [1, 4, 16, 64];

const SERVER = 'grpc-server';
const startServer = () => ServerGroup.start(1, availableParallelism());

/** The set's requests in turn, each with its problem index. */
function requests(set: ProblemSet): () => [PlanRequest, number] {
  const reqs = set.problems.map((p) => planRequest(set.domain, p));
  let i = 0;
  return () => {
    const k = i++ % reqs.length;
    return [reqs[k]!, k];
  };
}

function unaryCase(set: ProblemSet, c: number): BenchCase {
  const what = set.name === 'travel' ? set.domain : `${set.domain}/${set.name}`;
  return {
    name: `grpc/unary/${what}/c${c}`, layer: 'grpc', uses: SERVER,
    chart: { chart: 'concurrency', series: `unary ${what}`, x: c },
    async setup(ctx): Promise<CaseDriver> {
      const group = await ctx.resource(SERVER, startServer);
      const client = plannerClient(group.servers[0]!.address);
      const next = requests(set);
      return {
        concurrency: c, async: () => unaryPlan(client, ...next()), rss: () => group.rss(), cpuMs: () => group.cpuMs(),
        close: async () => client.close(),
      };
    },
  };
}

/** Unary Plan with bytes in and out on the client side, like the empty RPC's client (see unaryPlanBytes). */
function unaryBytesCase(set: ProblemSet, c: number): BenchCase {
  return {
    name: `grpc/unary-bytes/${set.domain}/c${c}`, layer: 'grpc', uses: SERVER,
    chart: { chart: 'concurrency', series: `unary ${set.domain} (client sends bytes)`, x: c },
    async setup(ctx): Promise<CaseDriver> {
      const group = await ctx.resource(SERVER, startServer);
      const client = planBytesClient(group.servers[0]!.address);
      const reqs = set.problems.map((p) => encodedPlanRequest(planRequest(set.domain, p)));
      let i = 0;
      return {
        concurrency: c, async: () => { const k = i++ % reqs.length; return unaryPlanBytes(client, reqs[k]!, k); },
        rss: () => group.rss(), cpuMs: () => group.cpuMs(), close: async () => client.close(),
      };
    },
  };
}

function streamCase(set: ProblemSet, c: number): BenchCase {
  const what = set.name === 'travel' ? set.domain : `${set.domain}/${set.name}`;
  return {
    name: `grpc/stream/${what}/c${c}`, layer: 'grpc', uses: SERVER,
    chart: { chart: 'concurrency', series: `stream ${what}`, x: c },
    async setup(ctx): Promise<CaseDriver> {
      const group = await ctx.resource(SERVER, startServer);
      const client = plannerClient(group.servers[0]!.address);
      const stream = new PlanStreamClient(client);
      const next = requests(set);
      return {
        concurrency: c, async: () => stream.plan(...next()), rss: () => group.rss(), cpuMs: () => group.cpuMs(),
        close: async () => { await stream.close(); client.close(); },
      };
    },
  };
}

function emptyCase(c: number): BenchCase {
  return {
    name: `baseline/grpc-empty/c${c}`, layer: 'baseline', uses: SERVER,
    chart: { chart: 'concurrency', series: 'empty RPC', x: c },
    async setup(ctx): Promise<CaseDriver> {
      const group = await ctx.resource(SERVER, startServer);
      const client = emptyClient(group.servers[0]!.address);
      return {
        concurrency: c, async: () => emptyCall(client), rss: () => group.rss(), cpuMs: () => group.cpuMs(),
        close: async () => client.close(),
      };
    },
  };
}

/** The gRPC cases, all on one server (listed together so it starts once). */
export function grpcCases(): BenchCase[] {
  const travel = namedSets().find((s) => s.domain === 'simple_htn')!;
  const blocks = blocksSet('blocks_gtn', 100);
  return [
    // Side by side at each concurrency, so that drift in the machine's load hits both alike.
    ...UNARY_CONCURRENCY.flatMap((c) => [emptyCase(c), unaryCase(travel, c), unaryBytesCase(travel, c)]),
    ...SHORT_CONCURRENCY.map((c) => streamCase(travel, c)),
    ...SHORT_CONCURRENCY.map((c) => unaryCase(blocks, c)),
    ...SHORT_CONCURRENCY.map((c) => streamCase(blocks, c)),
  ];
}
