/**
 * `shape/generate/<template>`: characters generated per second in process
 * (validation and compilation done once, in setup), each built-in template
 * through the planner, 100 characters per timed call, a new seed each call.
 * The figure the issue asks for is characters per second per core from the
 * 50-attribute template (`shape/generate/fantasy`).
 */
import { builtinTemplate, builtinTemplateNames, compileTemplate, generateSync } from '../../server/src/services/shape/index.js';
import type { BenchCase } from './case-types.js';
import { selfRss } from './wasm-cases.js';

/** Characters per timed call: enough that the timer's cost is lost in it. */
const PER_CALL = 100;

/** One case per built-in template. */
export function shapeCases(): BenchCase[] {
  return builtinTemplateNames().map((name) => ({
    name: `shape/generate/${name}`,
    layer: 'shape',
    async setup() {
      const t = builtinTemplate(name);
      compileTemplate(t);
      let seed = 0;
      return {
        concurrency: 1,
        opsPerCall: PER_CALL,
        sync: () => {
          const r = generateSync(t, { seed: seed++, count: PER_CALL });
          if (r.status !== 'ok') throw new Error(`${name}: ${r.message}`);
          // "Plan length" here: characters made.
          return { planLength: r.characters.length };
        },
        rss: selfRss,
      };
    },
  }));
}
