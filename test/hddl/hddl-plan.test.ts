import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  mapHddl, parseHddlDomain, parseHddlProblem, planHddl, verifyIpcPlan, verifyPlan, writeIpcPlan, type HddlOptions, type HddlResult,
} from '../../server/src/hddl/index.js';
import { goalChecks } from '../../server/src/hddl/goal-checks.js';
import { printDomain } from '../../server/src/hddl/print-aria.js';
import { hddlCommand } from '../../server/src/cli/hddl-command.js';

/** Plans and verifies (through the IPC text format); returns the result and the plan's actions as text. */
function solve(domain: string, problem: string, opts: HddlOptions = {}): { r: HddlResult; actions: string[]; text: string } {
  const d = parseHddlDomain(domain, 'd.hddl');
  const p = parseHddlProblem(problem, 'p.hddl');
  const r = planHddl(d, p, { timeoutMs: 5000, ...opts });
  if (!r.plan) return { r, actions: [], text: '' };
  const text = writeIpcPlan(r.plan);
  const v = verifyIpcPlan(d, p, text);
  assert.ok(v.ok, v.errors.join('\n'));
  return { r, actions: r.plan.actions.map((a) => [a.name, ...a.args].join(' ')), text };
}

const SWITCHES = `(define (domain switches)
 (:requirements :typing :hierarchy :negative-preconditions :equality :conditional-effects
   :universal-preconditions :existential-preconditions :disjunctive-preconditions)
 (:types lamp - light)
 (:predicates (on ?l - light) (broken ?l - light) (checked))
 (:task all-off)
 (:task check)
 (:method m-all-off-done :parameters () :task (all-off)
   :precondition (forall (?l - light) (not (on ?l))) :ordered-subtasks ())
 (:method m-all-off-one :parameters (?l - lamp) :task (all-off)
   :precondition (on ?l) :ordered-subtasks (and (toggle ?l) (all-off)))
 (:method m-check :parameters () :task (check)
   :precondition (exists (?l - light) (broken ?l)) :ordered-subtasks (inspect))
 (:action toggle :parameters (?l - light) :precondition (or (on ?l) (not (broken ?l)))
   :effect (and (when (on ?l) (not (on ?l))) (when (not (on ?l)) (on ?l))))
 (:action inspect :parameters () :precondition (imply (checked) (checked))
   :effect (and (checked) (forall (?l - light) (when (broken ?l) (not (broken ?l)))))))`;

test('conditional and universal effects read the state before the action', () => {
  const { actions, r } = solve(SWITCHES, `(define (problem p) (:domain switches)
    (:objects a b - lamp c - light)
    (:htn :ordered-subtasks (and (all-off) (check)))
    (:init (on a) (on b) (broken c))
    (:goal (and (not (broken c)) (checked))))`);
  assert.is(r.status, 'plan');
  assert.equal(actions, ['toggle a', 'toggle b', 'inspect']);
});

test('a task whose methods all fail gives no plan', () => {
  const { r } = solve(SWITCHES, `(define (problem p) (:domain switches)
    (:objects a - lamp c - light)
    (:htn :ordered-subtasks (and (all-off)))
    (:init (on a) (on c)))`);
  assert.is(r.status, 'no_plan');
});

const PICK = `(define (domain pick)
 (:requirements :typing :hierarchy :existential-preconditions)
 (:types item)
 (:predicates (picked ?i - item) (good ?i - item))
 (:task pick-one)
 (:method m-pick :parameters (?i - item) :task (pick-one) :ordered-subtasks (pick ?i))
 (:action pick :parameters (?i - item) :effect (picked ?i)))`;

test('the goal is checked at the end and bindings are backtracked into', () => {
  const { actions, r } = solve(PICK, `(define (problem p) (:domain pick)
    (:objects x y z - item) (:htn :subtasks (pick-one)) (:init (good z))
    (:goal (exists (?i - item) (and (picked ?i) (good ?i)))))`);
  assert.equal(actions, ['pick z']);
  assert.ok(r.stats!.backtracks >= 2);
});

