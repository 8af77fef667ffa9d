/**
 * `aria shape`: generate prints one JSON line per valid character, the same
 * for the same seed; validate prints a summary or the fault's path; bad
 * input exits 2 with one line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAria } from '../support/aria-process.js';
import { builtinTemplate, checkCharacter } from '../../server/src/services/shape/index.js';

const dir = mkdtempSync(join(tmpdir(), 'aria-shape-cli-'));

test('generate: count lines, each a valid character; the same seed prints the same lines', async () => {
  const args = ['shape', 'generate', '--template', 'cyber', '--seed', '11', '--count', '5', '--preset', 'netrunner'];
  const r = await runAria(args);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 5);
  const t = builtinTemplate('cyber');
  for (const line of lines) {
    const c = JSON.parse(line);
    assert.equal(checkCharacter(t, c), []);
    assert.is(c.attributes.role, 'netrunner');
    assert.match(c.prompt, /^full-body shot of /);
  }
  assert.is((await runAria(args)).stdout, r.stdout);
});

test('batch: k lines of valid, distinct characters, the same for the same seed; counts on stderr; bounds exit 2', async () => {
  const args = ['shape', 'batch', '--template', 'fantasy', '-n', '2000', '-k', '4', '--seed', '1', '--prefer', 'species=orc:3', '--style', 'art_style=ink', '--diversity', '0.5'];
  const r = await runAria(args);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.is(lines.length, 4);
  const t = builtinTemplate('fantasy');
  for (const c of lines) assert.equal(checkCharacter(t, c), []);
  assert.is(lines[0].attributes.species, 'orc');
  assert.is(new Set(lines.map((c) => c.index)).size, 4);
  const summary = JSON.parse(r.stderr);
  assert.is(summary.candidates, 2000);
  assert.is(summary.returned, 4);
  assert.is((await runAria(args)).stdout, r.stdout);
  const big = await runAria(['shape', 'batch', '--template', 'fantasy', '-n', '1000001']);
  assert.is(big.code, 2);
  assert.is(big.stderr.trim(), 'aria: candidates: must be an integer from 1 to 1000000, got 1000001');
  const weight = await runAria(['shape', 'batch', '--template', 'fantasy', '--prefer', 'species']);
  assert.is(weight.code, 2);
  assert.is(weight.stderr.trim(), 'aria: --prefer takes ATTR=VALUE or ATTR=VALUE:WEIGHT, got "species"');
});

test('validate: a summary for a good file; the path of the fault for a bad one (exit 2)', async () => {
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ name: 'tiny', attributes: [{ name: 'hat', values: { red: 1, blue: 2 } }], constraints: [{ requires: 'hat = red' }] }));
  const ok = await runAria(['shape', 'validate', good]);
  assert.is(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout), { name: 'tiny', description: '', attributes: 1, traits: 0, constraints: 1, presets: [] });
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ name: 'tiny', attributes: [{ name: 'hat', values: { red: 1 } }], constraints: [{ requires: 'hat = blue' }] }));
  const no = await runAria(['shape', 'validate', bad]);
  assert.is(no.code, 2);
  assert.is(no.stderr.trim(), "aria: template.constraints[0].requires: 'blue' is not a value of hat (red)");
});

test('generate from a file with no character: exit 1 and a no_character line', async () => {
  const file = join(dir, 'none.json');
  writeFileSync(file, JSON.stringify({
    name: 'none',
    attributes: [{ name: 'a', values: { x: 1, y: 1 } }, { name: 'b', values: { x: 1, y: 1 } }],
    constraints: [{ excludes: ['a = x', 'b = x'] }, { excludes: ['a = x', 'b = y'] }, { excludes: ['a = y', 'b = x'] }, { excludes: ['a = y', 'b = y'] }],
  }));
  const r = await runAria(['shape', 'generate', '--template', file]);
  assert.is(r.code, 1, r.stderr);
  assert.is(JSON.parse(r.stdout).status, 'no_character');
});

test('bad input: unknown template, count over the maximum', async () => {
  const r = await runAria(['shape', 'generate', '--template', 'nope']);
  assert.is(r.code, 2);
  assert.is(r.stderr.trim(), "aria: --template: no built-in template or file 'nope' (built in: casual, cyber, fantasy)");
  const big = await runAria(['shape', 'generate', '--template', 'casual', '--count', '1001']);
  assert.is(big.code, 2);
  assert.is(big.stderr.trim(), 'aria: count: must be an integer from 1 to 1000, got 1001');
});

test.run();
