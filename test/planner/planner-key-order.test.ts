/**
 * Keys iterate in the order they were added, as GTPyhop's dicts do, also
 * after backtracking: a key that a failed branch added and backtracking
 * removed, then added again, comes after the keys added meanwhile (GTPyhop
 * copies the state for every action, so the dict it goes back to never had
 * it). Found by the differential test's reference planner: the engine's
 * slot for the key kept its first place in the variable's key list.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PlanResult, Problem } from '../../server/src/planner/index.js';
import { loadReferenceDomain } from '../support/reference-planner/index.js';
import { loadDomainWith } from '../support/engine-mode.js';

const plan = (jit: boolean, text: string, problem: Problem): PlanResult => loadDomainWith(text, jit).plan(problem);

const domain = (value: string): string => `domain key_order
var seen, n
action note(x) { seen[x] = ${value} }
action no() { fail }
action first(x) { n['first'] = x }
task t {
  method m1() { return [note('a'), no()] }
  method m2() { return [note('b'), note('a'), report()] }
}
task report { method r() { for o in seen { return [first(o)] } } }`;

// A scalar value takes the compiled in-place write (jit/state-set.ts), a list the engine's stateSet.
for (const value of ['true', "['v']"]) {
  for (const jit of [true, false]) {
    test(`a key added again after backtracking comes last (value ${value}) [${jit ? 'jit' : 'interpreter'}]`, () => {
      const r = plan(jit, domain(value), { state: { seen: {}, n: {} }, todo: [['t']] });
      assert.equal(r.status === 'plan' ? r.plan : r, [['note', 'b'], ['note', 'a'], ['first', 'b']]);
    });
  }
  test(`a key added again after backtracking comes last (value ${value}) [reference]`, () => {
    const r = loadReferenceDomain(domain(value)).plan({ state: { seen: {}, n: {} }, todo: [['t']] });
    assert.equal(r.status === 'plan' ? r.plan : r, [['note', 'b'], ['note', 'a'], ['first', 'b']]);
  });
}

test('keys of the initial state keep their places; a key written again keeps its place', () => {
  const text = `domain keep
var seen, n
action set(x) { seen[x] = 2 }
action first(x) { n['first'] = x }
task report { method r() { for o in seen { return [first(o)] } } }`;
  for (const jit of [true, false]) {
    const r = plan(jit, text, { state: { seen: { a: 1, b: 1 }, n: {} }, todo: [['set', 'b'], ['set', 'a'], ['report']] });
    assert.equal(r.status === 'plan' ? r.plan : r, [['set', 'b'], ['set', 'a'], ['first', 'a']]);
  }
});

test.run();
