/**
 * `aria plan --domain <name-or-file> --problem <file.json>`: the result as
 * one line of JSON; bad command lines exit 2 with a message and no stack trace.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAria, type Finished as CliRun } from '../support/aria-process.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

type Run = CliRun;

/** Runs the CLI; independent runs go in parallel (each starts a node process). */
const aria = (...args: string[]): Promise<Run> => runAria(args);

/** Exit 2, a one-line `aria: ...` message containing `text` on stderr, nothing on stdout, no stack trace. */
function usageError(r: Run, text: string | RegExp): void {
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stdout, '');
  assert.ok(r.stderr.startsWith('aria: '), r.stderr);
  assert.match(r.stderr, text);
  assert.not.match(r.stderr, /\n\s+at /, 'a stack trace');
  assert.not.match(r.stderr, /internal error/);
}

/** simple_htn's state0: alice at home_a, 20 in cash; the park is 8 away, too far to walk. */
const TRAVEL = {
  state: {
    loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' },
    cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 },
  },
  todo: [['travel', 'alice', 'park']],
  verify_goals: true,
};
const TAXI_PLAN = [['call_taxi', 'alice', 'home_a'], ['ride_taxi', 'alice', 'park'], ['pay_driver', 'alice', 'park']];

let dir = '';
const file = (name: string): string => join(dir, name);
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aria-cli-plan-'));
  writeFileSync(file('travel.json'), JSON.stringify(TRAVEL));
  // bob is 2 from the park: he walks.
  writeFileSync(file('walk.json'), JSON.stringify({ ...TRAVEL, todo: [['travel', 'bob', 'park']] }));
  // Already there: the empty plan.
  writeFileSync(file('stay.json'), JSON.stringify({ ...TRAVEL, todo: [['travel', 'alice', 'home_a']] }));
  // Too poor for the taxi and too far to walk: no plan.
  writeFileSync(file('poor.json'), JSON.stringify({ ...TRAVEL, state: { ...TRAVEL.state, cash: { alice: 1, bob: 15 } } }));
  writeFileSync(file('bad-todo.json'), JSON.stringify({ state: {}, todo: 3 }));
  writeFileSync(file('broken.json'), '{"state": ');
  writeFileSync(file('mini.aria'), "domain mini\nvar v\naction set(x) { v['x'] = x }\ntask t { method m() { return [set(1), set(2)] } }\n");
  writeFileSync(file('mini.json'), JSON.stringify({ state: { v: { x: 0 } }, todo: [['t']] }));
  writeFileSync(file('bad.aria'), 'domain bad\naction a() { nosuch[1] = 2 }\n');
});
test.after(() => { rmSync(dir, { recursive: true, force: true }); });

test('a built-in domain by name: {"status":"plan","plan":[...]} on one line, exit 0', async () => {
  const [r, walk] = await Promise.all([
    aria('plan', '--domain', 'simple_htn', '--problem', file('travel.json')),
    aria('plan', '--domain', 'simple_htn', '--problem', file('walk.json')),
  ]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${JSON.stringify({ status: 'plan', plan: TAXI_PLAN })}\n`);
  assert.is(r.stderr, '');
  // Without --repeat, no stats.
  assert.not.ok(r.stdout.includes('stats'));
  assert.equal(JSON.parse(walk.stdout), { status: 'plan', plan: [['walk', 'bob', 'home_b', 'park']] });
});

test('the empty plan and no plan are different results', async () => {
  const [stay, poor] = await Promise.all([
    aria('plan', '--domain', 'simple_htn', '--problem', file('stay.json')),
    aria('plan', '--domain', 'simple_htn', '--problem', file('poor.json')),
  ]);
  assert.is(stay.code, 0);
  assert.equal(JSON.parse(stay.stdout), { status: 'plan', plan: [] });
  assert.is(poor.code, 0);
  assert.equal(JSON.parse(poor.stdout), { status: 'no_plan' });
});

test('a domain file (.aria) by path', async () => {
  const [r, b] = await Promise.all([
    aria('plan', '--domain', file('mini.aria'), '--problem', file('mini.json')),
    // A built-in domain's own file, relative to the working directory.
    aria('plan', '--domain', 'domains/simple_htn.aria', '--problem', file('travel.json')),
  ]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { status: 'plan', plan: [['set', 1], ['set', 2]] });
  assert.equal(JSON.parse(b.stdout), { status: 'plan', plan: TAXI_PLAN });
});

test('--repeat 5 adds stats with median_ms and min_ms', async () => {
  const r = await aria('plan', '--domain', 'simple_htn', '--problem', file('travel.json'), '--repeat', '5');
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { status: string; plan: unknown; stats: { median_ms: number; min_ms: number } };
  assert.is(out.status, 'plan');
  assert.equal(out.plan, TAXI_PLAN);
  assert.type(out.stats.median_ms, 'number');
  assert.type(out.stats.min_ms, 'number');
  assert.ok(out.stats.min_ms >= 0 && out.stats.min_ms <= out.stats.median_ms, JSON.stringify(out.stats));
});

test('limit and verify options reach the planner', async () => {
  writeFileSync(file('verify.json'), JSON.stringify({ state: { v: { x: 0 }, w: { x: 0 } }, todo: [['v', 'x', 1]] }));
  const [lim, on, off] = await Promise.all([
    aria('plan', '--domain', 'simple_htn', '--problem', file('travel.json'), '--max-expansions', '2'),
    aria('plan', '--domain', 'probe_verify', '--problem', file('verify.json')),
    aria('plan', '--domain', 'probe_verify', '--problem', file('verify.json'), '--verify-goals', 'false'),
  ]);
  const out = JSON.parse(lim.stdout);
  assert.is(out.status, 'limit');
  assert.is(out.limit, 'expansions');
  const err = JSON.parse(on.stdout);
  assert.is(err.status, 'error');
  assert.match(err.message, 'm_lazy');
  assert.equal(JSON.parse(off.stdout), { status: 'plan', plan: [['noop']] });
});

test('unknown domain, missing or unreadable problem file, missing options: exit 2, naming the culprit', async () => {
  const runs = await Promise.all([
    aria('plan', '--domain', 'no_such_domain', '--problem', file('travel.json')),
    aria('plan', '--domain', 'simple_htn', '--problem', file('missing.json')),
    aria('plan', '--domain', 'simple_htn', '--problem', file('broken.json')),
    aria('plan', '--domain', 'simple_htn'),
  ]);
  ['no_such_domain', 'missing.json', 'broken.json', '--problem'].forEach((text, i) => usageError(runs[i], text));
});

test('bad flags and values: exit 2', async () => {
  const base = ['plan', '--domain', 'simple_htn', '--problem', file('travel.json')];
  const runs = await Promise.all([
    aria(...base, '--bogus'),
    aria(...base, '--repeat', 'x'),
    aria(...base, '--verify-goals', 'maybe'),
    aria('bogus'),
  ]);
  ['--bogus', '--repeat', '--verify-goals', "unknown command 'bogus'"].forEach((text, i) => usageError(runs[i], text));
});

test('a malformed problem or domain: exit 2, naming the field or place', async () => {
  const [p, d] = await Promise.all([
    aria('plan', '--domain', 'simple_htn', '--problem', file('bad-todo.json')),
    aria('plan', '--domain', file('bad.aria'), '--problem', file('mini.json')),
  ]);
  usageError(p, /todo/);
  usageError(d, /bad\.aria:2:\d+: unknown name 'nosuch'/);
});

test.run();
