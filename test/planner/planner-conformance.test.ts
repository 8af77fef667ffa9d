/**
 * Every case of ../shared/conformance/gtpyhop/cases.json (GTPyhop 1.1's own
 * answers, with its two bugs fixed) passes through the library's conformance
 * runner, and the runner itself reports differences.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases, runCase, type ConformanceCase } from '../../server/src/planner/conformance.js';
import { loadDomain, readBuiltinDomain, type DomainHandle } from '../../server/src/planner/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CASES_FILE = join(ROOT, '..', 'shared', 'conformance', 'gtpyhop', 'cases.json');

/** Domain handles by engine and name: '1' the JIT (the default), '0' the bytecode interpreter (ARIA_JIT=0). */
const handles = new Map<string, DomainHandle>();
function domainOf(name: string, jit: '1' | '0' = '1'): DomainHandle {
  let d = handles.get(`${jit}:${name}`);
  if (!d) {
    const saved = process.env.ARIA_JIT;
    process.env.ARIA_JIT = jit;
    try { d = loadDomain(readBuiltinDomain(name).text, { file: `${name}.aria` }); } finally {
      if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
    }
    handles.set(`${jit}:${name}`, d);
  }
  return d;
}

const cases = loadCases([CASES_FILE]);

test('the case file loads completely, names unique', () => {
  const raw = JSON.parse(readFileSync(CASES_FILE, 'utf8')) as unknown[];
  assert.is(cases.length, raw.length);
  assert.ok(cases.length >= 85, `${cases.length} cases`);
  assert.is(new Set(cases.map((c) => c.name)).size, cases.length);
  // Loading the folder finds the same cases.
  assert.is(loadCases([join(ROOT, '..', 'shared', 'conformance')]).length, cases.length);
});

for (const c of cases) {
  test(`case ${c.name} (${c.domain})`, async () => {
    const outcome = await runCase(c, domainOf(c.domain));
    assert.is(outcome.name, c.name);
    assert.is(outcome.failure, null);
    // The same answer from the bytecode interpreter.
    assert.is((await runCase(c, domainOf(c.domain, '0'))).failure, null, 'ARIA_JIT=0');
  });
}

/** A copy of the first case of `domain` and `kind`, changed by `edit`. */
function variant(domain: string, kind: string, edit: (c: ConformanceCase) => void): ConformanceCase {
  const base = cases.find((c) => c.domain === domain && c.kind === kind && Array.isArray(c.expected ?? []));
  assert.ok(base, `no ${kind} case for ${domain}`);
  const c = structuredClone(base!);
  edit(c);
  return c;
}

test('the runner reports a wrong plan, a wrong no-plan, a missing error and wrong acting results', async () => {
  const wrongPlan = variant('simple_htn', 'find_plan', (c) => { c.expected = [['walk', 'alice', 'nowhere', 'park']]; });
  assert.match((await runCase(wrongPlan, domainOf('simple_htn'))).failure ?? '', /expected plan/);
  const wrongFalse = variant('simple_htn', 'find_plan', (c) => { c.expected = false; });
  assert.match((await runCase(wrongFalse, domainOf('simple_htn'))).failure ?? '', /expected no plan/);
  const wrongNull = variant('simple_htn', 'find_plan', (c) => { c.expected = null; });
  assert.match((await runCase(wrongNull, domainOf('simple_htn'))).failure ?? '', /expected an error/);
  const acting = cases.find((c) => c.kind === 'run_lazy_lookahead')!;
  const wrongExec = structuredClone(acting);
  wrongExec.expected_executed = [['a2'], ['a1']];
  assert.match((await runCase(wrongExec, domainOf(acting.domain))).failure ?? '', /executed/);
  const wrongState = structuredClone(acting);
  wrongState.expected_final_state = { done: { a1: false, a2: true } };
  assert.match((await runCase(wrongState, domainOf(acting.domain))).failure ?? '', /final state/);
  // Without the command failure, the actor executes a1 and a2 once each: still the expected result.
  const noFailure = structuredClone(acting);
  delete noFailure.command_failures;
  assert.is((await runCase(noFailure, domainOf(acting.domain))).failure, null);
});

test('the runner compares states regardless of key order, with sets in any order', async () => {
  const acting = cases.find((c) => c.kind === 'run_lazy_lookahead')!;
  const reordered = structuredClone(acting);
  reordered.expected_final_state = { done: { a2: true, a1: true } };
  assert.is((await runCase(reordered, domainOf(acting.domain))).failure, null);
});

test.run();
