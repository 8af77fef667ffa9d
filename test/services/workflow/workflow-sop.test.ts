/**
 * SOP documents: the exact path and message of each kind of fault, the
 * example SOP of domains/sop, and the planning domain an SOP compiles to
 * (methods' preconditions, commands done once, banned commands avoided).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../../../server/src/core/errors.js';
import { compileSop, planSop } from '../../../server/src/services/workflow/compile-sop.js';
import { validateSop } from '../../../server/src/services/workflow/validate-sop.js';
import { META, sop } from './workflow-fixtures.js';

function fault(json: string): { field: string; message: string } {
  try {
    validateSop(json);
  } catch (err) {
    assert.instance(err, InvalidArgumentError);
    return { field: (err as InvalidArgumentError).field, message: (err as Error).message };
  }
  throw new Error('the SOP was accepted; a fault was expected');
}

const ok = { goals: ['g'], tasks: { g: { methods: [{ name: 'm', subtasks: ['a'] }] } }, commands: { a: { kind: 'set', values: { x: 1 } } } };

test('faults are reported at their exact path', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    ['{', 'sop', /not JSON/],
    [[], 'sop', /must be a JSON object/],
    [{ ...JSON.parse(sop('a', ok)), extra: 1 }, 'sop.extra', /unknown key/],
    [{ ...JSON.parse(sop('A b', ok)) }, 'sop.name', /is not a name/],
    [{ ...JSON.parse(sop('a', ok)), metadata: { ...META, last_updated: '2026-13-45' } }, 'sop.metadata.last_updated', /YYYY-MM-DD/],
    [{ ...JSON.parse(sop('a', ok)), metadata: { ...META, next_review: '2020-01-01' } }, 'sop.metadata.next_review', /before last_updated/],
    [{ ...JSON.parse(sop('a', ok)), metadata: { ...META, approved_by: 3 } }, 'sop.metadata.approved_by', /must be a string/],
    [JSON.parse(sop('a', { ...ok, goals: [] })), 'sop.goals', /must not be empty/],
    [JSON.parse(sop('a', { ...ok, goals: ['nope'] })), 'sop.goals[0]', /'nope' is neither a task nor a command/],
    [JSON.parse(sop('a', { ...ok, tasks: { g: { methods: [{ name: 'm', subtasks: ['a', 'zz'] }] } } })), 'sop.tasks.g.methods[0].subtasks[1]', /'zz' is neither/],
    [JSON.parse(sop('a', { ...ok, tasks: { g: { methods: [{ name: 'm', subtasks: [] }, { name: 'm', subtasks: [] }] } } })), 'sop.tasks.g.methods[1].name', /names another method/],
    [JSON.parse(sop('a', { ...ok, tasks: { a: { methods: [{ name: 'm', subtasks: [] }] } } })), 'sop.tasks.a', /also a command's name/],
    [JSON.parse(sop('a', { ...ok, tasks: { g: { methods: [{ name: 'm', when: { key: 'x', equals: 1, exists: true }, subtasks: [] }] } } })), 'sop.tasks.g.methods[0].when', /give \{key, equals\}/],
    [JSON.parse(sop('a', { ...ok, tasks: { g: { methods: [{ name: 'm', when: { all: [{ key: 'X', exists: true }] }, subtasks: [] }] } } })), 'sop.tasks.g.methods[0].when.all[0].key', /is not a name/],
    [JSON.parse(sop('a', { ...ok, commands: { a: { kind: 'teleport' } } })), 'sop.commands.a.kind', /must be one of plan, shape, wait, approve, http, set, fail/],
    [JSON.parse(sop('a', { ...ok, commands: { a: { kind: 'wait', ms: 10_000_000 } } })), 'sop.commands.a.ms', /integer from 0 to 600000/],
    [JSON.parse(sop('a', { ...ok, commands: { a: { kind: 'wait', ms: 5, url: 'x' } } })), 'sop.commands.a.url', /unknown key/],
    [JSON.parse(sop('a', { ...ok, commands: { a: { kind: 'http', url: 'file:///etc/passwd' } } })), 'sop.commands.a.url', /must be http or https/],
    [JSON.parse(sop('a', { ...ok, commands: { a: { kind: 'http', url: 'http://x.test/', body: {} } } })), 'sop.commands.a.body', /only a POST/],
    [JSON.parse(sop('a', { ...ok, commands: { a: { kind: 'set', values: { 'Bad Key': 1 } } } })), 'sop.commands.a.values.Bad Key', /is not a name/],
    [JSON.parse(sop('a', { ...ok, commands: { a: { kind: 'plan', domain: 'blocks_gtn', todo: [] } } })), 'sop.commands.a.todo', /must not be empty/],
  ];
  for (const [doc, field, message] of cases) {
    const f = fault(typeof doc === 'string' ? doc : JSON.stringify(doc));
    assert.is(f.field, field, `${JSON.stringify(doc).slice(0, 120)}: ${f.message}`);
    assert.match(f.message, message);
    assert.ok(f.message.startsWith(`${field}: `), f.message);
  }
});

test('the example SOP in domains/sop validates and compiles', () => {
  const path = fileURLToPath(new URL('../../../../domains/sop/character-prompt.json', import.meta.url));
  const s = validateSop(readFileSync(path, 'utf8'));
  assert.is(s.name, 'character-prompt');
  assert.is(s.metadata.nextReview, '2027-06-08');
  const c = compileSop(s);
  assert.match(c.text, /action c\(n\)/);
  assert.match(c.text, /'generate': \{'character': true\}/);
  assert.match(c.text, /'store': \{'prompt_stored': true\}/);
  assert.match(c.text, /method m0_first_seed\(\) \{ return \[t\('generate'\), t\('review'\), t\('store'\)\] \}/);
  const first = planSop(c, s.state, [], []);
  assert.equal(first, { ok: true, commands: ['generate', 'review', 'store'] });
  // The review refused: generate stays done, the second method is planned around the banned command.
  assert.equal(planSop(c, s.state, ['generate'], ['review']), { ok: true, commands: ['generate_again', 'review_again', 'store'] });
});

test('methods are chosen by their preconditions over the run state, and done commands are not planned again', () => {
  const s = validateSop(sop('cond', {
    goals: ['g'],
    tasks: {
      g: {
        methods: [
          { name: 'has_x', when: { all: [{ key: 'mode', equals: 'fast' }, { not: { key: 'skip', exists: true } }] }, subtasks: ['a', 'b'] },
          { name: 'other', when: { any: [{ key: 'mode', equals: "it's slow" }, { key: 'n', equals: 3 }] }, subtasks: ['b', 'c'] },
        ],
      },
    },
    commands: { a: { kind: 'set', values: { x: 1 } }, b: { kind: 'wait', ms: 0 }, c: { kind: 'fail' } },
  }));
  const c = compileSop(s);
  assert.equal(planSop(c, { mode: 'fast' }, [], []), { ok: true, commands: ['a', 'b'] });
  assert.equal(planSop(c, { mode: "it's slow" }, [], []), { ok: true, commands: ['b', 'c'] });
  assert.equal(planSop(c, { n: 3 }, ['b'], []), { ok: true, commands: ['c'] });
  assert.equal(planSop(c, { mode: 'fast' }, ['a'], ['b']).ok, false);
  assert.equal(planSop(c, { mode: 'fast', skip: { nested: [1] } }, [], []).ok, false);
});

test.run();
