/**
 * `aria conformance <file-or-folder>...`: one FAIL line per failed case,
 * then `N passed, N failed`; exit 1 when any failed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAria, type Finished as CliRun } from '../support/aria-process.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CASES_FILE = join(ROOT, '..', 'shared', 'conformance', 'gtpyhop', 'cases.json');

type Run = CliRun;

/** Runs the CLI; independent runs go in parallel (each starts a node process). */
const aria = (...args: string[]): Promise<Run> => runAria(args);

type Case = Record<string, unknown>;
const all = JSON.parse(readFileSync(CASES_FILE, 'utf8')) as Case[];
/** A correct case and a copy of it with a wrong expected plan. */
const good = structuredClone(all.find((c) => c.domain === 'simple_htn' && Array.isArray(c.expected) && (c.expected as unknown[]).length > 0)!);
const wrong = { ...structuredClone(good), name: 'deliberately/wrong_plan', expected: [['walk', 'alice', 'home_a', 'park']] };

let dir = '';
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aria-cli-conformance-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a-good.json'), JSON.stringify([good]));
  writeFileSync(join(dir, 'sub', 'b-wrong.json'), JSON.stringify([wrong]));
  // Not a .json file: ignored when its folder is given.
  writeFileSync(join(dir, 'notes.txt'), 'not cases');
});
test.after(() => { rmSync(dir, { recursive: true, force: true }); });

test('the shared suite: every case passes, exit 0', async () => {
  const [r, byFile] = await Promise.all([
    aria('conformance', '../shared/conformance'),
    aria('conformance', '../shared/conformance/gtpyhop/cases.json'),
  ]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(r.stdout, `${all.length} passed, 0 failed\n`);
  assert.is(all.length, 85);
  // The file itself, given by path, runs the same cases.
  assert.is(byFile.stdout, `${all.length} passed, 0 failed\n`);
});

test('a folder with a wrong case (in a subfolder): a FAIL line naming it, the counts, exit 1', async () => {
  const r = await aria('conformance', dir);
  assert.is(r.code, 1, r.stdout + r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.is(lines.length, 2, r.stdout);
  assert.ok(lines[0].startsWith('FAIL deliberately/wrong_plan'), lines[0]);
  // The line says what differed: the plan expected and the plan found.
  assert.match(lines[0], '"walk","alice","home_a","park"');
  assert.match(lines[0], 'call_taxi');
  assert.is(lines[1], '1 passed, 1 failed');
});

test('files as arguments, several at once', async () => {
  const [wrongOnly, goodOnly, both] = await Promise.all([
    aria('conformance', join(dir, 'sub', 'b-wrong.json')),
    aria('conformance', join(dir, 'a-good.json')),
    aria('conformance', join(dir, 'a-good.json'), join(dir, 'sub'), CASES_FILE),
  ]);
  assert.is(wrongOnly.code, 1);
  assert.match(wrongOnly.stdout, /^FAIL deliberately\/wrong_plan/);
  assert.match(wrongOnly.stdout, /\n0 passed, 1 failed\n$/);
  assert.is(goodOnly.code, 0);
  assert.is(goodOnly.stdout, '1 passed, 0 failed\n');
  assert.is(both.code, 1);
  assert.match(both.stdout, new RegExp(`\\n${all.length + 1} passed, 1 failed\\n$`));
});

test('a single case object (not a list) in a file, and cases of every kind of failure', async () => {
  const acting = all.find((c) => c.kind === 'run_lazy_lookahead')!;
  const cases: Case[] = [
    { ...structuredClone(good), name: 'x/expects_no_plan', expected: false },
    { ...structuredClone(good), name: 'x/expects_error', expected: null, expected_error: 'some domain bug' },
    { ...structuredClone(acting), name: 'x/wrong_executed', expected_executed: [['a2']] },
    { ...structuredClone(good), name: 'x/unknown_domain', domain: 'no_such_domain' },
  ];
  writeFileSync(join(dir, 'c-kinds.json'), JSON.stringify(cases));
  writeFileSync(join(dir, 'd-single.json'), JSON.stringify({ ...good, name: 'x/single' }));
  const r = await aria('conformance', join(dir, 'c-kinds.json'), join(dir, 'd-single.json'));
  assert.is(r.code, 1);
  const fails = r.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
  assert.equal(fails.map((l) => l.slice(5).split(':')[0]), ['x/expects_no_plan', 'x/expects_error', 'x/wrong_executed', 'x/unknown_domain']);
  assert.match(fails[3], 'no_such_domain');
  assert.match(r.stdout, /\n1 passed, 4 failed\n$/);
});

test('no arguments: usage on stderr, exit 2', async () => {
  const r = await aria('conformance');
  assert.is(r.code, 2);
  assert.match(r.stderr, /usage/);
});

// Regression (fixed in 7feda6c): these ended with "aria: internal error: ..."
// and a stack trace, exit 70.
test('a missing path or a broken case file is a clear error, exit 2, no stack trace', async () => {
  writeFileSync(join(dir, 'broken.txt'), '[{"domain": ');
  const runs = await Promise.all([aria('conformance', join(dir, 'does-not-exist')), aria('conformance', join(dir, 'broken.txt'))]);
  for (const r of runs) {
    assert.is(r.code, 2, r.stderr);
    assert.not.match(r.stderr, /\n\s+at /);
    assert.not.match(r.stderr, /internal error/);
  }
});

test('cases that carry their own domain text (GTPyhop on random domains) run by it; a wrong one fails', async () => {
  const random = JSON.parse(readFileSync(join(ROOT, 'test', 'support', 'gtpyhop', 'random-cases.json'), 'utf8')) as Case[];
  const some = random.filter((c) => typeof c.domain_text === 'string').slice(0, 6);
  assert.is(some.length, 6);
  const planned = some.find((c) => Array.isArray(c.expected) && (c.expected as unknown[]).length > 0)!;
  const broken = { ...structuredClone(planned), name: 'deliberately/wrong_random', expected: [['no_such_action']] };
  writeFileSync(join(dir, 'random.json'), JSON.stringify([...some, broken]));
  const r = await aria('conformance', join(dir, 'random.json'));
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^FAIL deliberately\/wrong_random: /m);
  assert.match(r.stdout, /6 passed, 1 failed\n$/);
});

test.run();
