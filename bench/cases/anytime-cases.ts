/**
 * `anytime/logistics-pN`: the anytime branch-and-bound (PlanOptions.optimize)
 * on the bench's random logistics problems (logistics.ts, the same sizes and
 * seeds as wasm/logistics_hgn/*), planned in domains/logistics_costs.aria
 * (logistics_hgn with action costs and a `choose` of truck and airplane).
 * What matters is the cost reached by a time, not throughput: each case's
 * setup runs one 1-second anytime search per problem and prints the cost of
 * the first plan, the best cost after 10 ms, 100 ms and 1 s, and whether
 * optimality was proven (anytimeRows; `node dist/bench/anytime.js` prints
 * them all as one table). The timed operation is a search with a 10 ms budget.
 */
import type { DomainHandle, PlanResult, Problem } from '../../server/src/planner/index.js';
import type { BenchCase, CaseDriver, OpResult } from './case-types.js';
import { LOGISTICS_SIZES, logisticsProblem } from './logistics.js';
import { selfRss } from './wasm-cases.js';

/** The domain the cases plan in. */
export const ANYTIME_DOMAIN = 'logistics_costs';
/** The times (ms from the start of the call) the table reports the best cost at. */
export const CHECKPOINTS_MS = [10, 100, 1000] as const;

/** One problem's anytime search, summed up. */
export interface AnytimeRow {
  name: string;
  seed: number;
  /** Actions in the first plan. */
  actions: number;
  first: number;
  /** Best cost at each checkpoint (null: the first plan was not yet found). */
  at: (number | null)[];
  final: number;
  optimal: boolean;
  /** When the last improvement came, and when the search ended (proven optimal, or the budget spent), in ms from the call's start. */
  lastMs: number;
  endMs: number;
  improvements: number;
}

/** The problems of one size, by package count: seeds 1 to 3, as wasm/logistics_hgn/logistics-pN. */
export function anytimeProblems(packages: number): Problem[] {
  const size = LOGISTICS_SIZES.find((s) => s.packages === packages)!;
  return [1, 2, 3].map((seed) => logisticsProblem(size, seed));
}

/** Runs a budgetMs anytime search on each problem and sums each up. */
export function anytimeRows(handle: DomainHandle, name: string, problems: Problem[], budgetMs = 1000): AnytimeRow[] {
  return problems.map((p, i) => {
    // Planned once without optimising first: the first-plan figure, and a warm engine (a cold one's first call lays out its memory).
    const actions = firstLength(handle, p);
    const t0 = performance.now();
    const r = handle.plan(p, { optimize: { metric: 'cost', budgetMs } });
    const endMs = performance.now() - t0;
    if (r.status !== 'plan' || !r.anytime) throw new Error(`${name} seed ${i + 1}: expected a plan, got ${r.status}${'message' in r ? `: ${r.message}` : ''}`);
    const imp = r.anytime.improvements;
    const bestAt = (t: number): number | null => {
      const got = imp.filter((x) => x.ms <= t);
      return got.length > 0 ? got[got.length - 1]!.cost : null;
    };
    return {
      name, seed: i + 1, actions, first: imp[0]!.cost, at: CHECKPOINTS_MS.map(bestAt),
      final: r.cost ?? r.plan.length, optimal: r.anytime.optimal, lastMs: imp[imp.length - 1]!.ms, endMs, improvements: imp.length,
    };
  });
}

function firstLength(handle: DomainHandle, p: Problem): number {
  const r: PlanResult = handle.plan(p);
  return r.status === 'plan' ? r.plan.length : 0;
}

/** The rows as a Markdown table. */
export function anytimeTable(rows: AnytimeRow[]): string {
  const show = (x: number | null): string => (x === null ? '-' : String(x));
  const lines = [
    '| case | seed | first plan: actions | first cost | after 10 ms | after 100 ms | after 1 s | improvements | last at | search ended | optimal |',
    '|------|-----:|---------:|-----------:|------------:|-------------:|----------:|-------------:|--------:|-------------:|:-------:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${r.seed} | ${r.actions} | ${r.first} | ${r.at.map(show).join(' | ')} | ${r.improvements - 1} | ${r.lastMs.toFixed(1)} ms | ${r.endMs.toFixed(1)} ms | ${r.optimal ? 'proven' : 'no'} |`);
  }
  return lines.join('\n');
}

/** The anytime cases, one per logistics size. */
export function anytimeCases(): BenchCase[] {
  return LOGISTICS_SIZES.map((size) => {
    const name = `anytime/logistics-p${size.packages}`;
    return {
      name,
      layer: 'anytime',
      async setup(ctx): Promise<CaseDriver> {
        const handle = ctx.domain(ANYTIME_DOMAIN);
        const problems = anytimeProblems(size.packages);
        process.stderr.write(`${anytimeTable(anytimeRows(handle, name, problems))}\n`);
        let i = 0;
        return {
          concurrency: 1,
          sync: (): OpResult => {
            const k = i++ % problems.length;
            const r = handle.plan(problems[k]!, { optimize: { metric: 'cost', budgetMs: 10 } });
            return { planLength: r.status === 'plan' ? r.plan.length : null, engineBytes: r.stats.peakMemoryBytes, problem: k };
          },
          rss: selfRss,
        };
      },
    };
  });
}
