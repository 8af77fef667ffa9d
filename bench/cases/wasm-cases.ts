/**
 * `wasm/...`: the engine in this process, one synchronous call at a time:
 * what the planner itself costs, with no thread or network in the way.
 */
import type { DomainHandle, PlanResult, Problem } from '../../server/src/planner/index.js';
import type { BenchCase, CaseDriver, ChartPoint, OpResult } from './case-types.js';
import { BLOCK_COUNTS, blocksSet, conformanceSets, logisticsSets, namedSets, RECURSION_COUNTS, recursionSet, type ProblemSet } from './corpus.js';

/** The figures a plan result gives a case. */
export function opResult(r: PlanResult, problem?: number): OpResult {
  return { planLength: r.status === 'plan' ? r.plan.length : null, engineBytes: r.stats.peakMemoryBytes, problem };
}

/**
 * Plans every problem once and throws if one finds no plan: a generated
 * problem that fails points at a generator or engine bug, and timing
 * failures would flatter the figures.
 */
export function checkPlans(handle: DomainHandle, set: ProblemSet): void {
  set.problems.forEach((p, i) => {
    const r = handle.plan(p);
    if (r.status !== 'plan') throw new Error(`${set.domain}/${set.name} problem ${i}: expected a plan, got ${r.status}${'message' in r ? `: ${r.message}` : ''}`);
  });
}

/** An op that plans the problems in turn, in this thread. */
export function planInTurn(handle: DomainHandle, problems: Problem[]): () => OpResult {
  let i = 0;
  return () => {
    const k = i++ % problems.length;
    return opResult(handle.plan(problems[k]!), k);
  };
}

/** This process's resident set size. */
export const selfRss = (): number => process.memoryUsage.rss();

/** The chart a problem set's throughput belongs on, by what its N counts. */
export function chartFor(set: ProblemSet, series: string): ChartPoint | undefined {
  if (set.n === undefined) return undefined;
  const chart = set.name.startsWith('blocks-') ? 'n-blocks' : set.name.startsWith('logistics-') ? 'n-logistics' : 'n-recursion';
  return { chart, series, x: set.n };
}

/** A wasm case for one problem set. */
export function wasmCase(set: ProblemSet, opts: { expectPlans?: boolean } = {}): BenchCase {
  return {
    name: `wasm/${set.domain}/${set.name}`,
    layer: 'wasm',
    chart: chartFor(set, set.domain),
    gtpyhop: set.gtpyhop ? { domain: set.gtpyhop, problems: set.problems } : undefined,
    async setup(ctx): Promise<CaseDriver> {
      const handle = ctx.domain(set.domain);
      if (opts.expectPlans) checkPlans(handle, set);
      return { concurrency: 1, sync: planInTurn(handle, set.problems), rss: selfRss };
    },
  };
}

/** Every wasm case: the blocks and logistics sweeps, recursion, the named problems, the conformance suite. */
export function wasmCases(): BenchCase[] {
  const blocks = ['blocks_gtn', 'blocks_hgn', 'blocks_htn'].flatMap((d) => BLOCK_COUNTS.map((n) => blocksSet(d, n)));
  return [
    ...namedSets().map((s) => wasmCase(s, { expectPlans: true })),
    ...blocks.map((s) => wasmCase(s, { expectPlans: true })),
    ...logisticsSets().map((s) => wasmCase(s, { expectPlans: true })),
    ...RECURSION_COUNTS.map((n) => wasmCase(recursionSet(n), { expectPlans: true })),
    ...conformanceSets().map((s) => wasmCase(s)),
  ];
}