const GO = `(define (domain go)
 (:requirements :typing :hierarchy :negative-preconditions :equality)
 (:types place vehicle - object truck - vehicle)
 (:constants depot - place)
 (:predicates (at ?v - vehicle ?p - place))
 (:task go :parameters (?v - vehicle ?p - place))
 (:method m-go-same :parameters (?v - vehicle ?p - place ?q - place) :task (go ?v ?p)
   :precondition (and (at ?v ?q) (= ?q ?p)) :ordered-subtasks ())
 (:method m-go-truck :parameters (?t - truck ?p - place) :task (go ?t ?p) :ordered-subtasks (drive ?t ?p))
 (:method m-go-depot :parameters (?v - vehicle) :task (go ?v depot) :ordered-subtasks (teleport ?v))
 (:action drive :parameters (?t - truck ?p - place) :effect (at ?t ?p))
 (:action teleport :parameters (?v - vehicle) :effect (at ?v depot)))`;

test('initial network parameters, constraints, narrower method types and constants in the task', () => {
  const { text } = solve(GO, `(define (problem p) (:domain go)
    (:objects car - vehicle t1 - truck a - place)
    (:htn :parameters (?x - vehicle) :ordered-subtasks (and (go ?x a) (go car depot) (go car depot))
      :constraints (not (= ?x car)))
    (:init))`);
  assert.is(text, [
    '==>', '0 drive t1 a', '1 teleport car', 'root 2 3 4',
    '2 go t1 a -> m-go-truck 0', '3 go car depot -> m-go-depot 1', '4 go car depot -> m-go-same', '<==', '',
  ].join('\n'));
});

