/**
 * A template compiled to a planning domain in Aria's language: the task
 * `character(c)` sets every slot in turn, in blocks of up to 16 (the most
 * `choose` statements one method may have): block b's method chooses each
 * of its slots from the values the problem's state lists for it
 * (`o_<k>[c]`, in the seed's weighted-random order), and one action
 * `set_<b>` records them (`s_<k>[c]`). Each constraint is checked right
 * after the choose of the last slot it reads, so a conflict is pruned as
 * soon as it can be seen, and the engine's backtracking tries the next
 * value (the last choose reached first, then earlier ones, then earlier
 * blocks). Counting constraints are also checked partly on the way, and
 * forward checks (forwardChecks) look one constraint ahead.
 *
 * Blocks rather than one task per slot: a method with many choose points
 * costs one expansion, where a task per slot costs three per slot.
 *
 * The domain does not depend on the seed or the preset (they live in the
 * state), so one compiled domain serves every request for a template.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { loadDomain, type DomainHandle } from '../../planner/index.js';
import type { Cond, Constraint, SlotValue, Template } from './template-types.js';
import { condSlots, constraintSlots } from './validate-constraints.js';
import { describeConstraint } from './consistency.js';

/** Slots per block: the engine's limit of choose statements in one method. */
export const BLOCK = 16;

/** A template with its compiled domain. */
export interface CompiledTemplate {
  readonly template: Template;
  readonly domain: DomainHandle;
  /** The domain's text (for people: `aria shape compile` prints it). */
  readonly text: string;
}

/**
 * Most characters of a compiled domain's text. Compiling runs on the
 * calling thread (about 200 ms for the 58-attribute fantasy template, 42 KB
 * of text); this bounds how long one inline template can hold it.
 */
export const MAX_DOMAIN_CHARS = 400_000;

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
  if (text.length > MAX_DOMAIN_CHARS) {
    throw new InvalidArgumentError('template', `compiles to a planning domain of ${text.length} characters; at most ${MAX_DOMAIN_CHARS} (fewer values, list elements or constraints)`);
  }
  const compiled = { template, domain: loadDomain(text, { file: `shape:${template.name}` }), text };
  cache.set(template.key, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return compiled;
}

/** The domain text of a template (see the module comment for its shape). */
export function templateDomainText(t: Template): string {
  const n = t.slots.length;
  const checks: string[][] = t.slots.map(() => []);
  const blockStart: string[][] = Array.from({ length: Math.ceil(n / BLOCK) }, () => []);
  t.constraints.forEach((c, i) => constraintChecks(c, i, checks, blockStart));
  forwardChecks(t).forEach((lines, k) => checks[k].push(...lines));
  const out = [`domain shape_${t.name.replace(/-/g, '_')}`, ''];
  out.push(`var ${t.slots.flatMap((_, k) => [`o_${k}`, `s_${k}`]).join(', ')}`, '');
  out.push('# 1 when x holds, else 0: counting constraints add these up.', 'fn b(x) { if x { return 1 }; return 0 }', '');
  const blocks = Math.ceil(n / BLOCK);
  for (let b = 0; b < blocks; b++) {
    const ks = Array.from({ length: Math.min(BLOCK, n - b * BLOCK) }, (_, i) => b * BLOCK + i);
    out.push(`action set_${b}(c, ${ks.map((k) => `v${k}`).join(', ')}) { ${ks.map((k) => `s_${k}[c] = v${k}`).join('; ')} }`);
    out.push(`task block_${b} {`, '  method m(c) {', ...blockStart[b]);
    for (const k of ks) {
      const s = t.slots[k];
      const a = t.attributes[s.attr];
      out.push(`    choose v${k} in o_${k}[c]  # ${a.name}${s.member === undefined ? '' : ` has ${String(a.values[s.member])}`}`, ...checks[k]);
    }
    out.push(`    return [set_${b}(c, ${ks.map((k) => `v${k}`).join(', ')})]`, '  }', '}', '');
  }
  out.push('task character {', `  method m(c) { return [${Array.from({ length: blocks }, (_, b) => `block_${b}(c)`).join(', ')}] }`, '}', '');
  return out.join('\n');
}

/**
 * Forward checking: when slot k is chosen and a later slot j becomes the
 * only unset slot of some constraint, require that some value of j's order
 * still satisfies every constraint on j whose other slots are set. Without
 * it, a conflict between an early slot and a late one (a halfling, then
 * muscular, then weight) is found only at the late slot, and chronological
 * backtracking retries every slot in between first: exponential.
 */
