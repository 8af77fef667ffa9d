/**
 * The hand-written SVG charts: well-formed XML, one marker per point,
 * escaped text, sensible ticks on log and linear axes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chartsFrom } from '../../bench/charts.js';
import type { CaseResult } from '../../bench/results.js';
import { escapeXml, formatTick, lineChartSvg, ticks } from '../../bench/svg-chart.js';

/** Throws unless the text is well-formed XML as far as this writer uses it: balanced tags, quoted attributes, escaped text. */
function checkWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const text = svg.slice(last, m.index);
    assert.not.match(text, /[<>]/, `stray markup before ${m[0]}`);
    assert.not.match(text, /&(?!(amp|lt|gt|quot|#\d+);)/, 'unescaped &');
    last = tag.lastIndex;
    if (m[4]) continue;
    if (m[1]) assert.is(stack.pop(), m[2], `closing ${m[2]}`);
    else stack.push(m[2]!);
  }
  assert.is(svg.slice(last).trim(), '');
  assert.equal(stack, []);
}

const chart = {
  title: 'Plans & <things>', xLabel: 'N', yLabel: 'plans/s', xScale: 'log10' as const, yScale: 'log10' as const,
  series: [
    { name: 'blocks_gtn', points: [[10, 20000], [20, 3000], [50, 600], [100, 150]] as [number, number][] },
    { name: 'GTPyhop "gtn"', points: [[10, 900], [20, 400], [50, 60]] as [number, number][], dashed: true },
  ],
};

test('the chart is well-formed SVG with the svg namespace', () => {
  const svg = lineChartSvg(chart);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  checkWellFormed(svg);
});

test('one marker per point, grouped by series', () => {
  const svg = lineChartSvg(chart);
  const groups = svg.split('<g data-series=').slice(1);
  assert.is(groups.length, 2);
  assert.is(groups[0]!.split('</g>')[0]!.match(/<circle /g)!.length, 4);
  assert.is(groups[1]!.split('</g>')[0]!.match(/<circle /g)!.length, 3);
  assert.is((svg.match(/<polyline /g) ?? []).length, 2);
  assert.match(svg, /stroke-dasharray/);
});

test('text is escaped', () => {
  const svg = lineChartSvg(chart);
  assert.match(svg, /Plans &amp; &lt;things&gt;/);
  assert.match(svg, /GTPyhop &quot;gtn&quot;/);
  assert.is(escapeXml(`a<b>&"'`), 'a&lt;b&gt;&amp;&quot;&#39;');
});

test('points a log axis cannot show are dropped, not drawn at infinity', () => {
  const svg = lineChartSvg({ ...chart, series: [{ name: 's', points: [[0, 5], [10, 0], [10, 5], [20, NaN]] }] });
  assert.is((svg.match(/<circle /g) ?? []).length, 1);
  assert.not.match(svg, /NaN|Infinity/);
  checkWellFormed(svg);
});

test('an empty chart is still valid', () => {
  checkWellFormed(lineChartSvg({ ...chart, series: [] }));
});

test('ticks: powers of two, 1-2-5 decades, nice linear steps', () => {
  assert.equal(ticks('log2', 1, 64), [1, 2, 4, 8, 16, 32, 64]);
  assert.equal(ticks('log10', 10, 100), [10, 20, 50, 100]);
  assert.equal(ticks('log10', 1, 1e6), [1, 10, 100, 1000, 10000, 100000, 1000000]);
  assert.equal(ticks('linear', 0, 10), [0, 2, 4, 6, 8, 10]);
  assert.is(formatTick(1500), '1.5k');
  assert.is(formatTick(2e6), '2M');
  assert.is(formatTick(0.25), '0.25');
});

test('chartsFrom puts each case on its chart and adds GTPyhop as dashed lines', () => {
  const fig = (plansPerS: number) => ({ runs: [], median: { ops: 1, seconds: 1, plansPerS, p50Ms: 1, p99Ms: 1, cpuMsPerPlan: 1, peakRssBytes: 1, engineBytes: 1, planLength: 1 } });
  const results: CaseResult[] = [
    { name: 'wasm/blocks_gtn/blocks-10', layer: 'wasm', chart: { chart: 'n-blocks', series: 'blocks_gtn', x: 10 }, figures: fig(100),
      gtpyhop: { runs: [], median: { plansPerS: 5, p50Ms: 1, p99Ms: 1, cpuMsPerPlan: 1 }, planLength: 1, tracedPeakBytes: 1, maxRssBytes: 1, ratio: 20, cpuRatio: 20 } },
    { name: 'wasm/blocks_gtn/blocks-20', layer: 'wasm', chart: { chart: 'n-blocks', series: 'blocks_gtn', x: 20 }, figures: fig(50) },
    { name: 'grpc/unary/simple_htn/c1', layer: 'grpc', chart: { chart: 'concurrency', series: 'unary', x: 1 }, figures: fig(10) },
    { name: 'broken', layer: 'grpc', chart: { chart: 'concurrency', series: 'unary', x: 2 }, error: 'boom' },
  ];
  const charts = chartsFrom(results);
  assert.equal([...charts.keys()].sort(), ['concurrency', 'n-blocks']);
  const blocks = charts.get('n-blocks')!;
  assert.equal(blocks.series.map((s) => [s.name, s.points.length, !!s.dashed]), [['blocks_gtn', 2, false], ['GTPyhop blocks_gtn', 1, true]]);
  assert.is(charts.get('concurrency')!.series[0]!.points.length, 1);
});

test.run();
