import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHddlDomain, parseHddlProblem, planHddl } from '../../server/src/hddl/index.js';
import { hddlCommand } from '../../server/src/cli/hddl-command.js';

const DOMAIN = `(define (domain pick)
 (:types item)
 (:predicates (got ?i - item))
 (:task pick-all)
 (:method m-done :parameters () :task (pick-all) :precondition (forall (?i - item) (got ?i)) :subtasks ())
 (:method m-one :parameters (?i - item) :task (pick-all) :precondition (not (got ?i))
   :subtasks (and (t1 (pick ?i)) (t2 (pick-all))) :ordering (< t1 t2))
 (:action pick :parameters (?i - item) :precondition (not (got ?i)) :effect (got ?i)))`;
const PROBLEM = `(define (problem p) (:domain pick_htn) (:objects a b - item) (:htn :subtasks (and (pick-all))) (:init))`;

/** Runs `aria hddl` with these arguments in a fresh folder holding the files; returns the exit code, stdout and stderr. */
async function run(files: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'aria-hddl-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const out: string[] = [];
  const err: string[] = [];
  const [w1, w2] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((c: string) => { out.push(c); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => { err.push(c); return true; }) as typeof process.stderr.write;
  try {
    const code = await hddlCommand([join(dir, 'd.hddl'), join(dir, 'p.hddl'), ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    rmSync(dir, { recursive: true });
  }
}

test('--json prints one line: the outcome and each phase\'s milliseconds, which add up to at most the total', async () => {
  const { code, out } = await run({ 'd.hddl': DOMAIN, 'p.hddl': PROBLEM }, ['--json', '--verify', '--timeout', '30']);
  assert.is(code, 0);
  const lines = out.trim().split('\n');
  assert.is(lines.length, 1);
  const j = JSON.parse(lines[0]);
  assert.is(j.outcome, 'plan');
  assert.is(j.planLength, 2);
  assert.is(j.verified, true);
  assert.equal(Object.keys(j.phasesMs), ['parse', 'map', 'compile', 'search', 'decompose', 'verify', 'total']);
  for (const v of Object.values(j.phasesMs) as number[]) assert.ok(v >= 0);
  const { total, ...rest } = j.phasesMs as Record<string, number>;
  const sum = Object.values(rest).reduce((a, b) => a + b, 0);
  // Each phase is rounded to 0.1 ms.
  assert.ok(sum <= total + 0.5, `${sum} > ${total}`);
  assert.ok(j.warnings.some((w: string) => /names domain 'pick_htn'/.test(w)));
});

test('--json: input that does not parse is an error outcome on stdout, not a crash', async () => {
  const { code, out } = await run({ 'd.hddl': DOMAIN, 'p.hddl': '(define (problem p) (:domain pick) (:htn :subtasks (nope)) (:init))' }, ['--json']);
  assert.is(code, 1);
  const j = JSON.parse(out);
  assert.is(j.outcome, 'error');
  assert.match(j.message, /p\.hddl:1:\d+: .*nope/);
  assert.ok(j.phasesMs.total >= 0);
});

test('without --json, notes go to stderr and the plan to stdout', async () => {
  const { code, out, err } = await run({ 'd.hddl': DOMAIN, 'p.hddl': PROBLEM }, []);
  assert.is(code, 0);
  assert.match(out, /^==>\n0 pick a\n1 pick b\nroot \d+\n/);
  assert.match(err, /^aria: note: the problem names domain 'pick_htn'/);
});

test('the time limit bounds the whole run: time spent parsing counts, and none left means no search', () => {
  const d = parseHddlDomain(DOMAIN, 'd.hddl');
  const p = parseHddlProblem(PROBLEM, 'p.hddl');
  const r = planHddl(d, p, { timeoutMs: 100 }, 150);
  assert.is(r.status, 'limit');
  assert.is(r.limit, 'deadline');
  assert.match(r.message!, /ran out while parsing/);
  assert.is(r.times.plan, 0);
  assert.is(r.times.map, 0);
  // With time left, the same call plans.
  assert.is(planHddl(d, p, { timeoutMs: 60_000 }, 150).status, 'plan');
});

test.run();
