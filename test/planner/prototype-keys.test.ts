/**
 * State variables and keys are the problem writer's strings, `__proto__`
 * and `constructor` included. Reading the engine's state back into plain
 * objects with `obj[key] = value` turned a `__proto__` key into the
 * object's prototype: the entry vanished from the state acting returned.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDomain } from '../../server/src/planner/index.js';
import { parseOrderedJson } from '../../server/src/planner/index.js';

const DOMAIN = `domain proto_keys
var loc, bag
action put(x, y) { loc[x] = y }
action stash(k, v) { bag[k] = v }
unigoal loc { method g_put(x, y) { return [put(x, y)] } }
task fill { method m(k, v) { return [stash(k, v)] } }`;

const ownKeys = (o: unknown): string[] => Object.keys(o as object).sort();

test('acting keeps __proto__ and constructor as ordinary keys of the state it returns', async () => {
  const d = await loadDomain(DOMAIN);
  const state = parseOrderedJson('{"loc": {"__proto__": "a", "constructor": "b", "k": "c"}, "bag": {}}') as never;
  const r = await d.act({ state, todo: [['loc', '__proto__', 'z'], ['loc', 'constructor', 'y']] });
  assert.is(r.status, 'done');
  assert.equal(r.executed, [['put', '__proto__', 'z'], ['put', 'constructor', 'y']]);
  const loc = (r.state as Record<string, Record<string, unknown>>).loc;
  assert.equal(ownKeys(loc), ['__proto__', 'constructor', 'k']);
  assert.is(Object.getPrototypeOf(loc), Object.prototype);
  assert.is(Object.getOwnPropertyDescriptor(loc, '__proto__')?.value, 'z');
  assert.is(loc.constructor, 'y');
  assert.is(JSON.stringify(loc), '{"__proto__":"z","constructor":"y","k":"c"}');
});

test('a variable that was empty keeps its place even when named like an Object member', async () => {
  const d = await loadDomain(DOMAIN.replaceAll('bag', 'constructor'));
  const r = await d.act({ state: { loc: {}, constructor: {} } as never, todo: [['loc', 'x', 'p']] });
  assert.is(r.status, 'done');
  assert.equal(ownKeys(r.state), ['constructor', 'loc']);
  assert.equal((r.state as Record<string, unknown>).constructor, {});
});

test('parseOrderedJson keeps a __proto__ key as data', () => {
  const v = parseOrderedJson('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;
  assert.equal(ownKeys(v), ['__proto__', 'y']);
  assert.is(Object.getPrototypeOf(v), Object.prototype);
});

test.run();
