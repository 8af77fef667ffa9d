/**
 * The charts of `--out DIR`: throughput against N (blocks, logistics,
 * recursion), against client concurrency (gRPC), against pool threads and
 * against server processes. One SVG per chart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult } from './results.js';
import { COLORS, lineChartSvg, type LineChart, type Series } from './svg-chart.js';

type ChartLayout = Omit<LineChart, 'series'>;

/** How each chart id is drawn. */
export const CHART_LAYOUTS: Record<string, ChartLayout> = {
  'n-blocks': { title: 'Random blocks world, in-process: plans/s vs blocks', xLabel: 'blocks (N)', yLabel: 'plans per second', xScale: 'log10', yScale: 'log10' },
  'n-logistics': { title: 'Random logistics, in-process: plans/s vs packages', xLabel: 'packages', yLabel: 'plans per second', xScale: 'log10', yScale: 'log10' },
  'n-recursion': { title: 'Deep recursion (probe_misc count N): plans/s', xLabel: 'N (plan length; depth about 2N)', yLabel: 'plans per second', xScale: 'log10', yScale: 'log10' },
  concurrency: { title: 'gRPC over loopback: throughput vs calls in flight', xLabel: 'calls in flight (client concurrency)', yLabel: 'calls per second', xScale: 'log2', yScale: 'log10' },
  pool: { title: 'Worker pool (in-process): throughput vs threads', xLabel: 'planner threads (P)', yLabel: 'plans per second', xScale: 'log2', yScale: 'log10' },
  multi: { title: 'Several server processes driven together', xLabel: 'server processes', yLabel: 'plans per second', xScale: 'log2', yScale: 'log10' },
  queue: { title: 'Job queue: jobs per second vs worker processes', xLabel: 'aria worker processes', yLabel: 'plans per second', xScale: 'log2', yScale: 'log10' },
};

/** The charts a set of results makes, by chart id. GTPyhop's figures join the charts of their cases as dashed lines. */
export function chartsFrom(results: readonly CaseResult[]): Map<string, LineChart> {
  const series = new Map<string, Map<string, Series>>();
  const add = (chart: string, name: string, x: number, y: number, dashed = false) => {
    const byName = series.get(chart) ?? new Map<string, Series>();
    series.set(chart, byName);
    const s = byName.get(name) ?? { name, points: [], dashed };
    byName.set(name, s);
    s.points.push([x, y]);
  };
  for (const r of results) {
    if (!r.chart || !r.figures) continue;
    add(r.chart.chart, r.chart.series, r.chart.x, r.figures.median.plansPerS);
    if (r.gtpyhop && !('error' in r.gtpyhop)) add(r.chart.chart, `GTPyhop ${r.chart.series}`, r.chart.x, r.gtpyhop.median.plansPerS, true);
  }
  const charts = new Map<string, LineChart>();
  for (const [id, byName] of series) {
    const layout = CHART_LAYOUTS[id] ?? { title: id, xLabel: 'x', yLabel: 'plans per second' };
    // A GTPyhop line takes the colour of the Aria line it compares with.
    const own = [...byName.values()].filter((s) => !s.dashed);
    own.forEach((s, i) => { s.color = COLORS[i % COLORS.length]; });
    for (const s of byName.values()) if (s.dashed) s.color = byName.get(s.name.replace(/^GTPyhop /, ''))?.color;
    charts.set(id, { ...layout, series: [...byName.values()] });
  }
  return charts;
}

/** Writes one SVG per chart into dir; returns the files written. */
export function writeCharts(dir: string, results: readonly CaseResult[]): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [id, chart] of chartsFrom(results)) {
    const file = join(dir, `${id}.svg`);
    writeFileSync(file, lineChartSvg(chart));
    files.push(file);
  }
  return files;
}
