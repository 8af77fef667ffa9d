/**
 * A template compiled to a planning domain in Aria's language: the task
 * `character(c)` sets every slot in turn (`pick_<k>`), each with `choose`
 * over the values the problem's state lists for it (`o_<k>[c]`, in the
 * seed's weighted-random order), and each constraint is checked in the
 * method of the last slot it reads, so a conflict is pruned as soon as it
 * can be seen and backtracking tries the next value. Counting constraints
 * are also checked partly on the way (a count already over its bound).
 *
 * The domain does not depend on the seed or the preset (they live in the
 * state), so one compiled domain serves every request for a template.
 */
import { loadDomain, type DomainHandle } from '../../planner/index.js';
import type { Cond, Constraint, SlotValue, Template } from './template-types.js';
import { condSlots, constraintSlots } from './validate-constraints.js';
import { describeConstraint } from './consistency.js';

/** A template with its compiled domain. */
export interface CompiledTemplate {
  readonly template: Template;
  readonly domain: DomainHandle;
  /** The domain's text (for people: `aria shape compile` prints it). */
  readonly text: string;
}

/** How many compiled templates are kept (built-ins and recent inline ones). */
const CACHE_SIZE = 64;
const cache = new Map<string, CompiledTemplate>();

/** The compiled domain of a validated template, from the cache when the same template was compiled before. */
export function compileTemplate(template: Template): CompiledTemplate {
  const hit = cache.get(template.key);
  if (hit) {
    // Most recently used last, so the oldest is evicted first.
    cache.delete(template.key);
    cache.set(template.key, hit);
    return { ...hit, template };
  }
  const text = templateDomainText(template);
  const compiled = { template, domain: loadDomain(text, { file: `shape:${template.name}` }), text };
  cache.set(template.key, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return compiled;
}

/** The domain text of a template (see the module comment for its shape). */
export function templateDomainText(t: Template): string {
  const n = t.slots.length;
  const checks: string[][] = t.slots.map(() => []);
  for (const c of t.constraints) for (const [slot, expr] of constraintChecks(c)) checks[slot].push(`    require ${expr}  # ${c.path}: ${describeConstraint(c)}`);
  const out = [`domain shape_${t.name.replace(/-/g, '_')}`, ''];
  out.push(`var ${t.slots.flatMap((_, k) => [`o_${k}`, `s_${k}`]).join(', ')}`, '');
  out.push('# 1 when x holds, else 0: counting constraints add these up.', 'fn b(x) { if x { return 1 }; return 0 }', '');
  t.slots.forEach((s, k) => {
    const a = t.attributes[s.attr];
    out.push(`# slot ${k}: ${a.name}${s.member === undefined ? '' : ` has ${String(a.values[s.member])}`}`);
    out.push(`action set_${k}(c, v) { s_${k}[c] = v }`);
    out.push(`task pick_${k} {`, '  method m(c) {', `    choose v in o_${k}[c]`, ...checks[k], `    return [set_${k}(c, v)]`, '  }', '}');
  });
  out.push('', 'task character {', `  method m(c) { return [${Array.from({ length: n }, (_, k) => `pick_${k}(c)`).join(', ')}] }`, '}', '');
  return out.join('\n');
}

/** Where and what to check for a constraint: its full check at its last slot, partial count checks before. */
function constraintChecks(c: Constraint): [number, string][] {
  const last = Math.max(...constraintSlots(c));
  const out: [number, string][] = [[last, guarded(c, last, fullCheck(c, last))]];
  if (c.kind !== 'at_most' && c.kind !== 'at_least') return out;
  const whenDone = c.when ? Math.max(...condSlots(c.when)) : -1;
  // A cond is decided at its own last slot; from then on the count can be checked partly.
  const decided = [...new Set(c.conds.map((x) => Math.max(...condSlots(x))))].filter((s) => s < last && s >= whenDone).sort((a, b) => a - b);
  for (const s of decided) {
    const done = c.conds.filter((x) => Math.max(...condSlots(x)) <= s);
    const sum = done.map((x) => `b(${cond(x, s)})`).join(' + ');
    const open = c.conds.length - done.length;
    out.push([s, guarded(c, s, c.kind === 'at_most' ? `${sum} <= ${c.count}` : `${sum} + ${open} >= ${c.count}`)]);
  }
  return out;
}

function fullCheck(c: Constraint, cur: number): string {
  const parts = c.conds.map((x) => cond(x, cur));
  if (c.kind === 'requires') return parts[0];
  if (c.kind === 'excludes') return `not (${parts.map((p) => `(${p})`).join(' and ')})`;
  const sum = parts.map((p) => `b(${p})`).join(' + ');
  return c.kind === 'at_most' ? `${sum} <= ${c.count}` : `${sum} >= ${c.count}`;
}

function guarded(c: Constraint, cur: number, expr: string): string {
  return c.when ? `(not (${cond(c.when, cur)}) or (${expr}))` : expr;
}

/** A condition as an expression; the slot being chosen is the local `v`. */
function cond(x: Cond, cur: number): string {
  const ref = (slot: number) => (slot === cur ? 'v' : `s_${slot}[c]`);
  const me = ref(x.slot);
  if (x.op === 'in' || x.op === 'not_in') {
    const any = `(${x.set!.map((v) => `${me} == ${lit(v)}`).join(' or ')})`;
    return x.op === 'in' ? any : `not ${any}`;
  }
  return `${me} ${x.op} ${x.other === undefined ? lit(x.rhs!) : ref(x.other)}`;
}

/** A value as a literal; value names are checked to need no escaping (json-checks.ts VALUE_RE). */
function lit(v: SlotValue): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}
