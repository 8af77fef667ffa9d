/**
 * `npm run conformance:gtpyhop-random`: GTPyhop's own answers on random
 * domains, as conformance cases.
 *
 *   npm run conformance:gtpyhop-random -- --count 300 --seed 1 \
 *     --gtpyhop /tmp/gtpyhop/gtpyhop.py --out test/support/gtpyhop/random-cases.json
 *
 * Case k's domain and problem are built by the random-domain generator
 * (test/support/random-domain/domain-builder.ts) from a tape of 600 words
 * drawn from the seed `seed * 100000 + k` (mulberry32, seeds.ts), so a
 * case can be rebuilt from its seed. Each is translated to a Python program
 * (to-python.ts) and run by python3 with GTPyhop (a local checkout of
 * github.com/dananau/GTPyhop; not part of this repository) under a timeout.
 * Cases are drawn until --count have an answer; the rest are counted as
 * skipped, by reason (invalid domain, unsupported construct, timeout).
 *
 * A case's `expected` is GTPyhop 1.1's answer with its goal-method loop
 * fixed (as ../shared/conformance does, and as Aria plans); where GTPyhop
 * 1.1 as it is answers otherwise, `gtpyhop_1_1_result` holds that answer
 * and `known_gtpyhop_bug` says why. `fails_at_default_recursion_limit`
 * marks answers that needed Python's recursion limit raised.
 *
 * As a check of the translation, each answer is also compared with the
 * reference planner's (test/support/reference-planner); differences are
 * reported on stderr and in the summary (they would be translation bugs or
 * reference bugs, not engine bugs).
 *
 * A second check of the translation, on hand-written domains:
 *
 *   npm run conformance:gtpyhop-random -- --check-shared ../shared/conformance/gtpyhop/cases.json --gtpyhop ...
 *
 * translates the built-in domain of every find_plan case there and
 * compares the program's answers with the recorded ones (`expected`, and
 * `gtpyhop_1_1_result` and `fails_at_default_recursion_limit` where given);
 * exits with status 1 on a difference.
 */
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadCases } from '../../../server/src/planner/conformance.js';
import { DomainError, readBuiltinDomain } from '../../../server/src/planner/index.js';
import { parseDomain } from '../../../server/src/planner/language/parse-domain.js';
import type { JsonValue, Problem } from '../../../server/src/planner/types.js';
import { loadReferenceDomain, type ReferenceResult } from '../reference-planner/index.js';
import { buildCase } from '../random-domain/domain-builder.js';
import { Tape } from '../random-domain/tape.js';
import { caseSeed, tapeOf } from './seeds.js';
import { toPython, Unsupported } from './to-python.js';

/** One Python answer (to-python.ts). */
type Answer = { plan: JsonValue[][] } | { no_plan: string } | { error: string } | { unsupported: string };

