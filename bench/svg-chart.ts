/**
 * A line chart written as SVG text by hand: axes with linear or log
 * scales, grid, one polyline and one marker per point for each series, and
 * a legend. No chart library: the output is small, stable and diffable.
 */

/** How an axis maps values. Log scales drop points that are not positive. */
export type Scale = 'linear' | 'log2' | 'log10';

/** One line of the chart. */
export interface Series {
  name: string;
  /** [x, y] pairs; drawn in increasing x. */
  points: [number, number][];
  dashed?: boolean;
  /** A CSS colour; default: the next of the palette. Lets a dashed comparison line share its series' colour. */
  color?: string;
}

/** A chart to draw. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  xScale?: Scale;
  yScale?: Scale;
  series: Series[];
  /** Width without the legend, in px (default 550). */
  width?: number;
  height?: number;
}

/** The palette series take in turn. */
export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const MARGIN = { left: 78, top: 44, bottom: 56 };

/** Escapes text for SVG content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A short label for a number: 1.5k, 20M, 0.25. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (a >= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

const fwd = (s: Scale, v: number) => (s === 'log10' ? Math.log10(v) : s === 'log2' ? Math.log2(v) : v);

/** Tick values covering [lo, hi] (data units). */
export function ticks(scale: Scale, lo: number, hi: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo || (scale !== 'linear' && lo <= 0)) return [];
  if (scale === 'log2') {
    const out: number[] = [];
    for (let k = Math.floor(Math.log2(lo)); k <= Math.ceil(Math.log2(hi)); k++) out.push(2 ** k);
    return out;
  }
  if (scale === 'log10') {
    const k0 = Math.floor(Math.log10(lo)), k1 = Math.ceil(Math.log10(hi));
    // Few decades: 1-2-5 steps read better than bare powers of ten.
    const mults = k1 - k0 <= 2 ? [1, 2, 5] : [1];
    const out: number[] = [];
    for (let k = k0; k <= k1; k++) for (const m of mults) out.push(m * 10 ** k);
    return out.filter((v) => v >= lo * 0.999 && v <= hi * 1.001);
  }
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The axis range in data units: ticks at both ends for log scales, zero-based for linear. */
function domain(scale: Scale, values: number[]): [number, number] {
  let lo = Math.min(...values), hi = Math.max(...values);
  if (scale === 'linear') {
    lo = Math.min(0, lo);
    if (hi === lo) hi = lo + 1;
    const t = ticks(scale, lo, hi);
    return [lo, Math.max(hi, t[t.length - 1]!)];
  }
  if (scale === 'log2') {
    lo = 2 ** Math.floor(Math.log2(lo));
    hi = 2 ** Math.ceil(Math.log2(hi));
    return [lo, hi === lo ? lo * 2 : hi];
  }
  const klo = Math.floor(Math.log10(lo)), khi = Math.floor(Math.log10(hi));
  // Wide data: whole decades, as the ticks are. Narrow data: the nearest 1-2-5 steps, so that it fills the plot.
  if (Math.ceil(Math.log10(hi)) - klo > 2) return [10 ** klo, 10 ** Math.ceil(Math.log10(hi))];
  const steps = (k: number) => [1, 2, 5].map((m) => m * 10 ** k);
  const below = [...steps(klo - 1), ...steps(klo)].filter((v) => v <= lo * 1.0001);
  const above = [...steps(khi), ...steps(khi + 1)].filter((v) => v >= hi * 0.9999);
  lo = below[below.length - 1]!;
  hi = above[0]!;
  return [lo, hi === lo ? hi * 2 : hi];
}

/** The chart as a complete SVG document. */
export function lineChartSvg(c: LineChart): string {
  // The legend's width follows its longest name (about 7 px a character at 12 px), so that no name is cut.
  const legendW = 50 + 7 * Math.max(8, ...c.series.map((s) => s.name.length));
  const W = (c.width ?? 550) + legendW, H = c.height ?? 440;
  const xs = c.xScale ?? 'linear', ys = c.yScale ?? 'linear';
  const ok = (s: Scale, v: number) => Number.isFinite(v) && (s === 'linear' || v > 0);
  const series = c.series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => ok(xs, x) && ok(ys, y)).sort((a, b) => a[0] - b[0]) }));
  const all = series.flatMap((s) => s.points);
  // An empty chart still gets axes: [1, 10] is valid on every scale.
  const [x0, x1] = all.length ? domain(xs, all.map((p) => p[0])) : [1, 10];
  const [y0, y1] = all.length ? domain(ys, all.map((p) => p[1])) : [1, 10];
  const pw = W - MARGIN.left - legendW, ph = H - MARGIN.top - MARGIN.bottom;
  const px = (v: number) => MARGIN.left + ((fwd(xs, v) - fwd(xs, x0)) / (fwd(xs, x1) - fwd(xs, x0))) * pw;
  const py = (v: number) => MARGIN.top + ph - ((fwd(ys, v) - fwd(ys, y0)) / (fwd(ys, y1) - fwd(ys, y0))) * ph;
  const f = (v: number) => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left + pw / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(c.title)}</text>`);
  for (const t of ticks(xs, x0, x1)) {
    out.push(`<line x1="${f(px(t))}" y1="${MARGIN.top}" x2="${f(px(t))}" y2="${MARGIN.top + ph}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f(px(t))}" y="${MARGIN.top + ph + 16}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  for (const t of ticks(ys, y0, y1)) {
    out.push(`<line x1="${MARGIN.left}" y1="${f(py(t))}" x2="${MARGIN.left + pw}" y2="${f(py(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${formatTick(t)}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${MARGIN.left + pw / 2}" y="${H - 14}" text-anchor="middle">${escapeXml(c.xLabel)}</text>`);
  out.push(`<text x="18" y="${MARGIN.top + ph / 2}" text-anchor="middle" transform="rotate(-90 18 ${MARGIN.top + ph / 2})">${escapeXml(c.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = s.color ?? COLORS[i % COLORS.length]!;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<g data-series="${escapeXml(s.name)}">`);
    if (s.points.length > 1) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${s.points.map(([x, y]) => `${f(px(x))},${f(py(y))}`).join(' ')}"/>`);
    }
    for (const [x, y] of s.points) {
      out.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${formatTick(x)}, ${formatTick(y)}`)}</title></circle>`);
    }
    out.push('</g>');
    const ly = MARGIN.top + 10 + i * 20, lx = MARGIN.left + pw + 14;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
