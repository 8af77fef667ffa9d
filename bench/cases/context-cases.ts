/**
 * `context/...`: what an agent context saves a character that replans
 * every frame, in process, side by side on blocks_gtn N = 10 and 100.
 * `full` sends the whole problem as JSON text each time (what a Plan
 * client does, parsed on the server); `update+plan` changes one fact of a
 * context (Update) and plans on it with only the todo sent. Both change
 * the same fact each call (a variable the domain does not read), so both
 * plan the same problem. The `grpc-` cases do the same against an `aria
 * serve` child process: unary Plan with problem_json against two unary
 * messages (Update and Plan, written together) on a context's Session stream.
 */
import { pino } from 'pino';
import { importLibrary, type JsonState, type Problem } from '../../server/src/planner/index.js';
import { InlinePlanner, PlannerPool } from '../../server/src/pool/index.js';
import { ContextService } from '../../server/src/services/context/index.js';
import { DomainRegistry, MemoryDomainStore, PlannerService } from '../../server/src/services/engine/index.js';
import { availableParallelism } from 'node:os';
import { credentials } from '@grpc/grpc-js';
import { Change, ContextServiceClient, OpenContextRequest, PlanRequest, UpdateRequest, type SessionResponse } from '../../gen/ts/aria/context/v1/context.js';
import { jsonToState, jsonToTodo, jsonToValue } from '../../server/src/pool/index.js';
import { blocksProblem } from './blocks-world.js';
import { plannerClient, planRequest, unaryPlan } from './grpc-client.js';
import { ServerGroup } from './server-process.js';
import type { BenchCase, CaseDriver, OpResult, Resource } from './case-types.js';

const RESOURCE = 'context-planner';
const caller = { username: 'bench', admin: false };

interface Planners extends Resource {
  planner: PlannerService;
}

async function planners(): Promise<Planners> {
  const library = await importLibrary();
  const registry = await DomainRegistry.open(library, new MemoryDomainStore(), pino({ level: 'silent' }));
  const pool = new PlannerPool({ size: 1 });
  const inline = new InlinePlanner(library);
  return { planner: new PlannerService(registry, pool, inline), close: async () => { inline.close(); await pool.close(); } };
}

const lengthOf = (r: { status: string; plan?: unknown[] }): OpResult => ({ planLength: r.status === 'plan' ? r.plan!.length : null });

function fullCase(n: number): BenchCase {
  return {
    name: `context/full/blocks_gtn/blocks-${n}`, layer: 'context', uses: RESOURCE,
    async setup(ctx): Promise<CaseDriver> {
      const { planner } = await ctx.resource(RESOURCE, planners);
      const problem: Problem = blocksProblem(n, 1);
      let tick = 0;
      return {
        concurrency: 1, rss: () => process.memoryUsage().rss,
        async: async () => {
          const state: JsonState = { ...problem.state, frame: { now: tick++ } };
          const json = JSON.stringify({ ...problem, state });
          const r = await planner.plan({ domain: 'blocks_gtn', problem: { json, field: 'problem_json' }, options: {} });
          return lengthOf(r.result as never);
        },
      };
    },
  };
}

function contextCase(n: number): BenchCase {
  return {
    name: `context/update+plan/blocks_gtn/blocks-${n}`, layer: 'context', uses: RESOURCE,
    async setup(ctx): Promise<CaseDriver> {
      const { planner } = await ctx.resource(RESOURCE, planners);
      const contexts = new ContextService(planner);
      const problem = blocksProblem(n, 1);
      const { id } = contexts.open(caller, 'blocks_gtn', { ...problem.state, frame: { now: 0 } });
      let tick = 1;
      return {
        concurrency: 1, rss: () => process.memoryUsage().rss,
        async: async () => {
          contexts.update(caller, id, [{ kind: 'set', var: 'frame', key: 'now', value: tick++ }]);
          const r = await contexts.plan(caller, id, problem.todo, { verifyGoals: true });
          return lengthOf(r.result as never);
        },
        close: async () => contexts.closeAll(),
      };
    },
  };
}

const SERVER = 'context-grpc-server';

/** Over gRPC (an `aria serve` child process): unary Plan with problem_json vs Update then Plan on a context. */
function grpcCase(n: number, mode: 'full' | 'update+plan'): BenchCase {
  return {
    name: `context/grpc-${mode}/blocks_gtn/blocks-${n}`, layer: 'context', uses: SERVER,
    async setup(ctx): Promise<CaseDriver> {
      const group = await ctx.resource(SERVER, () => ServerGroup.start(1, availableParallelism()));
      const address = group.servers[0]!.address;
      const problem = blocksProblem(n, 1);
      const common = { concurrency: 1, rss: () => group.rss(), cpuMs: () => group.cpuMs() };
      let tick = 0;
      if (mode === 'full') {
        const planner = plannerClient(address);
        return {
          ...common, close: async () => planner.close(),
          async: () => unaryPlan(planner, planRequest('blocks_gtn', { ...problem, state: { ...problem.state, frame: { now: tick++ } } })),
        };
      }
      const client = new ContextServiceClient(address, credentials.createInsecure());
      const unaryCall = <Res>(method: 'openContext' | 'update' | 'plan', req: unknown) => new Promise<Res>((resolve, reject) =>
        (client[method] as unknown as (r: unknown, cb: (e: Error | null, r: Res) => void) => void).call(client, req, (e, r) => (e ? reject(e) : resolve(r))));
      const { contextId } = await unaryCall<{ contextId: string }>('openContext', OpenContextRequest.fromPartial({
        domain: 'blocks_gtn', state: jsonToState({ ...problem.state, frame: { now: 0 } }),
      }));
      const todo = jsonToTodo(problem.todo);
      // One Session stream: each operation writes its Update and its Plan together and waits for both answers
      // (one round trip), as a character's loop would.
      const stream = client.session();
      const waiting: Array<(r: SessionResponse) => void> = [];
      stream.on('data', (r: SessionResponse) => waiting.shift()?.(r));
      stream.on('error', () => undefined);
      const answer = () => new Promise<SessionResponse>((resolve) => waiting.push(resolve));
      return {
        ...common,
        close: async () => { stream.end(); client.close(); },
        async: async () => {
          const change = Change.fromPartial({ kind: { $case: 'set', set: { var: 'frame', key: jsonToValue('now', 'k'), value: jsonToValue(++tick, 'v') } } });
          stream.write({ kind: { $case: 'update', update: UpdateRequest.fromPartial({ contextId, changes: [change] }) } });
          stream.write({ kind: { $case: 'plan', plan: PlanRequest.fromPartial({ contextId, todo, options: { verifyGoals: true } }) } });
          const [, r] = await Promise.all([answer(), answer()]);
          return { planLength: r.kind?.$case === 'plan' ? r.kind.plan.result?.plan.length ?? null : null };
        },
      };
    },
  };
}

/** The context cases: full problem and context update+plan, side by side per N, in process then over gRPC. */
export function contextCases(): BenchCase[] {
  return [
    ...[10, 100].flatMap((n) => [fullCase(n), contextCase(n)]),
    ...[10, 100].flatMap((n) => [grpcCase(n, 'full'), grpcCase(n, 'update+plan')]),
  ];
}
