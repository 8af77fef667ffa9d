import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHddlDomain, parseHddlProblem, verifyIpcPlan } from '../../server/src/hddl/index.js';

const DOMAIN = parseHddlDomain(`(define (domain go)
 (:requirements :typing :hierarchy :negative-preconditions :equality)
 (:types place vehicle - object truck - vehicle)
 (:constants depot - place)
 (:predicates (at ?v - vehicle ?p - place) (fuel ?v - vehicle))
 (:task go :parameters (?v - vehicle ?p - place))
 (:method m-go-same :parameters (?v - vehicle ?p - place) :task (go ?v ?p)
   :precondition (at ?v ?p) :ordered-subtasks ())
 (:method m-go-truck :parameters (?t - truck ?p - place) :task (go ?t ?p) :ordered-subtasks (and (refuel ?t) (drive ?t ?p)))
 (:method m-go-depot :parameters (?v - vehicle) :task (go ?v depot) :ordered-subtasks (teleport ?v))
 (:action refuel :parameters (?t - truck) :effect (fuel ?t))
 (:action drive :parameters (?t - truck ?p - place) :precondition (fuel ?t) :effect (and (not (fuel ?t)) (at ?t ?p)))
 (:action teleport :parameters (?v - vehicle) :effect (at ?v depot)))`, 'd.hddl');
const PROBLEM = parseHddlProblem(`(define (problem p) (:domain go)
  (:objects car - vehicle t1 - truck a - place)
  (:htn :parameters (?x - vehicle) :ordered-subtasks (and (go ?x a) (go car depot) (go car depot)) :constraints (not (= ?x car)))
  (:init) (:goal (at t1 a)))`, 'p.hddl');

const VALID = `some planner output
==>
0 refuel t1
1 drive t1 a
2 teleport car
root 3 4 5
3 go t1 a -> m-go-truck 0 1
4 go car depot -> m-go-depot 2
5 go car depot -> m-go-same
<==
`;

function rejects(plan: string, message: RegExp): void {
  const v = verifyIpcPlan(DOMAIN, PROBLEM, plan);
  assert.not.ok(v.ok, `accepted:\n${plan}`);
  assert.ok(v.errors.some((e) => message.test(e)), v.errors.join('\n'));
}

test('a valid plan passes', () => {
  const v = verifyIpcPlan(DOMAIN, PROBLEM, VALID);
  assert.equal(v.errors, []);
  assert.ok(v.ok);
});

test('actions out of order or not applicable', () => {
  rejects(VALID.replace('0 refuel t1\n1 drive t1 a', '1 drive t1 a\n0 refuel t1'), /not applicable|decomposition puts it/);
  rejects(VALID.replace('1 drive t1 a', '1 drive car a'), /not a truck|subtask/);
});

test('the decomposition must be complete and consistent', () => {
  rejects(VALID.replace('5 go car depot -> m-go-same\n', ''), /unknown id 5/);
  rejects(VALID.replace('root 3 4 5', 'root 3 4'), /initial task network has 3 task/);
  rejects(VALID.replace('4 go car depot -> m-go-depot 2', '4 go car depot -> m-go-truck 2'), /not a truck|subtask/);
  rejects(VALID.replace('3 go t1 a -> m-go-truck 0 1', '3 go t1 a -> m-go-truck 0'), /has 2 subtask/);
  rejects(VALID.replace('2 teleport car\n', '2 teleport car\n6 teleport t1\n'), /action 6 .* not in the decomposition/);
  rejects(VALID.replace('root 3 4 5', 'root 3 4 4'), /used more than once/);
  rejects(VALID.replace('-> m-go-depot 2', '-> m-go-nowhere 2'), /unknown method/);
});

test('method preconditions, initial network constraints and the goal are checked', () => {
  rejects(VALID.replace('5 go car depot -> m-go-same', '5 go car a -> m-go-same'), /argument 2 is a, but the method needs depot/);
  rejects(VALID.replace('4 go car depot -> m-go-depot 2\n5 go car depot -> m-go-same', '4 go car depot -> m-go-same\n5 go car depot -> m-go-depot 2'), /precondition of method m-go-same/);
  const p2 = parseHddlProblem(`(define (problem p) (:domain go) (:objects car - vehicle t1 - truck a - place)
    (:htn :parameters (?x - vehicle) :ordered-subtasks (and (go ?x depot)) :constraints (not (= ?x car))) (:init) (:goal (at car depot)))`, 'p2.hddl');
  const plan = '==>\n0 teleport car\nroot 1\n1 go car depot -> m-go-depot 0\n<==\n';
  assert.match(verifyIpcPlan(DOMAIN, p2, plan).errors.join('\n'), /precondition of the initial task network/);
  const noGoal = '==>\n0 teleport t1\nroot 1\n1 go t1 depot -> m-go-depot 0\n<==\n';
  assert.match(verifyIpcPlan(DOMAIN, p2, noGoal).errors.join('\n'), /goal does not hold/);
});

test('format errors give the line', () => {
  rejects('nothing here', /no '==>'/);
  rejects('==>\n0 refuel t1\n<==\n', /line 3: the plan has no 'root' line/);
  rejects('==>\n0 refuel t1\n0 drive t1 a\nroot\n<==', /line 3: id 0 is used twice/);
  rejects('==>\n1 go t1 a -> m 0\nroot 1\n<==', /line 2: a method line before the 'root' line/);
  rejects('==>\nroot 1\n1 go t1 a -> m x\n<==', /line 3: expected a non-negative integer id, found 'x'/);
  rejects('==>\nroot 1\n', /no '<==' line/);
});

test.run();