/** A case as written to the file (conformance.ts ConformanceCase, plus the domain's text). */
export interface RandomGtpyhopCase {
  domain: string;
  name: string;
  kind: 'find_plan';
  domain_text: string;
  state: Problem['state'];
  todo: Problem['todo'];
  verify_goals: boolean;
  expected: JsonValue[][] | false | null;
  expected_error?: string;
  gtpyhop_1_1_result?: JsonValue[][] | false | null;
  gtpyhop_1_1_error?: string;
  known_gtpyhop_bug?: string;
  fails_at_default_recursion_limit: boolean;
  seed: number;
  mode: string;
  source: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const expectedOf = (a: Answer): JsonValue[][] | false | null => ('plan' in a ? a.plan : 'no_plan' in a ? false : null);

function sameAnswer(a: Answer, b: Answer): boolean {
  return JSON.stringify(expectedOf(a)) === JSON.stringify(expectedOf(b));
}

function refAgrees(ref: ReferenceResult, a: Answer): boolean | 'limit' {
  if (ref.status === 'limit') return 'limit';
  if (ref.status === 'plan') return 'plan' in a && JSON.stringify(ref.plan) === JSON.stringify(a.plan);
  if (ref.status === 'no_plan') return 'no_plan' in a;
  return 'error' in a;
}

/** Runs a program; its answers, or why there are none. */
function runPython(program: string, timeoutMs: number): PythonAnswers | string {
  const r = spawnSync('python3', ['-'], { input: program, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error || r.signal) return `timeout: ${String(r.error?.message ?? r.signal)}`;
  try { return JSON.parse(r.stdout) as PythonAnswers; } catch { return `python failed: ${r.status}: ${r.stderr.slice(-400)}`; }
}

interface PythonAnswers { gtpyhop: Answer; fixed: Answer; recursion_limit?: boolean; recursion_limit_fixed?: boolean }

/** --check-shared: the translation of the built-in domains against GTPyhop's recorded answers. */
function checkShared(file: string, gtpyhopDir: string, timeoutMs: number): void {
  let agree = 0;
  const diffs: string[] = [];
  for (const c of loadCases([file])) {
    if (c.kind !== 'find_plan') continue;
    const program = toPython(parseDomain(readBuiltinDomain(c.domain).text), c, gtpyhopDir);
    const a = runPython(program, timeoutMs);
    if (typeof a === 'string') { diffs.push(`${c.name}: ${a}`); continue; }
    const want = JSON.stringify(c.expected ?? null);
    const problems: string[] = [];
    if (JSON.stringify(expectedOf(a.fixed)) !== want) problems.push(`expected ${want}, got ${JSON.stringify(a.fixed)}`);
    const raw = (c as { gtpyhop_1_1_result?: unknown }).gtpyhop_1_1_result;
    if (JSON.stringify(expectedOf(a.gtpyhop)) !== JSON.stringify(raw === undefined ? c.expected ?? null : raw)) problems.push(`GTPyhop 1.1 answered ${JSON.stringify(a.gtpyhop)}`);
    const deep = (c as { fails_at_default_recursion_limit?: boolean }).fails_at_default_recursion_limit;
    if (deep !== undefined && deep !== !!a.recursion_limit) problems.push(`recursion limit ${!!a.recursion_limit}, recorded ${deep}`);
    if (problems.length) diffs.push(`${c.name}: ${problems.join('; ')}`); else agree++;
  }
  process.stderr.write(`${agree} cases agree, ${diffs.length} differ\n${diffs.join('\n')}\n`);
  process.exit(diffs.length ? 1 : 0);
}

function main(): void {
  const count = Number(arg('count', '300'));
  const seed = Number(arg('seed', '1'));
  const gtpyhop = resolve(arg('gtpyhop', '/tmp/gtpyhop/gtpyhop.py'));
  const gtpyhopDir = statSync(gtpyhop).isDirectory() ? gtpyhop : dirname(gtpyhop);
  const out = arg('out', 'test/support/gtpyhop/random-cases.json');
  const timeoutMs = Number(arg('timeout', '10')) * 1000;
  const maxTries = Number(arg('max-tries', String(count * 4)));
  const commit = arg('gtpyhop-commit', '1ca7773');
  if (process.argv.includes('--check-shared')) { checkShared(arg('check-shared', ''), gtpyhopDir, timeoutMs * 3); return; }

  const cases: RandomGtpyhopCase[] = [];
  const skipped: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const translationDiffs: string[] = [];
  let bugs = 0, deep = 0, refLimits = 0;
  const skip = (why: string, k: number, detail: string): void => {
    skipped[why] = (skipped[why] ?? 0) + 1;
    process.stderr.write(`  case ${k}: skipped (${why}: ${detail.split('\n')[0].slice(0, 160)})\n`);
  };
  const started = Date.now();
  for (let k = 0; cases.length < count && k < maxTries; k++) {
    const s = caseSeed(seed, k);
    const c = buildCase(new Tape(tapeOf(s)));
    let ref;
    try { ref = loadReferenceDomain(c.text); } catch (e) {
      if (e instanceof DomainError) { skip('invalid domain', k, e.message); continue; }
      throw e;
    }
    let program: string;
    try { program = toPython(ref.domain, c.problem, gtpyhopDir); } catch (e) {
      if (e instanceof Unsupported) { skip('unsupported construct', k, e.message); continue; }
      throw e;
    }
    const answers = runPython(program, timeoutMs);
    if (typeof answers === 'string') { skip(answers.startsWith('timeout') ? 'timeout' : 'python failed', k, answers); continue; }
    const { gtpyhop: raw, fixed } = answers;
    if ('unsupported' in raw || 'unsupported' in fixed) {
      skip('unsupported at run time', k, 'unsupported' in raw ? raw.unsupported : (fixed as { unsupported: string }).unsupported);
      continue;
    }
    const want = ref.plan(c.problem);
    const agree = refAgrees(want, fixed);
    if (agree === 'limit') refLimits++;
    else if (!agree) {
      const msg = `case ${k} (seed ${s}): reference ${JSON.stringify(want)} but GTPyhop (fixed) ${JSON.stringify(fixed)}`;
      translationDiffs.push(msg);
      process.stderr.write(`  ${msg}\n`);
    }
    const recursion = !!answers.recursion_limit || !!answers.recursion_limit_fixed;
    const gc: RandomGtpyhopCase = {
      domain: `rnd-${s}`,
      name: `gtpyhop-random#${s}`,
      kind: 'find_plan',
      domain_text: c.text,
      state: c.problem.state,
      todo: c.problem.todo,
      verify_goals: c.problem.verify_goals ?? true,
      expected: expectedOf(fixed),
      ...('error' in fixed ? { expected_error: fixed.error } : {}),
      fails_at_default_recursion_limit: recursion,
      seed: s,
      mode: c.mode,
      source: `random domain (test/support/random-domain, tapeOf(${s})) run through dananau/GTPyhop@${commit} by test/support/gtpyhop/make-cases.ts`,
    };
    if (!sameAnswer(raw, fixed)) {
      gc.gtpyhop_1_1_result = expectedOf(raw);
      if ('error' in raw) gc.gtpyhop_1_1_error = raw.error;
      gc.known_gtpyhop_bug = "GTPyhop 1.1's goal-method loop rebinds todo_list: a failed unigoal or multigoal method's subgoals leak into the next method's todo list";
      bugs++;
    }
    if (recursion) deep++;
    cases.push(gc);
    const st = 'plan' in fixed ? 'plan' : 'no_plan' in fixed ? 'no_plan' : 'error';
    statuses[st] = (statuses[st] ?? 0) + 1;
    if (cases.length % 10 === 0 || cases.length === count) {
      process.stderr.write(`${cases.length}/${count} cases (drawn ${k + 1}; ${JSON.stringify(statuses)}; skipped ${JSON.stringify(skipped)}; `
        + `GTPyhop-bug cases ${bugs}; translation diffs ${translationDiffs.length}) ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  writeFileSync(out, `${JSON.stringify(cases, null, 1)}\n`);
  const summary = [
    `GTPyhop's answers on random domains: ${out}`,
    `generated by: npm run conformance:gtpyhop-random -- --count ${count} --seed ${seed} --timeout ${timeoutMs / 1000}`,
    `GTPyhop: dananau/GTPyhop@${commit} (gtpyhop.py), python3 ${spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim()}`,
    `cases answered: ${cases.length} (${JSON.stringify(statuses)})`,
    `cases drawn: ${cases.length + Object.values(skipped).reduce((a, b) => a + b, 0)}; skipped: ${JSON.stringify(skipped)}`,
    `cases where GTPyhop 1.1 answers otherwise (goal-method todo leak): ${bugs}`,
    `cases needing Python's recursion limit raised: ${deep}`,
    `reference planner: ${refLimits} hit a limit; ${translationDiffs.length} disagree with GTPyhop (fixed)`,
    ...translationDiffs,
  ].join('\n');
  writeFileSync(out.replace(/\.json$/, '.summary.txt'), `${summary}\n`);
  process.stderr.write(`${summary}\n`);
}

main();
