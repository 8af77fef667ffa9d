/**
 * The seeded problem generators: the same seed gives the same problem, a
 * different seed a different one, and the problems are well formed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blocksProblem, randomTowers, rng } from '../../bench/cases/blocks-world.js';
import { blocksSet, logisticsSets, recursionSet } from '../../bench/cases/corpus.js';
import { LOGISTICS_SIZES, logisticsProblem } from '../../bench/cases/logistics.js';

test('rng is deterministic per seed and within [0, 1)', () => {
  const a = rng(42), b = rng(42), c = rng(43);
  const xs = Array.from({ length: 100 }, () => a());
  assert.equal(xs, Array.from({ length: 100 }, () => b()));
  assert.not.equal(xs, Array.from({ length: 100 }, () => c()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test('random towers place every block once, with no cycles', () => {
  const pos = randomTowers(50, rng(7));
  assert.is(pos.size, 50);
  for (const start of pos.keys()) {
    let b: number | 'table' = start, steps = 0;
    while (b !== 'table') { b = pos.get(b)!; steps++; assert.ok(steps <= 50, 'cycle'); }
  }
  const below = [...pos.values()].filter((p) => p !== 'table');
  assert.is(new Set(below).size, below.length, 'two blocks on one block');
});

test('blocks problems: same seed, same problem; other seed, other problem', () => {
  assert.equal(blocksProblem(20, 3), blocksProblem(20, 3));
  assert.not.equal(blocksProblem(20, 3), blocksProblem(20, 4));
  assert.equal(blocksSet('blocks_gtn', 10), blocksSet('blocks_gtn', 10));
});

test('logistics problems are deterministic and of the asked size', () => {
  const size = LOGISTICS_SIZES[1]!;
  const p = logisticsProblem(size, 1);
  assert.equal(p, logisticsProblem(size, 1));
  assert.not.equal(p, logisticsProblem(size, 2));
  assert.is(p.todo.length, size.packages);
  const st = p.state as Record<string, Record<string, unknown>>;
  assert.is((st.trucks!.__set__ as string[]).length, size.cities * size.trucksPerCity);
  assert.is((st.airports!.__set__ as string[]).length, size.cities);
  // Each goal moves its package somewhere else.
  for (const item of p.todo as string[][]) assert.is.not(st.at![item[1]!], item[2]);
  // Every city has a truck (find_truck would fail otherwise).
  const truckCities = new Set(Object.values(st.truck_at!).map((l) => st.in_city![l as string]));
  assert.is(truckCities.size, size.cities);
});

test('logistics sets are bigger than GTPyhop example (2 packages, 2 cities)', () => {
  for (const s of logisticsSets()) assert.ok(s.n! > 2 && s.problems.length > 0);
});

test('recursion set: count N', () => {
  assert.equal(recursionSet(400).problems[0]!.todo, [['count', 400]]);
});

test.run();
