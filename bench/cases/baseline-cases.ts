/**
 * In-process baselines: the floor under every planning call.
 * `baseline/js-to-wasm-call` is one call across the JS/WASM boundary that
 * does nothing; `baseline/empty-plan` is a whole library call (encode the
 * state, run the engine, decode the answer) with nothing to plan.
 * The gRPC baseline (an empty RPC) is in grpc-cases.ts, next to its server.
 */
import { instantiateEngine } from '../../server/src/planner/runtime/wasm-module.js';
import type { BenchCase } from './case-types.js';
import { opResult, selfRss } from './wasm-cases.js';

/** Calls per timed op: one boundary crossing is tens of nanoseconds, far below the clock's cost. */
const BATCH = 10_000;

/** The in-process baseline cases. */
export function baselineCases(): BenchCase[] {
  return [
    {
      name: 'baseline/js-to-wasm-call',
      layer: 'baseline',
      async setup() {
        const engine = instantiateEngine({ now: () => 0, cancelled: () => 0, traceFlush: () => 0 });
        let sink = 0;
        return {
          concurrency: 1,
          opsPerCall: BATCH,
          sync: () => {
            for (let i = 0; i < BATCH; i++) sink ^= engine.getHeapBase();
            // Keep the result observable so the loop is not optimised away.
            return { planLength: sink === -1 ? 0 : null };
          },
          rss: selfRss,
        };
      },
    },
    {
      name: 'baseline/empty-plan',
      layer: 'baseline',
      async setup(ctx) {
        const handle = ctx.domain('simple_htn');
        const problem = { state: { loc: { alice: 'home_a' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [] };
        return { concurrency: 1, sync: () => opResult(handle.plan(problem)), rss: selfRss };
      },
    },
  ];
}
