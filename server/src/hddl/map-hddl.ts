/**
 * Maps an HDDL domain and problem onto one Aria domain and problem, so that
 * the WASM engine plans them with GTPyhop's semantics: depth-first, methods
 * in file order, every binding of a method's parameters tried on
 * backtracking. Objects are problem-specific, so each problem gets its own
 * domain.
 *
 * The problem's todo list is `__init` (an action that loads the initial
 * state), `__top` (a task whose one method is the initial task network)
 * and, when the problem has a goal, `__goal` (an action that requires it).
 * Actions whose names start with `__` are bookkeeping and are left out of
 * printed plans; see docs/hddl.md.
 */
import type { ActionDecl, ConstDecl, Domain, MethodDecl, TaskDecl, Problem } from '../planner/index.js';
import { Analysis } from './analysis.js';
import { checkHddlDomain, checkHddlProblem } from './check-hddl.js';
import type { HddlDomain, HddlProblem, MethodDef, Subtask } from './hddl-ast.js';
import { InitStats } from './init-stats.js';
import { mapAction } from './map-action.js';
import {
  type LoopCheck, MapContext, assign, bool, idx, keyOf, list, nameE, not, req, sym,
} from './map-context.js';
import { formulaExpr } from './map-formula.js';
import { finalVar, goalChecks } from './goal-checks.js';
import { initAction, initState } from './map-init.js';
import { mapMethod, markerName, needsMarker } from './map-method.js';
import { DEFAULT_MAX_ORDERS, lineariseDomain, lineariseMethod } from './linearise.js';
import type { TypeTable } from './type-table.js';

/** Names of the early goal checks' actions (`__check_<tasks done>`), left out of plans. */
export const CHECK_PREFIX = '__check_';

/** Options of the mapping. */
export interface MapOptions {
  /** How recursion is kept finite: `terms` (default), `state` or `none` (see docs/hddl.md). */
  loopCheck?: LoopCheck;
  /** How many total orders of a partially ordered method are tried (default 24; linearise.ts). */
  maxOrders?: number;
}

/** The Aria domain and problem of one HDDL problem, with what decoding a plan needs. */
export interface MappedHddl {
  domain: Domain;
  problem: Problem;
  hddl: { domain: HddlDomain; problem: HddlProblem; types: TypeTable };
  /** The domain the engine plans: partially ordered methods replaced by their linearisations (what decoding reads). */
  linearised: HddlDomain;
  /** Warnings for the user: methods whose subtask orders were not all tried. */
  notes: string[];
  /** Marker action name to the HDDL method it stands for (`__top` for the initial task network). */
  markers: Map<string, MethodDef>;
}

/** The initial task network as a method of the task `__top`. */
export function topMethod(p: HddlProblem): MethodDef {
  return { name: '__top', params: p.htn.params, task: '__top', taskArgs: [], pre: p.htn.constraints, subtasks: p.htn.subtasks, ordering: p.htn.ordering, pos: p.htn.pos };
}

