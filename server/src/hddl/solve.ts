/**
 * Planning on HDDL input: parse, map onto the domain model, load it into
 * the engine, plan, and rebuild the decomposition from the plan.
 */
import { loadDomain } from '../planner/index.js';
import type { LimitKind, PlanOptions, PlanStats } from '../planner/index.js';
import { decompose, type HddlPlan } from './decompose.js';
import type { HddlDomain, HddlProblem } from './hddl-ast.js';
import { mapHddl, type MapOptions } from './map-hddl.js';
import { parseHddlDomain } from './parse-hddl-domain.js';
import { parseHddlProblem } from './parse-hddl-problem.js';

/** The engine's working memory for HDDL calls with a deadline, unless given (the engine's default is 256 MiB). */
export const HDDL_MEMORY_BYTES = 1024 * 1024 * 1024;

/** Options of one HDDL planning call. */
export interface HddlOptions extends PlanOptions, MapOptions {}

/** What one HDDL planning call produced, with where the time went. */
export interface HddlResult {
  status: 'plan' | 'no_plan' | 'error' | 'limit';
  plan?: HddlPlan;
  limit?: LimitKind;
  message?: string;
  /** Warnings about the run (partial-order methods whose orders were not all tried, ...). */
  warnings?: string[];
  stats?: PlanStats;
  /** Milliseconds: parsing, mapping, loading (validate and compile), planning (the search) and rebuilding the decomposition. */
  times: { parse: number; map: number; load: number; plan: number; decompose: number };
}

/**
 * Plans a parsed domain and problem. Throws DomainError for input that does
 * not check or map. `opts.timeoutMs` bounds the whole call, `parseMs` (time
 * already spent parsing) included: the search gets what is left, and when
 * nothing is left after mapping or loading the result is a `deadline`
 * limit. A phase itself is not interrupted (see docs/hddl.md).
 */
export function planHddl(d: HddlDomain, p: HddlProblem, opts: HddlOptions = {}, parseMs = 0): HddlResult {
  const t0 = performance.now();
  const budget = opts.timeoutMs;
  const left = (): number => (budget === undefined ? Infinity : budget - parseMs - (performance.now() - t0));
  const times = { parse: parseMs, map: 0, load: 0, plan: 0, decompose: 0 };
  const outOfTime = (phase: string, warn: { warnings?: string[] }): HddlResult => ({
    status: 'limit', limit: 'deadline', message: `the time limit (${budget} ms) ran out ${phase}`, times, ...warn,
  });
  if (left() <= 0) return outOfTime('while parsing', {});
  const mapped = mapHddl(d, p, opts);
  const t1 = performance.now();
  times.map = t1 - t0;
  const warn = mapped.notes.length > 0 ? { warnings: mapped.notes } : {};
  if (left() <= 0) return outOfTime('while mapping', warn);
  const handle = loadDomain(mapped.domain, { file: p.file });
  const t2 = performance.now();
  times.load = t2 - t1;
  if (left() <= 0) return outOfTime('while compiling', warn);
  // With a deadline, the deadline is the limit: markers and bookkeeping actions count as
  // expansions and depth too, and long plans (Towers p18: 262,143 moves) go deep.
  const limits = budget === undefined ? opts : {
    ...opts,
    timeoutMs: Math.max(1, left()),
    maxExpansions: opts.maxExpansions ?? 1e15,
    maxPlanLength: opts.maxPlanLength ?? 1e8,
    maxDepth: opts.maxDepth ?? 1e9,
    maxMemoryBytes: opts.maxMemoryBytes ?? HDDL_MEMORY_BYTES,
  };
  const r = handle.plan(mapped.problem, limits);
  const t3 = performance.now();
  times.plan = t3 - t2;
  if (r.status === 'plan') {
    try {
      const plan = decompose(mapped.linearised, mapped.markers, r.plan);
      times.decompose = performance.now() - t3;
      return { status: 'plan', plan, stats: r.stats, times, ...warn };
    } catch (e) {
      return { status: 'error', message: `cannot rebuild the decomposition: ${(e as Error).message}`, stats: r.stats, times, ...warn };
    }
  }
  if (r.status === 'no_plan') {
    // Linearisations never interleave sibling subtasks, so with partial order an exhausted search proves nothing.
    if (mapped.linearised !== d || p.htn.ordering) {
      return { status: 'no_plan', message: 'no plan among the subtask orders tried; the partial-order search does not interleave subtasks, so the problem may still have one', stats: r.stats, times, ...warn };
    }
    return { status: 'no_plan', stats: r.stats, times, ...warn };
  }
  if (r.status === 'limit') return { status: 'limit', limit: r.limit, message: r.message, stats: r.stats, times, ...warn };
  return { status: 'error', message: r.message, stats: r.stats, times, ...warn };
}

/** Parses and plans an HDDL domain and problem given as text. */
export function solveHddl(domainText: string, problemText: string, opts: HddlOptions & { domainFile?: string; problemFile?: string } = {}): HddlResult {
  const t0 = performance.now();
  const d = parseHddlDomain(domainText, opts.domainFile);
  const p = parseHddlProblem(problemText, opts.problemFile);
  return planHddl(d, p, opts, performance.now() - t0);
}
