/**
 * `workflow/...`: the planning an SOP run does, in process, on an SOP of
 * 200 commands (10 tasks of 20 commands, each task with a second method
 * that replaces its first command). `plan` plans it from scratch (what
 * StartRun does); `repair` plans it after the first 100 commands completed
 * and the 101st failed (what a repair does: done commands skipped, the
 * failed one banned); `compile` validates and compiles the SOP's JSON
 * (what PutSop does).
 */
import { compileSop, planSop, validateSop } from '../../server/src/services/workflow/index.js';
import type { BenchCase, CaseDriver } from './case-types.js';

const TASKS = 10;
const PER_TASK = 20;

/** The 200-command SOP's JSON text. */
export function bigSopJson(): string {
  const tasks: Record<string, unknown> = {};
  const commands: Record<string, unknown> = {};
  for (let t = 0; t < TASKS; t++) {
    const cs = Array.from({ length: PER_TASK }, (_, i) => `c_${t}_${i}`);
    for (const c of cs) commands[c] = { kind: 'set', values: { [`v_${c}`]: true } };
    commands[`alt_${t}`] = { kind: 'set', values: { [`alt_${t}`]: true } };
    tasks[`task_${t}`] = { methods: [{ name: 'main', subtasks: cs }, { name: 'alt', subtasks: [`alt_${t}`, ...cs.slice(1)] }] };
  }
  return JSON.stringify({
    name: 'bench-200', version: '1', metadata: { last_updated: '2026-12-01', approved_by: 'bench', contact: 'bench' },
    goals: Array.from({ length: TASKS }, (_, t) => `task_${t}`), tasks, commands,
  });
}

function planCase(kind: 'plan' | 'repair'): BenchCase {
  return {
    name: `workflow/${kind}/sop-200`, layer: 'workflow',
    async setup(): Promise<CaseDriver> {
      const compiled = compileSop(validateSop(bigSopJson()));
      const half = TASKS / 2;
      const done = kind === 'plan' ? [] : Array.from({ length: half * PER_TASK }, (_, i) => `c_${Math.floor(i / PER_TASK)}_${i % PER_TASK}`);
      const banned = kind === 'plan' ? [] : [`c_${half}_0`];
      const state = Object.fromEntries(done.map((c) => [`v_${c}`, true]));
      const expected = kind === 'plan' ? TASKS * PER_TASK : half * PER_TASK;
      return {
        concurrency: 1, rss: () => process.memoryUsage().rss,
        sync: () => {
          const r = planSop(compiled, state, done, banned);
          if (!r.ok || r.commands.length !== expected) throw new Error(`workflow/${kind}: ${r.ok ? `${r.commands.length} commands, expected ${expected}` : r.message}`);
          return { planLength: r.commands.length };
        },
      };
    },
  };
}

/** The workflow cases. */
export function workflowCases(): BenchCase[] {
  return [
    planCase('plan'),
    planCase('repair'),
    {
      name: 'workflow/compile/sop-200', layer: 'workflow',
      async setup(): Promise<CaseDriver> {
        const json = bigSopJson();
        return { concurrency: 1, rss: () => process.memoryUsage().rss, sync: () => ({ planLength: compileSop(validateSop(json)).sop.commands.length }) };
      },
    },
  ];
}
