import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultSuiteDir } from '../../bench/cases/ipc.js';
import {
  mapHddl, parseHddlDomain, parseHddlProblem, planHddl, readIpcPlan, verifyIpcPlan, verifyPlan, writeIpcPlan,
} from '../../server/src/hddl/index.js';
import { linearisations } from '../../server/src/hddl/partial-order.js';
import { ordersToTry } from '../../server/src/hddl/linearise.js';

// Two rooms to light; the lamp of room b works only after room a's switch is fixed. Each
// room's method leaves its two subtasks unordered, and the initial network is unordered too.
const ROOMS = `(define (domain rooms)
 (:requirements :typing :hierarchy :negative-preconditions)
 (:types room)
 (:predicates (lit ?r - room) (fixed ?r - room) (needs ?r ?s - room) (cleaned ?r - room))
 (:task light :parameters (?r - room))
 (:task fix :parameters (?r - room))
 (:task clean :parameters (?r - room))
 (:method m-light :parameters (?r - room) :task (light ?r)
   :subtasks (and (t1 (switch-on ?r)) (t2 (fix ?r)))
   :ordering (and (< t2 t1)))
 (:method m-fix :parameters (?r - room) :task (fix ?r) :subtasks (repair ?r))
 (:method m-clean :parameters (?r - room) :task (clean ?r) :subtasks (and (wipe ?r) (sweep ?r)))
 (:action switch-on :parameters (?r - room) :precondition (and (fixed ?r) (not (lit ?r))) :effect (lit ?r))
 (:action repair :parameters (?r - room) :precondition (forall (?s - room) (imply (needs ?r ?s) (lit ?s))) :effect (fixed ?r))
 (:action wipe :parameters (?r - room) :precondition (lit ?r) :effect (cleaned ?r))
 (:action sweep :parameters (?r - room) :precondition (cleaned ?r) :effect ()))`;

// b needs a lit first, but b comes first in the file: only the second order of the network works.
const ROOMS_P = `(define (problem p1) (:domain rooms)
 (:objects a b - room)
 (:htn :subtasks (and (x (light b)) (y (light a)) (z (clean a))) :ordering (and (< y z)))
 (:init (needs b a)))`;

test('partial order: methods and the network keep their constraints; a cycle is an error naming the method', () => {
  const d = parseHddlDomain(ROOMS, 'd.hddl');
  const light = d.methods.find((m) => m.name === 'm-light')!;
  // A single total order comes out sorted, with no ordering left.
  assert.equal(light.subtasks.map((s) => s.task), ['fix', 'switch-on']);
  assert.is(light.ordering, undefined);
  const clean = d.methods.find((m) => m.name === 'm-clean')!;
  assert.equal(clean.ordering, []);
  const p = parseHddlProblem(ROOMS_P, 'p.hddl');
  assert.equal(p.htn.ordering, [[1, 2]]);
  assert.throws(() => parseHddlDomain(ROOMS.replace('(and (< t2 t1))', '(and (< t2 t1) (< t1 t2))'), 'd.hddl'),
    (e: Error) => /d\.hddl:8:2: method 'm-light': the ordering constraints form a cycle \(t1 < t2 < t1\)/.test(e.message));
  assert.throws(() => parseHddlDomain(ROOMS.replace('(< t2 t1)', '(< t2 t9)'), 'd.hddl'), (e: Error) => /method 'm-light': unknown subtask label 't9'/.test(e.message));
});

