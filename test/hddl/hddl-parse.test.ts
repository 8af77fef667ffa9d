import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ipcCases } from '../../bench/cases/ipc.js';
import { checkHddlDomain, checkHddlProblem, parseHddlDomain, parseHddlProblem, spellingOf } from '../../server/src/hddl/index.js';
import { DomainError } from '../../server/src/planner/errors.js';

const DOMAIN = `(define (domain d)
  (:requirements :typing :hierarchy :negative-preconditions :equality)
  (:types truck - vehicle vehicle place - object)
  (:constants depot - place)
  (:predicates (at ?v - vehicle ?p - place) (road ?a ?b - place))
  (:task go :parameters (?v - vehicle ?p - place))
  (:method m-go
    :parameters (?v - vehicle ?from ?to - place)
    :task (go ?v ?to)
    :precondition (and (at ?v ?from) (road ?from ?to) (not (= ?from ?to)))
    :subtasks (and (t2 (drive ?v ?from ?to)) (t1 (noop ?v)))
    :ordering (and (< t2 t1)))
  (:action drive :parameters (?v - vehicle ?a ?b - place)
    :precondition (and (at ?v ?a) (road ?a ?b))
    :effect (and (not (at ?v ?a)) (at ?v ?b)))
  (:action noop :parameters (?v - vehicle) :precondition () :effect ()))
`;