test('free parameters are bound from the state through pulled-up preconditions', () => {
  const d = parseHddlDomain(`(define (domain t) (:requirements :typing :hierarchy)
    (:types package truck - locatable loc)
    (:predicates (at ?x - locatable ?l - loc) (in ?p - package ?t - truck) (road ?a ?b - loc))
    (:task deliver :parameters (?p - package ?l - loc))
    (:task get-to :parameters (?t - truck ?l - loc))
    (:method m-deliver :parameters (?p - package ?l1 ?l2 - loc ?t - truck) :task (deliver ?p ?l2)
      :ordered-subtasks (and (get-to ?t ?l1) (load ?t ?p ?l1) (get-to ?t ?l2) (unload ?t ?p ?l2)))
    (:method m-there :parameters (?t - truck ?l - loc) :task (get-to ?t ?l) :precondition (at ?t ?l) :ordered-subtasks ())
    (:method m-drive :parameters (?t - truck ?l ?k - loc) :task (get-to ?t ?l) :ordered-subtasks (drive ?t ?k ?l))
    (:action drive :parameters (?t - truck ?a ?b - loc) :precondition (and (at ?t ?a) (road ?a ?b)) :effect (and (not (at ?t ?a)) (at ?t ?b)))
    (:action load :parameters (?t - truck ?p - package ?l - loc) :precondition (and (at ?t ?l) (at ?p ?l)) :effect (and (not (at ?p ?l)) (in ?p ?t)))
    (:action unload :parameters (?t - truck ?p - package ?l - loc) :precondition (and (at ?t ?l) (in ?p ?t)) :effect (and (not (in ?p ?t)) (at ?p ?l))))`, 't.hddl');
  const p = parseHddlProblem(`(define (problem p) (:domain t) (:objects p1 - package t1 t2 - truck a b c - loc)
    (:htn :subtasks (deliver p1 c)) (:init (at p1 b) (at t1 a) (at t2 c) (road a b) (road b c) (road c b)))`, 'p.hddl');
  const text = printDomain(mapHddl(d, p).domain);
  // The package's location is read from the index of at/2 by its first argument, not guessed;
  // the truck's current place in m-drive likewise (the first action's precondition).
  assert.match(text, /method m-deliver\(a0, a1\) \{\n    choose c0 in \(x__at__0\[a0\] or __empty\)/);
  assert.match(text, /method m-drive\(a0, a1\) \{\n    choose c0 in \[e0 for e0 in \(x__at__0\[a0\] or __empty\) if s__road\[\(e0\[1\], a1\)\]\]/);
  const r = planHddl(d, p, { timeoutMs: 5000 });
  assert.equal(r.plan!.actions.map((x) => [x.name, ...x.args].join(' ')), ['drive t1 a b', 'load t1 p1 b', 'drive t1 b c', 'unload t1 p1 c']);
  assert.ok(verifyPlan(d, p, r.plan!).ok);
});

test('a method with more than 16 free parameters continues in a continuation task', () => {
  const vs = Array.from({ length: 18 }, (_, i) => `?v${i}`);
  const domain = `(define (domain many) (:requirements :typing :hierarchy) (:types o)
    (:predicates (ok ?x - o)) (:task t)
    (:method m :parameters (${vs.join(' ')} - o) :task (t)
      :precondition (and ${vs.map((v) => `(ok ${v})`).join(' ')}) :ordered-subtasks (mark ${vs.join(' ')}))
    (:action mark :parameters (${vs.join(' ')} - o) :precondition (ok ?v17) :effect ()))`;
  const { actions } = solve(domain, '(define (problem p) (:domain many) (:objects x y - o) (:htn :subtasks (t)) (:init (ok y)))');
  assert.equal(actions, [['mark', ...vs.map(() => 'y')].join(' ')]);
});

test('a loop that comes back to a state it was in is cut (adds and deletes keep the state hash exact)', () => {
  const domain = `(define (domain cyc) (:requirements :typing :hierarchy :negative-preconditions :conditional-effects)
    (:types o) (:constants a b c - o) (:predicates (at ?x ?y - o) (flag)) (:task loop)
    (:method m-loop :parameters () :task (loop) :ordered-subtasks (and (toggle) (shift a b c) (toggle) (shift a c b) (loop)))
    (:action toggle :effect (and (when (flag) (not (flag))) (when (not (flag)) (flag))))
    (:action shift :parameters (?x ?from ?to - o) :precondition (at ?x ?from) :effect (and (not (at ?x ?from)) (at ?x ?to))))`;
  const problem = '(define (problem p) (:domain cyc) (:htn :subtasks (loop)) (:init (at a b) (at b c) (flag)))';
  // The recursion has no terms, so even the terms check keys it by the state; the second round
  // starts in the state the first one started in, so its hash must be the same number again.
  for (const loopCheck of ['terms', 'state'] as const) assert.is(solve(domain, problem, { loopCheck, timeoutMs: 3000 }).r.status, 'no_plan', loopCheck);
  assert.is(solve(domain, problem, { loopCheck: 'none', timeoutMs: 300 }).r.status, 'limit');
});

test('a path search keyed on its steps, not on state read off on the way, proves a target unreachable quickly', () => {
  // Like Snake: each step passes on the place it chose (?to) and also consumes a tick read off
  // the state (?n, ?m), which the recursive call does not receive. Keyed on every term (ticks
  // included), a walk may go round the cycle once per tick, 3^30 walks before (move ?s x) gives
  // up; keyed on the step, each edge is taken once per walk.
  const domain = `(define (domain walk) (:requirements :typing :hierarchy :equality)
    (:types node num)
    (:predicates (at ?p - node) (edge ?a ?b - node) (tick ?n - num) (succ ?n ?m - num) (target ?g - node))
    (:task reach) (:task move :parameters (?p ?g - node))
    (:method m-reach :parameters (?s ?g - node) :task (reach) :precondition (and (target ?g) (at ?s)) :ordered-subtasks (move ?s ?g))
    (:method m-there :parameters (?p ?g - node) :task (move ?p ?g) :precondition (= ?p ?g) :ordered-subtasks ())
    (:method m-step :parameters (?p ?g ?to - node ?n ?m - num) :task (move ?p ?g)
      :precondition (and (edge ?p ?to) (tick ?n) (succ ?n ?m))
      :ordered-subtasks (and (step ?p ?to ?n ?m) (move ?to ?g)))
    (:action step :parameters (?from ?to - node ?n ?m - num)
      :precondition (and (at ?from) (edge ?from ?to) (tick ?n) (succ ?n ?m))
      :effect (and (not (at ?from)) (at ?to) (not (tick ?n)) (tick ?m))))`;
  const nums = Array.from({ length: 31 }, (_, i) => `n${i}`);
  const edges = ['a b', 'b c', 'c d', 'd a', 'a c', 'c a', 'b d', 'd b', 'a d', 'b a', 'c b', 'd c'];
  const problem = `(define (problem p) (:domain walk) (:objects a b c d x - node ${nums.join(' ')} - num)
    (:htn :subtasks (reach))
    (:init (at a) (target x) (target d) (tick n0) ${nums.slice(1).map((n, i) => `(succ n${i} ${n})`).join(' ')}
      ${edges.map((e) => `(edge ${e})`).join(' ')}))`;
  const { r, actions } = solve(domain, problem, { timeoutMs: 5000 });
  assert.is(r.status, 'plan');
  assert.is(actions.at(-1)!.split(' ')[2], 'd');
  assert.ok(r.stats!.expansions < 5_000_000, `${r.stats!.expansions} expansions`);
});

test('a goal literal no later task can make true is checked early, and then kept', () => {
  // Each (pick i) may leave i off (first) or turn it on; the goal wants i1 on. Checked only at the
  // end, the wrong choice for i1 is undone after 2^19 combinations of the other picks; checked
  // right after (pick i1), the last task that may turn i1 on, at once. (wipe i1) would turn it
  // off again, which is refused once it is final.
  const domain = `(define (domain lamps) (:requirements :typing :hierarchy)
    (:types lamp) (:predicates (on ?l - lamp))
    (:task pick :parameters (?l - lamp)) (:task wipe :parameters (?l - lamp))
    (:method m-leave :parameters (?l - lamp) :task (pick ?l) :ordered-subtasks ())
    (:method m-turn :parameters (?l - lamp) :task (pick ?l) :ordered-subtasks (turn-on ?l))
    (:method m-wipe :parameters (?l - lamp) :task (wipe ?l) :ordered-subtasks (turn-off ?l))
    (:method m-keep :parameters (?l - lamp) :task (wipe ?l) :ordered-subtasks ())
    (:action turn-on :parameters (?l - lamp) :effect (on ?l))
    (:action turn-off :parameters (?l - lamp) :effect (not (on ?l))))`;
  const lamps = Array.from({ length: 20 }, (_, i) => `i${i + 1}`);
  const problem = `(define (problem p) (:domain lamps) (:objects ${lamps.join(' ')} - lamp)
    (:htn :ordered-subtasks (and ${lamps.map((l) => `(pick ${l})`).join(' ')} (wipe i1))) (:init) (:goal (on i1)))`;
  const d = parseHddlDomain(domain, 'd.hddl');
  const p = parseHddlProblem(problem, 'p.hddl');
  assert.equal([...goalChecks(d, p)].map(([i, ls]) => [i, ls.map((l) => l.args.join(' '))]), [[0, ['i1']]]);
  const { r, actions, text } = solve(domain, problem, { timeoutMs: 5000 });
  assert.equal(actions, ['turn-on i1']);
  assert.ok(r.stats!.expansions < 1000, `${r.stats!.expansions} expansions`);
  assert.match(text, /wipe i1 -> m-keep/);
});

test('loop checks: terms (default), state and none', () => {
  const problem = `(define (problem p) (:domain switches)
    (:objects a b - lamp) (:htn :ordered-subtasks (and (all-off))) (:init (on a) (on b)))`;
  for (const loopCheck of ['terms', 'state', 'none'] as const) {
    const { actions } = solve(SWITCHES, problem, { loopCheck });
    assert.equal(actions, ['toggle a', 'toggle b'], loopCheck);
  }
});

test('aria hddl prints the IPC plan, or JSON, with names spelled as in the input', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aria-hddl-'));
  writeFileSync(join(dir, 'd.hddl'), PICK.replace('(:action pick', '(:action Pick'));
  writeFileSync(join(dir, 'p.hddl'), '(define (problem p) (:domain pick) (:objects X - item) (:htn :subtasks (pick-one)) (:init))');
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => { out.push(chunk); return true; }) as typeof process.stdout.write;
  let codes: number[];
  try {
    codes = [
      await hddlCommand([join(dir, 'd.hddl'), join(dir, 'p.hddl'), '--timeout', '5']),
      await hddlCommand([join(dir, 'd.hddl'), join(dir, 'p.hddl'), '--json', '--verify']),
    ];
  } finally {
    process.stdout.write = write;
    rmSync(dir, { recursive: true });
  }
  assert.equal(codes, [0, 0]);
  assert.is(out[0], '==>\n0 Pick X\nroot 1\n1 pick-one -> m-pick 0\n<==\n');
  const json = JSON.parse(out[1]);
  assert.is(json.status, 'plan');
  assert.equal(json.plan, [['Pick', 'X']]);
  assert.equal(json.decomposition.roots, [1]);
  assert.is(json.verified, true);
});

test.run();
