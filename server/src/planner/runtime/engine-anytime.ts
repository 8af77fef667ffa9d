/**
 * Anytime branch-and-bound on a plan's cost (PlanOptions.optimize), the
 * host's side: after the engine's first plan, it sets the bound to that
 * plan's cost and resumes the engine's search from the plan (resumeSearch:
 * backtrack to the newest open choice point, search on). The engine prunes
 * every action that would bring the plan's cost to the bound or past it, so
 * each plan it stops at again is strictly cheaper; the host decodes it as
 * the new best and goes on, until the search space is exhausted (the best
 * is then optimal) or a budget or limit ends the search. The search state
 * (choice points, trail, arena) stays in the engine between the resumes.
 */
import type { AnytimeReport, Improvement, LimitKind, PlanOptions, PlanResult } from '../types.js';
import type { EngineExports } from './wasm-module.js';
import type { Layout } from './engine-layout.js';
import { ST, LIMIT_OF, isSpaceStatus } from './engine-status.js';
import { readStats, type CallStats } from './engine-result.js';

/** What the loop needs of the call: the engine, its layout, and how to read figures and results. */
export interface AnytimeCall {
  ex: EngineExports;
  l: Layout;
  f64(): Float64Array;
  /** The result of final status st with the figures read after it (toResult with the call's views and symbols). */
  result(st: number, s: CallStats): PlanResult;
  /** performance.now() when the call started, and its own deadline (0: none). */
  start: number;
  deadline: number;
  maxExpansions: number;
}

/** Whether a call plans with costs on: the domain declares a cost, or the call optimises. */
export function costsOn(options: PlanOptions, domainHasCosts: boolean): boolean {
  return domainHasCosts || options.optimize !== undefined;
}

/**
 * Goes on from first (the engine's first plan, its search state still in the
 * engine) to cheaper plans within the budget; returns the best plan with its
 * `anytime` report, or an error the search for better plans ran into.
 */
export function improve(call: AnytimeCall, first: PlanResult & { status: 'plan' }, options: PlanOptions): PlanResult {
  const opt = options.optimize!;
  const ex = call.ex;
  const improvements: Improvement[] = [{ cost: first.cost ?? first.plan.length, expansions: first.stats.expansions, ms: performance.now() - call.start }];
  let best = first;
  const budgetEnd = opt.budgetMs !== undefined && opt.budgetMs >= 0 ? call.start + opt.budgetMs : 0;
  const deadline = budgetEnd > 0 && (call.deadline === 0 || budgetEnd < call.deadline) ? budgetEnd : call.deadline;
  const budgetExp = opt.budgetExpansions !== undefined && opt.budgetExpansions >= 0 ? opt.budgetExpansions : Infinity;
  const maxExp = Math.min(call.maxExpansions, budgetExp);
  ex.setDeadline(deadline);
  let report: AnytimeReport;
  for (;;) {
    if (deadline > 0 && performance.now() > deadline) { report = { improvements, optimal: false, stoppedBy: deadline === budgetEnd ? 'budget' : 'deadline' }; break; }
    ex.setBound(best.cost ?? best.plan.length, maxExp);
    const st = ex.resumeSearch();
    ex.statsTo(call.l.stats);
    const s = readStats(call.f64(), call.l);
    if (st === ST.PLAN) {
      const r = call.result(st, s) as PlanResult & { status: 'plan' };
      improvements.push({ cost: r.cost ?? r.plan.length, expansions: s.stats.expansions, ms: performance.now() - call.start });
      best = r;
      continue;
    }
    best = { ...best, stats: s.stats };
    if (st === ST.NO_PLAN) { report = { improvements, optimal: true }; break; }
    const limit: LimitKind | undefined = LIMIT_OF[st];
    if (limit !== undefined) {
      const byBudget = (limit === 'deadline' && deadline === budgetEnd && budgetEnd > 0) || (limit === 'expansions' && budgetExp < call.maxExpansions);
      report = { improvements, optimal: false, stoppedBy: byBudget ? 'budget' : limit };
      break;
    }
    // A full region: the best plan stands, not proven optimal (the search would need a larger layout).
    if (isSpaceStatus(st)) { report = { improvements, optimal: false, stoppedBy: 'memory' }; break; }
    return call.result(st, s);
  }
  return { ...best, anytime: report };
}