/** Maps a checked domain and problem; throws DomainError for problems found while checking. */
export function mapHddl(hd: HddlDomain, p: HddlProblem, opts: MapOptions = {}): MappedHddl {
  checkHddlDomain(hd);
  const types = checkHddlProblem(hd, p);
  const maxOrders = opts.maxOrders ?? DEFAULT_MAX_ORDERS;
  // From here on, partially ordered methods are their linearisations.
  const { domain: d, notes } = lineariseDomain(hd, maxOrders);
  const tops = lineariseMethod(topMethod(p), maxOrders);
  if (tops.note) notes.unshift(tops.note);
  if (p.domain !== hd.name) notes.unshift(`the problem names domain '${p.domain}', the domain file defines '${hd.name}' (ignored)`);
  const top = tops.methods[0];
  const an = new Analysis(d, types, p.htn.subtasks.map((s) => s.task));
  const stats = new InitStats(d, p, types);
  const ctx = new MapContext(d, p, types, an, opts.loopCheck ?? 'terms');
  const markers = new Map<string, MethodDef>();

  const tasks: TaskDecl[] = [];
  const continuations: TaskDecl[] = [];
  for (const t of d.tasks.values()) {
    const ms = an.methodsOf.get(t.name)!;
    const methods: MethodDecl[] = ms.map((m) => {
      markers.set(markerName(m.name), m);
      const mm = mapMethod(ctx, stats, m, t.params.map((x) => x.type));
      continuations.push(...mm.continuations);
      return mm.method;
    });
    // A task without methods must fail (backtrack), not be an unknown item.
    if (methods.length === 0) methods.push({ name: `__none_${t.name}`, params: t.params.map((_, i) => `a${i}`), body: [{ fail: true }] });
    tasks.push({ name: t.name, methods });
  }
  for (const t of tops.methods) markers.set(markerName(t.name), t);
  // Goal literals that no later task of the network can make true are checked early and
  // then kept (goal-checks.ts).
  const checkActions: ActionDecl[] = [];
  const checkAfter = new Map<number, string>();
  // The early checks follow the network's one order, so a partially ordered network has none.
  for (const [i, lits] of p.htn.ordering ? [] : goalChecks(d, p)) {
    const name = `${CHECK_PREFIX}${i + 1}`;
    checkAfter.set(i, name);
    const body = lits.map((l) => req(l.neg ? not(ctx.atom(l.pred, l.args.map(sym))) : ctx.atom(l.pred, l.args.map(sym))));
    for (const l of lits) {
      const v = finalVar(l.pred, !l.neg);
      (l.neg ? ctx.finalPreds.neg : ctx.finalPreds.pos).add(l.pred);
      ctx.vars.add(v);
      body.push(assign(idx(nameE(v), keyOf(l.args.map(sym))), bool(true)));
    }
    checkActions.push({ name, params: [], body });
  }
  const topsMapped = tops.methods.map((t) => mapMethod(ctx, stats, t, [], checkAfter));
  tasks.push({ name: '__top', methods: topsMapped.map((t) => t.method) }, ...continuations, ...topsMapped.flatMap((t) => t.continuations));

  // Action parameters need a type test only where some caller may pass a wider type.
  const check = new Map([...d.actions.values()].map((a) => [a.name, a.params.map(() => false)]));
  const callers: [Subtask[], MethodDef][] = [...d.methods.map((m) => [m.subtasks, m] as [Subtask[], MethodDef]), [top.subtasks, top]];
  for (const [subs, m] of callers) {
    for (const s of subs) {
      const a = d.actions.get(s.task);
      if (a) a.params.forEach((prm, i) => { if (!types.isSub(an.termType(m, s.args[i]), prm.type)) check.get(a.name)![i] = true; });
    }
  }
  const actions: ActionDecl[] = [...d.actions.values()].map((a) => mapAction(ctx, a, check.get(a.name)!));
  for (const [name, m] of markers) if (needsMarker(d, m)) actions.push({ name, params: m.params.map((_, i) => `a${i}`), body: [] });
  const visited = idx(nameE('__visited'), nameE('k'));
  actions.push(
    { name: '__visit', params: ['k'], body: [assign(visited, bool(true))] },
    { name: '__unvisit', params: ['k'], body: [assign(visited, bool(false))] },
  );
  if (p.goal) actions.push({ name: '__goal', params: [], body: [req(formulaExpr(ctx, p.goal, new Map()))] }, ...checkActions);
  actions.push(initAction(ctx, stats));
  ctx.vars.add('__visited');
  if (ctx.stateHashed) for (const v of ['__h1', '__h2', 'z1__', 'z2__']) ctx.vars.add(v);

  const consts: ConstDecl[] = [...ctx.consts, { name: '__empty', value: list([]) }];
  for (const t of new Set([...ctx.listedTypes, ...ctx.testedTypes])) {
    consts.push({ name: `o__${t}`, value: list(types.objectsOf(t).map(sym)) });
  }
  const domain: Domain = {
    name: `${d.name}-${p.name}`,
    vars: [...ctx.vars].map((name) => ({ name })),
    consts,
    functions: ctx.functions,
    actions,
    commands: [],
    tasks,
    unigoals: [],
    multigoals: [],
  };
  const todo = [['__init'], ['__top'], ...(p.goal ? [['__goal']] : [])];
  return { domain, problem: { state: initState(ctx, stats), todo, verify_goals: false }, hddl: { domain: hd, problem: p, types }, linearised: d, notes, markers };
}