test('linearisations: in the file order first, bounded, saying when some are left out', () => {
  assert.equal(linearisations(3, [[1, 2]], 10), { orders: [[0, 1, 2], [1, 0, 2], [1, 2, 0]], all: true });
  assert.equal(linearisations(4, [], 5).orders.length, 5);
  assert.is(linearisations(4, [], 5).all, false);
  assert.is(linearisations(4, [], 24).all, true);
  // Over the cap, a spread: the file's order, each subtask first, each subtask last, then lexicographic.
  const spread = ordersToTry(5, [[0, 1]], 8);
  assert.is(spread.all, false);
  assert.equal(spread.orders, [
    [0, 1, 2, 3, 4], [2, 0, 1, 3, 4], [3, 0, 1, 2, 4], [4, 0, 1, 2, 3], // file order, then each first (1 must follow 0)
    [0, 2, 3, 4, 1], [0, 1, 3, 4, 2], [0, 1, 2, 4, 3], // each last (0 cannot be)
    [0, 1, 3, 2, 4], // lexicographic, skipping those already there
  ]);
  assert.equal(ordersToTry(3, [], 6), linearisations(3, [], 6));
  const d = parseHddlDomain(ROOMS.replace(':ordering (and (< t2 t1))', ''), 'd.hddl');
  const p = parseHddlProblem(ROOMS_P.replace(':ordering (and (< y z))', ''), 'p.hddl');
  const m = mapHddl(d, p, { maxOrders: 2 });
  assert.equal(m.linearised.methods.map((x) => x.name), ['m-light', 'm-light__o2', 'm-fix', 'm-clean', 'm-clean__o2']);
  assert.ok(m.notes.some((n) => /the initial task network: only the first 2 of its subtask orders are tried/.test(n)), m.notes.join('\n'));
});

test('a partially ordered problem that needs a non-first order plans, prints the IPC format and verifies', () => {
  const d = parseHddlDomain(ROOMS, 'd.hddl');
  const p = parseHddlProblem(ROOMS_P, 'p.hddl');
  const r = planHddl(d, p, { timeoutMs: 10_000 });
  assert.is(r.status, 'plan');
  const acts = r.plan!.actions.map((a) => [a.name, ...a.args].join(' '));
  // Room a before b: the file's order (b first) fails, the next one is used.
  assert.equal(acts.slice(0, 2), ['repair a', 'switch-on a']);
  assert.ok(acts.indexOf('switch-on a') < acts.indexOf('repair b'));
  const text = writeIpcPlan(r.plan!);
  assert.match(text, /^root \d+ \d+ \d+$/m);
  assert.match(text, /-> m-clean \d+ \d+$/m);
  const v = verifyIpcPlan(d, p, text);
  assert.ok(v.ok, v.errors.join('\n'));
});

// A hand-written plan that interleaves the network's tasks, as a progression planner may.
const INTERLEAVED = `==>
0 repair a
1 switch-on a
2 wipe a
3 repair b
4 sweep a
5 switch-on b
root 6 9 12
6 light b -> m-light 7 5
7 fix b -> m-fix 3
9 light a -> m-light 10 1
10 fix a -> m-fix 0
12 clean a -> m-clean 4 2
<==
`;

test('the verifier checks the partial order: interleaved plans pass, children in any listed order, broken orderings fail', () => {
  const d = parseHddlDomain(ROOMS, 'd.hddl');
  const p = parseHddlProblem(ROOMS_P, 'p.hddl');
  const ok = verifyIpcPlan(d, p, INTERLEAVED);
  assert.ok(ok.ok, ok.errors.join('\n'));
  // clean a (z) must come after light a (y): move wipe before switch-on a.
  const bad = verifyIpcPlan(d, p, INTERLEAVED.replace('1 switch-on a\n2 wipe a', '1 wipe a\n2 switch-on a')
    .replace('-> m-light 10 1', '-> m-light 10 2').replace('-> m-clean 4 2', '-> m-clean 4 1'));
  assert.not.ok(bad.ok);
  assert.ok(bad.errors.some((e) => /root: the actions of subtask \(light a\) \(id 9\) must all come before those of \(clean a\) \(id 12\)/.test(e)), bad.errors.join('\n'));
  // A child that is no subtask of the method.
  const wrong = verifyIpcPlan(d, p, INTERLEAVED.replace('12 clean a -> m-clean 4 2', '12 clean a -> m-clean 4 3'));
  assert.ok(wrong.errors.some((e) => /task 12 \(clean a\): its children 4 3 are not the subtasks of method m-clean in any order/.test(e)), wrong.errors.join('\n'));
  // Our own plans still verify through the model (not only the text).
  const r = planHddl(d, p, { timeoutMs: 10_000 });
  assert.ok(verifyPlan(d, p, readIpcPlan(writeIpcPlan(r.plan!))).ok);
});

