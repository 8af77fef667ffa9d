/**
 * Shape benchmarks, in process.
 *
 * `shape/generate/<template>`: characters generated per second (validation
 * and compilation done once, in setup), each built-in template through the
 * planner, 100 characters per timed call, a new seed each call. The figure
 * the issue asks for is characters per second per core from the
 * 50-attribute template (`shape/generate/fantasy`).
 *
 * `shape/score-wasm/fantasy` and `shape/score-ts/fantasy`, side by side:
 * the same candidates (sampled once, in setup) scored with the same
 * preferences, style, constraints and two characters already picked, by
 * the WebAssembly kernel and by the idiomatic TypeScript scorer over
 * character objects. One operation is one candidate-attribute evaluation
 * (candidates × the template's 58 attributes and traits), so the two
 * throughputs compare directly: their ratio is the kernel's speed-up.
 *
 * `shape/batch-100k/fantasy`: one GenerateBatch of 100,000 candidates,
 * k = 10, through the batch thread pool (sampling, scoring, selection),
 * a new seed each call; one operation is one batch.
 */
import {
  builtinTemplate,
  builtinTemplateNames,
  closeBatchPool,
  compileTemplate,
  generateBatch,
  generateSync,
  type Template,
} from '../../server/src/services/shape/index.js';
import { makeCharacter } from '../../server/src/services/shape/character.js';
import { kernelTables } from '../../server/src/services/shape/kernel-tables.js';
import { ScoreKernel } from '../../server/src/services/shape/score-kernel.js';
import { referenceScores } from '../../server/src/services/shape/score-reference.js';
import { checkScoreOptions, type ScoreOptions } from '../../server/src/services/shape/score-options.js';
import type { BenchCase } from './case-types.js';
import { selfRss } from './wasm-cases.js';

/** Characters per timed call: enough that the timer's cost is lost in it. */
const PER_CALL = 100;
/** Candidates per timed call of the kernel (about a millisecond or two of work). */
const WASM_ROWS = 20_000;
/** Candidates per timed call of the TypeScript scorer (it is much slower; the call stays of a similar length). */
const TS_ROWS = 500;
/** The scoring options of both scoring cases. */
const SCORING: ScoreOptions = {
  preferences: { species: { elf: 2, dwarf: 1 }, class: { ranger: 1.5 }, jewelry: { ring: 0.5, amulet: 0.25 }, level: { '10': 1 } },
  style: { art_style: { ink: 2 }, garment_color: { black: 1 } },
  diversity: 0.5,
};

/** The candidates both scoring cases score: rows sampled by the kernel, and the same as character objects. */
function scoringSetup(t: Template, rows: number) {
  const opts = checkScoreOptions(t, SCORING);
  const kernel = new ScoreKernel(kernelTables(t, opts), rows, 2);
  kernel.sample(1, 0, rows);
  kernel.picks.set([0, 1]);
  kernel.setPicked(2);
  return { opts, kernel };
}

function characters(t: Template, kernel: ScoreKernel, from: number, to: number) {
  return Array.from({ length: to - from }, (_, i) => makeCharacter(t, from + i, kernel.row(from + i).map((v, s) => t.slots[s].values[v])));
}

/** The generate cases (one per built-in template), the scoring pair and the batch. */
export function shapeCases(): BenchCase[] {
  const generateCases = builtinTemplateNames().map((name): BenchCase => ({
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
  return [
    ...generateCases,
    {
      name: 'shape/score-wasm/fantasy',
      layer: 'shape',
      async setup() {
        const t = builtinTemplate('fantasy');
        const { kernel } = scoringSetup(t, WASM_ROWS);
        // "Plan length": candidates that break no constraint.
        return { concurrency: 1, opsPerCall: WASM_ROWS * t.attributes.length, sync: () => ({ planLength: kernel.score(0, WASM_ROWS) }), rss: selfRss };
      },
    },
    {
      name: 'shape/score-ts/fantasy',
      layer: 'shape',
      async setup() {
        const t = builtinTemplate('fantasy');
        const { kernel, opts } = scoringSetup(t, TS_ROWS);
        const candidates = characters(t, kernel, 0, TS_ROWS);
        const picked = candidates.slice(0, 2);
        return {
          concurrency: 1,
          opsPerCall: TS_ROWS * t.attributes.length,
          sync: () => ({ planLength: referenceScores(t, candidates, picked, opts).filter((s) => s.violations === 0).length }),
          rss: selfRss,
        };
      },
    },
    {
      name: 'shape/batch-100k/fantasy',
      layer: 'shape',
      async setup() {
        const t = builtinTemplate('fantasy');
        let seed = 0;
        return {
          concurrency: 1,
          async: async () => {
            const r = await generateBatch(t, { ...SCORING, seed: seed++, candidates: 100_000, k: 10 });
            return { planLength: r.characters.length };
          },
          rss: selfRss,
          close: () => closeBatchPool(),
        };
      },
    },
  ];
}
