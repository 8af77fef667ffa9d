/**
 * The IPC 2020 HTN suites as benchmark cases: one case per problem file,
 * named `ipc/<domain>/<problem>` for the total-order track (e.g.
 * `ipc/transport/p01`) and `ipc/po/<domain>/<problem>` for the
 * partial-order track. The suites are read where they lie
 * (../shared/hddl/ipc2020-total-order and ipc2020-partial-order next to the
 * repository, or $ARIA_HDDL_SUITE and $ARIA_HDDL_PO_SUITE); never copied.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseHddlDomain, parseHddlProblem, planHddl, verifyPlan, type HddlOptions } from '../../server/src/hddl/index.js';
import { repoRoot } from '../repo-paths.js';

/** One problem of the suite. */
export interface IpcCase {
  /** `ipc/<domain>/<problem>`, lower-case. */
  name: string;
  /** The suite's folder name of the domain, e.g. `Rover-GTOHP`. */
  domain: string;
  domainFile: string;
  problemFile: string;
}

/** The suite folder: $ARIA_HDDL_SUITE, else ../shared/hddl/ipc2020-total-order next to the repository. */
export function defaultSuiteDir(): string {
  return process.env.ARIA_HDDL_SUITE ?? resolve(repoRoot(), '..', 'shared', 'hddl', 'ipc2020-total-order');
}

/** The partial-order track's folder: $ARIA_HDDL_PO_SUITE, else ../shared/hddl/ipc2020-partial-order next to the repository. */
export function defaultPoSuiteDir(): string {
  return process.env.ARIA_HDDL_PO_SUITE ?? resolve(repoRoot(), '..', 'shared', 'hddl', 'ipc2020-partial-order');
}

/** Case names and domain labels of the partial-order track start with these (`ipc/po/transport/p01`, `po/Transport`). */
export const PO_CASE_PREFIX = 'ipc/po/';
export const PO_DOMAIN_PREFIX = 'po/';

/** `pfile01`, `p01`, `pb01.snake`, `pfile_01` -> `p01`; other names stay as they are (lower-case). */
export function shortProblemName(file: string): string {
  const stem = file.replace(/\.hddl$/, '').toLowerCase();
  const m = /^(?:pfile|pb|p)_?0*(\d+)(?:\.snake)?$/.exec(stem);
  return m ? `p${m[1].padStart(2, '0')}` : stem;
}

/** Orders file names with their numbers compared as numbers (pfile_100 before pfile_1000). */
const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/**
 * Every problem of the suite in suiteDir, by domain folder and then file
 * name (numbers in order). The partial-order track's cases (`track` po)
 * are named `ipc/po/<domain>/<problem>`, their domains `po/<folder>`. A folder whose problems come with their own domain files
 * (`<problem>-domain.hddl`) pairs each problem with its own.
 */
export function ipcCases(suiteDir: string = defaultSuiteDir(), track: 'to' | 'po' = 'to'): IpcCase[] {
  if (!existsSync(suiteDir)) return [];
  const out: IpcCase[] = [];
  for (const domain of readdirSync(suiteDir).sort()) {
    const dir = join(suiteDir, domain);
    if (!statSync(dir).isDirectory()) continue;
    const files = readdirSync(dir);
    const shared = files.includes('domain.hddl');
    for (const f of files.filter((x) => x.endsWith('.hddl') && !x.endsWith('domain.hddl')).sort(natural)) {
      const own = f.replace(/\.hddl$/, '-domain.hddl');
      out.push({
        name: `${track === 'po' ? PO_CASE_PREFIX : 'ipc/'}${domain.toLowerCase()}/${shortProblemName(f)}`,
        domain: track === 'po' ? `${PO_DOMAIN_PREFIX}${domain}` : domain,
        domainFile: join(dir, shared ? 'domain.hddl' : own),
        problemFile: join(dir, f),
      });
    }
  }
  return out;
}

/** The outcome of planning one case. */
export interface IpcRun {
  name: string;
  status: string;
  /** Wall-clock milliseconds, parsing to the rebuilt decomposition (verification not included). */
  ms: number;
  planLength?: number;
  /** Whether our verifier accepted the plan (only when asked to verify). */
  valid?: boolean;
  message?: string;
}

/** Plans one case in this process; the time limit bounds parsing, mapping, compiling and the search. */
export function runIpcCase(c: IpcCase, timeoutMs: number, opts: HddlOptions & { verify?: boolean } = {}): IpcRun {
  const t0 = performance.now();
  try {
    const d = parseHddlDomain(readFileSync(c.domainFile, 'utf8'), c.domainFile);
    const p = parseHddlProblem(readFileSync(c.problemFile, 'utf8'), c.problemFile);
    // The limit bounds the whole run, reading and parsing included (as `aria hddl --timeout`).
    const r = planHddl(d, p, { ...opts, timeoutMs }, performance.now() - t0);
    const ms = performance.now() - t0;
    const run: IpcRun = { name: c.name, status: r.limit ? `limit:${r.limit}` : r.status, ms };
    if (r.message) run.message = r.message;
    if (r.plan) {
      run.planLength = r.plan.actions.length;
      if (opts.verify) {
        const v = verifyPlan(d, p, r.plan);
        run.valid = v.ok;
        if (!v.ok) run.message = v.errors.slice(0, 3).join('; ');
      }
    }
    return run;
  } catch (e) {
    return { name: c.name, status: 'error', ms: performance.now() - t0, message: (e as Error).message };
  }
}
