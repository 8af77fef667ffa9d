/**
 * An SOP compiled to a planning domain in Aria's language, and planned on.
 *
 * The domain's state variables are `s` (the run's state: key → value;
 * lists and maps are written as `true`, since conditions only test
 * presence or compare scalars), `done` (commands completed in this run)
 * and `banned` (commands that failed: a repair plans without them). One
 * action `c(n)` runs command n: it requires n not banned and records what
 * n will set (a `set` command's values, `true` under an `into` key; the
 * constant map `eff`); the task `t(n)` does nothing once n is done: so a
 * command runs at most once per run, and a replan after a failure keeps
 * every completed step. Each SOP task becomes `k_<name>` with one method
 * per SOP method, its `when` as a `require`.
 *
 * Planning runs on the calling thread: an SOP has at most a few hundred
 * commands and the search is bounded (PLAN_EXPANSIONS), far below what
 * would need the worker pool.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { loadDomain, type DomainHandle, type JsonState, type JsonValue } from '../../planner/index.js';
import type { Command, Condition, Sop, SopValue } from './sop-types.js';

/** Search steps one SOP plan may take. */
export const PLAN_EXPANSIONS = 200_000;

/** A compiled SOP. */
export interface CompiledSop {
  readonly sop: Sop;
  readonly domain: DomainHandle;
  readonly text: string;
}

/** What a plan of an SOP came to: the command names in order, or why there is none. */
export type SopPlan = { ok: true; commands: string[] } | { ok: false; message: string };

/** Compiles a validated SOP. */
export function compileSop(sop: Sop): CompiledSop {
  const text = sopDomainText(sop);
  return { sop, text, domain: loadDomain(text, { file: `sop:${sop.name}` }) };
}

/** The domain text of an SOP (see the module comment). */
export function sopDomainText(sop: Sop): string {
  const out = [`domain sop_${sop.name.replace(/-/g, '_')}`, '', 'var s, done, banned', ''];
  // One action and one task for every command, reading a constant map of effects: the text (and the
  // time to load it) grows with the SOP's size, not with the commands times a fixed body.
  const eff = sop.commands.map((c) => `'${c.name}': {${effects(c).map(([k, v]) => `'${k}': ${literal(v)}`).join(', ')}}`);
  out.push(`const eff = {${eff.join(', ')}}`, '');
  out.push('action c(n) {', '  require not (n in banned)', '  done[n] = true', '  for k, v in eff[n] { s[k] = v }', '}');
  out.push('task t {', '  method t_skip(n) { require n in done; return [] }', '  method t_run(n) { return [c(n)] }', '}', '');
  let n = 0;
  for (const t of sop.tasks) {
    out.push(`task k_${t.name} {`);
    for (const m of t.methods) {
      const body = [...(m.when ? [`require ${condition(m.when)}`] : []), `return [${m.subtasks.map((x) => item(sop, x)).join(', ')}]`];
      out.push(`  method m${n++}_${m.name}() { ${body.join('; ')} }`);
    }
    out.push('}', '');
  }
  return out.join('\n');
}

/** The todo item of a subtask or goal name, as text. */
function item(sop: Sop, x: string): string {
  return sop.tasks.some((t) => t.name === x) ? `k_${x}()` : `t('${x}')`;
}

/** The todo item of a goal, as JSON. */
function goalItem(sop: Sop, x: string): JsonValue[] {
  return sop.tasks.some((t) => t.name === x) ? [`k_${x}`] : ['t', x];
}

/** What a command's action records in `s`, so methods planned after it can test it. */
function effects(c: Command): Array<[string, string | number | boolean]> {
  if (c.kind === 'set') return Object.entries(c.values).filter(([, v]) => v !== null).map(([k, v]) => [k, planValue(v)]);
  if ('into' in c && c.into) return [[c.into, true]];
  return [];
}

function condition(c: Condition): string {
  if ('all' in c) return `(${c.all.map(condition).join(' and ')})`;
  if ('any' in c) return `(${c.any.map(condition).join(' or ')})`;
  if ('not' in c) return `not ${condition(c.not)}`;
  if ('exists' in c) return c.exists ? `('${c.key}' in s)` : `not ('${c.key}' in s)`;
  return `(s['${c.key}'] == ${literal(c.equals as string | number | boolean | null)})`;
}

/** A scalar as a literal of the language (strings as quoted symbols). */
function literal(v: string | number | boolean | null): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`;
  return String(v);
}

/** A state value as the planner sees it: scalars as they are, lists and maps as `true`. */
function planValue(v: SopValue): string | number | boolean {
  return v !== null && typeof v === 'object' ? true : (v as string | number | boolean);
}

/** The planning state of a run: its state (nulls left out), the done and banned commands. */
export function planState(state: Record<string, SopValue>, done: readonly string[], banned: readonly string[]): JsonState {
  const s: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(state)) if (v !== null) s[k] = planValue(v);
  const flags = (names: readonly string[]) => Object.fromEntries(names.map((x) => [x, true]));
  return { s, done: flags(done), banned: flags(banned) };
}

/** Plans the SOP's goals from a run's state; the command names in order, or why there is no plan. */
export function planSop(c: CompiledSop, state: Record<string, SopValue>, done: readonly string[], banned: readonly string[]): SopPlan {
  const todo = c.sop.goals.map((g) => goalItem(c.sop, g));
  const r = c.domain.plan({ state: planState(state, done, banned), todo }, { maxExpansions: PLAN_EXPANSIONS, verifyGoals: false });
  if (r.status === 'plan') return { ok: true, commands: r.plan.map((a) => String(a[1])) };
  if (r.status === 'no_plan') return { ok: false, message: banned.length ? `no plan without the failed commands (${banned.join(', ')})` : 'no plan: no method of the goals applies in this state' };
  if (r.status === 'limit') return { ok: false, message: `planning stopped: ${r.message}` };
  throw new InvalidArgumentError('sop', `the compiled SOP failed while planning: ${r.message}`);
}