function parseError(text: string, where: string, message: RegExp, problem = false): void {
  try {
    if (problem) checkHddlProblem(parseHddlDomain(DOMAIN, 'd.hddl'), parseHddlProblem(text, 'p.hddl'));
    else checkHddlDomain(parseHddlDomain(text, 'd.hddl'));
  } catch (e) {
    assert.instance(e, DomainError);
    assert.is((e as DomainError).where, where, (e as Error).message);
    assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable(`no error for ${text.slice(0, 60)}`);
}

test('a small domain: types, constants, ordering into a total order', () => {
  const d = parseHddlDomain(DOMAIN, 'd.hddl');
  checkHddlDomain(d);
  assert.equal(d.typeParent.get('truck'), ['vehicle']);
  assert.equal(d.typeParent.get('place'), ['object']);
  assert.equal(d.constants.map((c) => c.name), ['depot']);
  assert.equal(d.predicates.get('road')!.params.map((p) => p.type), ['place', 'place']);
  const m = d.methods[0];
  assert.equal(m.params.map((p) => `${p.name}:${p.type}`), ['?v:vehicle', '?from:place', '?to:place']);
  assert.equal(m.subtasks.map((s) => s.task), ['drive', 'noop']);
  assert.is(m.pre.kind, 'and');
});

test('names are case-insensitive; comments are skipped', () => {
  const d = parseHddlDomain(DOMAIN.replace('(:task go', '; a comment (\n(:TASK Go').replace(':task (go', ':task (GO'), 'd.hddl');
  checkHddlDomain(d);
  assert.ok(d.tasks.has('go'));
  // Plans spell names as the input first did (the IPC verifier is case-sensitive).
  assert.is(spellingOf(d)('go'), 'Go');
  assert.is(spellingOf(d)('drive'), 'drive');
});

test('problems: objects, htn with parameters, init, goal', () => {
  const p = parseHddlProblem(`(define (problem p) (:domain d)
    (:objects t1 - truck a b - place)
    (:htn :parameters (?x - place) :ordered-subtasks (and (go t1 ?x)) :constraints (not (= ?x depot)))
    (:init (at t1 a) (road a b))
    (:goal (at t1 b)))`, 'p.hddl');
  const types = checkHddlProblem(parseHddlDomain(DOMAIN, 'd.hddl'), p);
  assert.equal(p.htn.params.map((x) => x.name), ['?x']);
  assert.is(p.htn.constraints.kind, 'not');
  assert.equal(p.init.map((a) => a.pred), ['at', 'road']);
  assert.ok(p.goal);
  assert.equal(types.objectsOf('vehicle'), ['t1']);
  assert.equal(types.objectsOf('place'), ['depot', 'a', 'b']);
});

test('syntax errors name file, line and column', () => {
  parseError('(define (domain d)\n  (:types a)', 'd.hddl:1:1', /never closed/);
  parseError('(define (domain d)))', 'd.hddl:1:20', /unexpected '\)'/);
  parseError('(define (domain d) (:types a -))', 'd.hddl:1:30', /expected a type name/);
  parseError('(define (domain d)\n (:predicates (p ?x - t)) (:action a :parameters (?x) :foo ()))', 'd.hddl:2:55', /unsupported: ':foo'/);
  parseError('(define (problem p))', 'd.hddl:1:9', /problem file/);
});

test('unsupported features are errors, never dropped', () => {
  parseError('(define (domain d) (:requirements :durative-actions))', 'd.hddl:1:35', /unsupported requirement ':durative-actions'/);
  parseError('(define (domain d) (:functions (f)))', 'd.hddl:1:21', /unsupported section ':functions'/);
  parseError('(define (domain d) (:predicates (p)) (:action a :effect (increase (f) 1)))', 'd.hddl:1:57', /numeric effect/);
  parseError('(define (domain d) (:types a - (either b c)))', 'd.hddl:1:32', /either/);
  parseError('(define (domain d) (:types a - b b - a))', 'd.hddl:1:28', /cycle through 'a'/);
  parseError('(define (domain d) (:predicates (p)) (:task t) (:method m :task (t) :subtasks (and (x (t)) (y (t))) :ordering (and (< x y) (< y x))))', 'd.hddl:1:48', /method 'm': the ordering constraints form a cycle \(x < y < x\)/);
  parseError('(define (domain d) (:predicates (p)) (:action a :precondition (< 1 2)))', 'd.hddl:1:63', /numeric comparison/);
});

test('names and arities are checked', () => {
  parseError('(define (domain d) (:predicates (p ?x)) (:action a :parameters (?y) :precondition (q ?y)))', 'd.hddl:1:83', /unknown predicate 'q'/);
  parseError('(define (domain d) (:predicates (p ?x)) (:action a :parameters (?y) :precondition (p ?y ?y)))', 'd.hddl:1:83', /takes 1 argument/);
  parseError('(define (domain d) (:predicates (p ?x)) (:action a :parameters (?y) :precondition (p ?z)))', 'd.hddl:1:83', /undeclared variable '\?z'/);
  parseError('(define (domain d) (:predicates (p ?x - thing)))', 'd.hddl:1:36', /unknown type 'thing'/);
  parseError('(define (domain d) (:task t) (:method m :task (u) :subtasks ()))', 'd.hddl:1:30', /unknown task 'u'/);
  parseError(`(define (problem p) (:domain d) (:objects t1 - truck) (:htn :subtasks (go t1 nowhere)) (:init))`, 'p.hddl:1:71', /unknown constant or object 'nowhere'/, true);
});

test('a type may have several parents (UM-Translog): subtypes, objects and overlaps follow every parent', () => {
  const d = parseHddlDomain('(define (domain d) (:types rtruck - regular rtruck - truck truck regular - vehicle train - regular))', 'd.hddl');
  assert.equal(d.typeParent.get('rtruck'), ['regular', 'truck']);
  const p = parseHddlProblem('(define (problem p) (:domain d) (:objects r1 - rtruck t1 - truck c1 - train) (:htn :subtasks ()) (:init))', 'p.hddl');
  const types = checkHddlProblem(d, p);
  assert.ok(types.isSub('rtruck', 'truck') && types.isSub('rtruck', 'regular') && types.isSub('rtruck', 'vehicle'));
  assert.not.ok(types.isSub('truck', 'regular'));
  assert.equal(types.objectsOf('regular'), ['r1', 'c1']);
  assert.equal(types.objectsOf('truck'), ['r1', 't1']);
  // Neither is a subtype of the other, but an rtruck is both.
  assert.ok(types.overlap('truck', 'regular'));
  assert.not.ok(types.overlap('truck', 'train'));
});

const cases = ipcCases();
test('every domain and problem of the IPC 2020 total-order suite parses and checks', () => {
  if (cases.length === 0) { console.log('  (suite not found; set ARIA_HDDL_SUITE)'); return; }
  const domains = new Map<string, ReturnType<typeof parseHddlDomain>>();
  for (const c of cases) {
    let d = domains.get(c.domainFile);
    if (!d) { d = parseHddlDomain(readFileSync(c.domainFile, 'utf8'), c.domainFile); checkHddlDomain(d); domains.set(c.domainFile, d); }
    checkHddlProblem(d, parseHddlProblem(readFileSync(c.problemFile, 'utf8'), c.problemFile));
  }
  assert.is(new Set(cases.map((c) => c.domain)).size, 22);
  assert.ok(cases.length > 800);
});

test.run();