test('a problem naming another domain is planned, with a note', () => {
  const d = parseHddlDomain(ROOMS, 'd.hddl');
  const p = parseHddlProblem(ROOMS_P.replace('(:domain rooms)', '(:domain rooms_htn)'), 'p.hddl');
  const m = mapHddl(d, p);
  assert.ok(m.notes.some((n) => /names domain 'rooms_htn', the domain file defines 'rooms'/.test(n)));
});

// Two unordered tasks whose actions must alternate: a1 b1 a2 b2. Only interleaving finds it.
const ZIP = `(define (domain zip)
 (:predicates (a1) (b1) (a2))
 (:task ta) (:task tb)
 (:method m-a :parameters () :task (ta) :ordered-subtasks (and (do-a1) (do-a2)))
 (:method m-b :parameters () :task (tb) :ordered-subtasks (and (do-b1) (do-b2)))
 (:action do-a1 :parameters () :effect (a1))
 (:action do-b1 :parameters () :precondition (a1) :effect (b1))
 (:action do-a2 :parameters () :precondition (b1) :effect (a2))
 (:action do-b2 :parameters () :precondition (a2) :effect ()))`;
const ZIP_P = '(define (problem z) (:domain zip) (:htn :subtasks (and (ta) (tb))) (:init))';

test('incomplete, and says so: a problem that needs interleaving gets no plan with a message; its interleaved plan verifies', () => {
  const d = parseHddlDomain(ZIP, 'd.hddl');
  const p = parseHddlProblem(ZIP_P, 'p.hddl');
  const r = planHddl(d, p, { timeoutMs: 10_000 });
  assert.is(r.status, 'no_plan');
  assert.match(r.message!, /does not interleave subtasks, so the problem may still have one/);
  const plan = '==>\n0 do-a1\n1 do-b1\n2 do-a2\n3 do-b2\nroot 4 5\n4 ta -> m-a 0 2\n5 tb -> m-b 1 3\n<==\n';
  const v = verifyIpcPlan(d, p, plan);
  assert.ok(v.ok, v.errors.join('\n'));
  // The same plan with m-a's children swapped breaks m-a's total order.
  const bad = verifyIpcPlan(d, p, plan.replace('0 do-a1\n1 do-b1\n2 do-a2', '0 do-a2\n1 do-b1\n2 do-a1').replace('m-a 0 2', 'm-a 2 0'));
  assert.not.ok(bad.ok);
});

// Small problems of the IPC 2020 partial-order track that solve in well under a second here.
const PO_CASES = [
  ['Rover', 'domain.hddl', 'pfile01.hddl'],
  ['Satellite', 'domain.hddl', '1obs-1sat-1mod.hddl'],
  ['Transport', 'domain.hddl', 'pfile01.hddl'],
  ['Monroe-Fully-Observable', 'pfile01-p-0088-quell-riot-1-tlt-domain.hddl', 'pfile01-p-0088-quell-riot-1-tlt.hddl'],
];

test('small problems of the IPC 2020 partial-order track plan within 20 s each and verify', () => {
  const dir = join(defaultSuiteDir(), '..', 'ipc2020-partial-order');
  let files: [string, string][];
  try {
    files = PO_CASES.map(([f, df, pf]) => [readFileSync(join(dir, f, df), 'utf8'), readFileSync(join(dir, f, pf), 'utf8')]);
  } catch {
    console.log('  (partial-order suite not found)');
    return;
  }
  const failures: string[] = [];
  files.forEach(([dt, pt], i) => {
    const d = parseHddlDomain(dt, PO_CASES[i][1]);
    const p = parseHddlProblem(pt, PO_CASES[i][2]);
    const r = planHddl(d, p, { timeoutMs: 20_000 });
    if (!r.plan) { failures.push(`${PO_CASES[i][0]}: ${r.status}`); return; }
    const v = verifyIpcPlan(d, p, writeIpcPlan(r.plan));
    if (!v.ok) failures.push(`${PO_CASES[i][0]}: ${v.errors.slice(0, 3).join('; ')}`);
  });
  assert.equal(failures, []);
});

test.run();
