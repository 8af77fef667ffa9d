/**
 * Choosing cases by name, the command line, and the report formatting.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBenchArgs } from '../../bench/args.js';
import { renderBar } from '../../bench/progress.js';
import { fmtBytes, fmtMs, fmtRate, formatTable } from '../../bench/report-table.js';
import { checkUniqueNames, selectCases } from '../../bench/select.js';

const cases = ['wasm/blocks_gtn/blocks-10', 'wasm/blocks_gtn/blocks-100', 'wasm/simple_htn/travel', 'grpc/unary/simple_htn/c16', 'baseline/grpc-empty/c16']
  .map((name) => ({ name }));
const names = (xs: { name: string }[]) => xs.map((x) => x.name);

test('no pattern selects every case, in order', () => {
  assert.equal(names(selectCases(cases, [])), names(cases));
});

test('a regex selects the names it matches anywhere', () => {
  assert.equal(names(selectCases(cases, ['blocks-10$'])), ['wasm/blocks_gtn/blocks-10']);
  assert.equal(names(selectCases(cases, ['simple_htn'])), ['wasm/simple_htn/travel', 'grpc/unary/simple_htn/c16']);
  assert.equal(names(selectCases(cases, ['^wasm/'])).length, 3);
});

test('several patterns select the union, without duplicates', () => {
  assert.equal(names(selectCases(cases, ['c16$', 'grpc'])), ['grpc/unary/simple_htn/c16', 'baseline/grpc-empty/c16']);
});

test('a bad regex is an error naming it', () => {
  assert.throws(() => selectCases(cases, ['(']), /bad case pattern "\("/);
});

test('duplicate case names are refused', () => {
  assert.throws(() => checkUniqueNames([{ name: 'a' }, { name: 'a' }]), /two benchmark cases are named a/);
  checkUniqueNames(cases);
});

test('command line: patterns, options, defaults', () => {
  const a = parseBenchArgs(['blocks', '--json', 'out.json', '--duration', '2', 'travel', '--gtpyhop', '/g']);
  assert.equal(a.patterns, ['blocks', 'travel']);
  assert.is(a.json, 'out.json');
  assert.is(a.durationS, 2);
  assert.is(a.warmupS, 0.5);
  assert.is(a.runs, 3);
  assert.is(a.gtpyhop, '/g');
  assert.throws(() => parseBenchArgs(['--duration', 'abc']), /--duration must be a positive number/);
  assert.throws(() => parseBenchArgs(['--duration=0']), /--duration must be a positive number/);
  assert.throws(() => parseBenchArgs(['--runs', '1.5']), /--runs must be a positive integer/);
  assert.throws(() => parseBenchArgs(['--bogus']));
});

test('number formats', () => {
  assert.is(fmtRate(12345), '12.3k');
  assert.is(fmtRate(4.56e6), '4.56M');
  assert.is(fmtRate(NaN), '-');
  assert.is(fmtMs(0.0123), '12.3 µs');
  assert.is(fmtMs(0.00001), '10.0 ns');
  assert.is(fmtMs(1234), '1234 ms');
  assert.is(fmtBytes(512), '512 B');
  assert.is(fmtBytes(1000 * 1024 - 1), '1000 KiB');
  assert.is(fmtBytes(3 * 1024 * 1024), '3.00 MiB');
});

test('tables are Markdown with aligned columns', () => {
  const t = formatTable(['case', 'plans/s'], [['a', '1'], ['long-name', '12.3k']]).split('\n');
  assert.is(t.length, 4);
  assert.ok(t.every((l) => l.length === t[0]!.length));
  assert.match(t[1]!, /^\|-+\|-+:\|$/);
});

test('progress bar text fits the terminal', () => {
  assert.is(renderBar(3, 6, 'x', 80), '[############------------] 3/6 x');
  assert.ok(renderBar(1, 2, 'y'.repeat(200), 40).length <= 40);
});

test.run();
