/**
 * `cli/...`: what a person pays for one command at a terminal (issue 14
 * item 15: a one-shot `aria plan` should cost at most 50 ms more than a
 * bare `node -e 0`). One operation is one whole process, started and
 * waited for; the CPU figure adds the children's user and system time.
 *
 * - `cli/node-e-0`: Node's own start, the floor every command stands on.
 * - `cli/plan-one-shot/simple_htn`: `aria plan` with the compiled-domain
 *   cache warm (the case fills its own cache folder first).
 * - `cli/plan-no-cache/simple_htn`: the same with `ARIA_CACHE_DIR=off`:
 *   parse, check and compile the domain every time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../repo-paths.js';
import type { BenchCase, OpResult } from './case-types.js';
import { selfRss } from './wasm-cases.js';

const PROBLEM = {
  state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
  todo: [['travel', 'alice', 'park']],
};

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * This process's CPU time plus that of the children it has waited for, in
 * ms: /proc/self/stat's utime, stime, cutime, cstime (fields 14-17). Only
 * whole ticks, so the runner's per-operation figure is an average over
 * many runs. Elsewhere than Linux: this process only.
 */
function cpuWithChildrenMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): field k is fields[k - 3].
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return (ticks * 1000) / TICKS;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

/** Runs one process to its end; rejects on a non-zero exit. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: repoRoot(), env, maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

function processCase(name: string, args: (dir: string) => string[], env: (dir: string) => NodeJS.ProcessEnv, result: (out: string) => OpResult): BenchCase {
  return {
    name,
    layer: 'cli',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'aria-bench-cli-'));
      writeFileSync(join(dir, 'problem.json'), JSON.stringify(PROBLEM));
      const vars = env(dir);
      // The first run fills the cache (when there is one) and proves the command works.
      result(await run(args(dir), vars));
      return {
        concurrency: 1,
        async: async () => result(await run(args(dir), vars)),
        rss: selfRss,
        cpuMs: cpuWithChildrenMs,
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

function planLength(out: string): OpResult {
  const r = JSON.parse(out) as { status: string; plan?: unknown[] };
  if (r.status !== 'plan' || !r.plan) throw new Error(`aria plan answered ${out.slice(0, 200)}`);
  return { planLength: r.plan.length };
}

const planArgs = (dir: string): string[] => ['server/bin/aria', 'plan', '--domain', 'simple_htn', '--problem', join(dir, 'problem.json')];

/** The one-shot command cases. */
export function cliCases(): BenchCase[] {
  return [
    processCase('cli/node-e-0', () => ['-e', '0'], () => process.env, () => ({ planLength: null })),
    processCase('cli/plan-one-shot/simple_htn', planArgs, (dir) => ({ ...process.env, ARIA_CACHE_DIR: join(dir, 'cache') }), planLength),
    processCase('cli/plan-no-cache/simple_htn', planArgs, () => ({ ...process.env, ARIA_CACHE_DIR: 'off' }), planLength),
  ];
}
