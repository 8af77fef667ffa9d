/**
 * Planner values (aria.planner.v1.Value as the JSON API writes it) as short
 * text, so a plan step reads `call_taxi(alice, home_a)`.
 */

/** A Value in its JSON form: one of these fields is set. */
export interface Value {
  symbol?: string;
  number?: number;
  boolean?: boolean;
  nil?: boolean;
  set?: { items?: Value[] };
  list?: { items?: Value[] };
  tuple?: { items?: Value[] };
  map?: { entries?: { key?: Value; value?: Value }[] };
  multigoal?: { name?: string };
}

/** A plan step: an action name and its arguments. */
export interface Step {
  name: string;
  args?: Value[];
}

/** The text of one value. */
export function valueText(v: Value | undefined): string {
  if (!v) return 'nil';
  if (v.symbol !== undefined) return v.symbol;
  if (v.number !== undefined) return String(v.number);
  if (v.boolean !== undefined) return String(v.boolean);
  if (v.nil) return 'nil';
  const items = (xs: Value[] | undefined): string => (xs ?? []).map(valueText).join(', ');
  if (v.list) return `[${items(v.list.items)}]`;
  if (v.tuple) return `(${items(v.tuple.items)})`;
  if (v.set) return `{${items(v.set.items)}}`;
  if (v.map) return `{${(v.map.entries ?? []).map((e) => `${valueText(e.key)}: ${valueText(e.value)}`).join(', ')}}`;
  if (v.multigoal) return `multigoal ${v.multigoal.name ?? ''}`.trim();
  return 'nil';
}

/** `name(arg, arg)`. */
export function stepText(step: Step): string {
  return `${step.name}(${(step.args ?? []).map(valueText).join(', ')})`;
}
