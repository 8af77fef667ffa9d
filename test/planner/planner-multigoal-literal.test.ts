/**
 * A multigoal literal that names one goal twice through computed keys
 * (`loc[x] = 'q'; loc['a'] = 'r'` with x = 'a') is one goal, as in
 * GTPyhop's dict: found by the differential test (planner-differential),
 * where the engine kept both triples, so `len(mg.loc)` was 2 and
 * `for x in mg.loc` visited 'a' twice. The value written last wins, at
 * the place the goal was first written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PlanResult, Problem } from '../../server/src/planner/index.js';
import { loadReferenceDomain } from '../support/reference-planner/index.js';
import { loadDomainWith } from '../support/engine-mode.js';

const plan = (jit: boolean, text: string, problem: Problem): PlanResult => loadDomainWith(text, jit).plan(problem);

const domain = (methods: string): string => `domain mg_dup
var loc, n
action mv(x, y) { loc[x] = y }
action count(k) { n['k'] = k }
task t { method m(x) { return [multigoal 'g' { loc[x] = 'q'; loc['b'] = 'p'; loc['a'] = 'r' }] } }
unigoal loc { method g(x, v) { return [mv(x, v)] } }
multigoal {
${methods}
}`;
const problem: Problem = { state: { loc: { a: 'p', b: 'q' }, n: {} }, todo: [['t', 'a']] };

const cases: [string, string, unknown][] = [
  ['len(mg.loc) counts each goal once', "  method two(mg) { require len(mg.loc) > 2; return [] }\n  builtin split_multigoal", [['mv', 'a', 'r'], ['mv', 'b', 'p']]],
  ['iteration visits each goal once, first place, last value', '  method each(mg) { return [mv(x, mg.loc[x]) for x in mg.loc] }', [['mv', 'a', 'r'], ['mv', 'b', 'p']]],
  ['split_multigoal makes each goal once', '  builtin split_multigoal', [['mv', 'a', 'r'], ['mv', 'b', 'p']]],
  ['mg.loc[x] is the value written last', "  method m(mg) { return [count(len(mg.loc)), mv('a', mg.loc['a']), mv('b', 'p')] }", [['count', 2], ['mv', 'a', 'r'], ['mv', 'b', 'p']]],
];
for (const [name, methods, expected] of cases) {
  for (const jit of [true, false]) {
    test(`${name} [${jit ? 'jit' : 'interpreter'}]`, () => {
      const r = plan(jit, domain(methods), problem);
      assert.equal(r.status === 'plan' ? r.plan : r, expected);
    });
  }
  test(`${name} [reference]`, () => {
    const r = loadReferenceDomain(domain(methods)).plan(problem);
    assert.equal(r.status === 'plan' ? r.plan : r, expected);
  });
}

test.run();
