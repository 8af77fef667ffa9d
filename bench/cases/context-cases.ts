/**
 * `context/...`: what an agent context saves a character that replans
 * every frame, in process, side by side on blocks_gtn N = 10 and 100.
 * `full` sends the whole problem as JSON text each time (what a Plan
 * client does, parsed on the server); `update+plan` changes one fact of a
 * context (Update) and plans on it with only the todo sent. Both change
 * the same fact each call (a variable the domain does not read), so both
 * plan the same problem.
 */
import { pino } from 'pino';
import { importLibrary, type JsonState, type Problem } from '../../server/src/planner/index.js';
import { InlinePlanner, PlannerPool } from '../../server/src/pool/index.js';
import { ContextService } from '../../server/src/services/context/index.js';
import { DomainRegistry, MemoryDomainStore, PlannerService } from '../../server/src/services/engine/index.js';
import { blocksProblem } from './blocks-world.js';
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

/** The context cases: full problem and context update+plan, side by side per N. */
export function contextCases(): BenchCase[] {
  return [10, 100].flatMap((n) => [fullCase(n), contextCase(n)]);
}