function forwardChecks(t: Template): Map<number, string[]> {
  // A constraint on slots ... < k < j becomes "j is the only unset slot" when k is chosen.
  const multi = t.constraints
    .map((c) => ({ c, slots: constraintSlots(c).sort((a, b) => a - b) }))
    .filter((x) => x.slots.length > 1)
    .map(({ c, slots }) => ({ c, j: slots[slots.length - 1], k: slots[slots.length - 2] }));
  const byLast = new Map<number, typeof multi>();
  for (const x of multi) byLast.set(x.j, [...(byLast.get(x.j) ?? []), x]);
  const triggers = [...new Set(multi.map((x) => `${x.k},${x.j}`))].map((p) => p.split(',').map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Map<number, string[]>();
  for (const [k, j] of triggers) {
    // Every constraint on j already decidable once k is set, so the value of j must satisfy them together.
    const onJ = byLast.get(j)!.filter((x) => x.k <= k);
    const at = refAt(k);
    const ref = (slot: number) => (slot === j ? 'w' : at(slot));
    const test = onJ.map((x) => `(${guarded(x.c, ref, fullCheck(x.c, ref))})`).join(' and ');
    out.set(k, [...(out.get(k) ?? []), `    require len([w for w in o_${j}[c] if ${test}]) > 0  # forward check of slot ${j}`]);
  }
  return out;
}

type Ref = (slot: number) => string;

/** The expression of each slot set when slot `cur` has been chosen: a local in the same block, the state for earlier blocks. */
function refAt(cur: number): Ref {
  const block = Math.floor(cur / BLOCK);
  return (slot) => (Math.floor(slot / BLOCK) === block ? `v${slot}` : `s_${slot}[c]`);
}

/**
 * The lines that check constraint `id`, added under the slots where they
 * go (`at`) and at the start of blocks (`pre`): its full check at its last
 * slot; a counting constraint keeps a running count in a local instead
 * (started at each block from the conditions decided in earlier blocks),
 * checked partly wherever a condition is decided, so a list of n values
 * costs n increments rather than n sums of up to n terms.
 */
function constraintChecks(c: Constraint, id: number, at: string[][], pre: string[][]): void {
  const last = Math.max(...constraintSlots(c));
  const note = `  # ${c.path}: ${describeConstraint(c)}`;
  if (c.kind !== 'at_most' && c.kind !== 'at_least') {
    at[last].push(`    require ${guarded(c, refAt(last), fullCheck(c, refAt(last)))}${note}`);
    return;
  }
  const condLast = c.conds.map((x) => Math.max(...condSlots(x)));
  const whenDone = c.when ? Math.max(...condSlots(c.when)) : -1;
  // A cond is decided at its own last slot; from then on (and once `when` is decided) the count can be checked partly.
  const checkAt = new Set([...condLast.filter((s) => s >= whenDone), last]);
  const count = `n${id}`;
  const bump = (x: Cond, s: number) => `    if ${cond(x, refAt(s))} { ${count} = ${count} + 1 }`;
  for (const b of new Set([...checkAt].map((s) => Math.floor(s / BLOCK)))) {
    const start = b * BLOCK;
    pre[b].push(`    let ${count} = 0  # ${c.path}: how many of its conditions hold so far`);
    c.conds.forEach((x, i) => condLast[i] < start && pre[b].push(bump(x, start)));
    const end = Math.max(...[...checkAt].filter((s) => Math.floor(s / BLOCK) === b));
    for (let s = start; s <= end; s++) {
      c.conds.forEach((x, i) => condLast[i] === s && at[s].push(bump(x, s)));
      if (!checkAt.has(s)) continue;
      const open = condLast.filter((l) => l > s).length;
      const test = c.kind === 'at_most' ? `${count} <= ${c.count}` : `${count} + ${open} >= ${c.count}`;
      at[s].push(`    require ${guarded(c, refAt(s), test)}${note}`);
    }
  }
}

function fullCheck(c: Constraint, ref: Ref): string {
  const parts = c.conds.map((x) => cond(x, ref));
  if (c.kind === 'requires') return parts[0];
  if (c.kind === 'excludes') return `not (${parts.map((p) => `(${p})`).join(' and ')})`;
  const sum = parts.map((p) => `b(${p})`).join(' + ');
  return c.kind === 'at_most' ? `${sum} <= ${c.count}` : `${sum} >= ${c.count}`;
}

function guarded(c: Constraint, ref: Ref, expr: string): string {
  return c.when ? `(not (${cond(c.when, ref)}) or (${expr}))` : expr;
}

/** A condition as an expression, slots read through `ref`. */
function cond(x: Cond, ref: Ref): string {
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
