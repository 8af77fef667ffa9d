/**
 * What can be found wrong before sampling: a constraint on one slot that no
 * value satisfies, a pin that a constraint rules out, a constraint whose
 * slots each have one possible value and that fails. It also gives each
 * slot its allowed values, which the value orders are made from (the
 * planner still checks every constraint; this only saves it work).
 */
import type { Constraint, Preset, SlotValue, Template } from './template-types.js';
import { evalConstraint } from './evaluate.js';
import { constraintSlots } from './validate-constraints.js';
import { fail } from './json-checks.js';

/** How a slot reads in messages: `species`, or `skills has sword` for a list element. */
export function slotName(t: Template, slot: number): string {
  const s = t.slots[slot];
  const a = t.attributes[s.attr];
  return s.member === undefined ? a.name : `${a.name} has ${String(a.values[s.member])}`;
}

/** A constraint as one line: `requires age >= 18 when role = knight`. */
export function describeConstraint(c: Constraint): string {
  const conds = c.conds.map((x) => x.text).join(', ');
  const body = c.kind === 'requires' ? `requires ${conds}` : c.kind === 'excludes' ? `excludes [${conds}]` : `${c.kind} ${c.count} of [${conds}]`;
  return c.when ? `${body} when ${c.when.text}` : body;
}

/**
 * Each slot's allowed values under a preset (or none). Throws
 * InvalidArgumentError at the constraint, or at the preset's pin, when a
 * contradiction shows without search.
 */
export function allowedValues(t: Template, preset?: Preset): SlotValue[][] {
  const allowed = t.slots.map((s, i) => [...(preset?.pins.get(i) ?? s.values)]);
  const pinPath = (slot: number) => `${preset!.path}.pin.${t.attributes[t.slots[slot].attr].name}`;
  const under = preset ? ` under preset '${preset.name}'` : '';
  const slotsOf = t.constraints.map(constraintSlots);
  t.constraints.forEach((c, ci) => {
    if (slotsOf[ci].length !== 1) return;
    const s = slotsOf[ci][0];
    const kept = allowed[s].filter((v) => evalConstraint(c, (x) => (x === s ? v : undefined)) !== false);
    if (kept.length > 0) allowed[s] = kept;
    else if (preset?.pins.has(s)) fail(pinPath(s), `${allowed[s].map(String).join(', ')} contradicts ${c.path} (${describeConstraint(c)})`);
    else fail(c.path, `no value of ${slotName(t, s)} satisfies ${describeConstraint(c)}${under}`);
  });
  t.constraints.forEach((c, ci) => {
    const slots = slotsOf[ci];
    if (slots.length < 2 || slots.some((s) => allowed[s].length !== 1)) return;
    if (evalConstraint(c, (x) => allowed[x][0]) !== false) return;
    const pinned = slots.filter((s) => preset?.pins.has(s));
    if (pinned.length > 0) fail(preset!.path, `the values pinned for ${pinned.map((s) => slotName(t, s)).join(', ')} contradict ${c.path} (${describeConstraint(c)})`);
    fail(c.path, `cannot hold: ${slots.map((s) => `${slotName(t, s)} can only be ${String(allowed[s][0])}`).join(', ')}`);
  });
  return allowed;
}
