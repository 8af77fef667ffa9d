/**
 * The scoring options of a batch (docs/shape.md, "GenerateBatch"):
 * preference and style weights per attribute value, the diversity weight
 * and the violation penalty, checked against a template with the field at
 * fault named.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { boundText, echo } from '../../core/bounded-text.js';
import type { Template } from './template-types.js';

/** Attribute name → value (a category's name, a range's number as text, a list's element) → weight. */
export type ValueWeights = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** How candidates are scored. */
export interface ScoreOptions {
  /** Weighted preferences: added for each value a candidate has. */
  readonly preferences?: ValueWeights;
  /** The target style: its weights are added the same way (kept apart so that a client can vary one without the other). */
  readonly style?: ValueWeights;
  /** Weight of the Hamming distance to the nearest character already picked (default 1). */
  readonly diversity?: number;
  /** Subtracted per broken constraint (default 1000); a candidate that breaks one is never returned. */
  readonly penalty?: number;
}

/** The options with defaults filled in, checked. */
export interface CheckedScoreOptions {
  readonly preferences: ValueWeights;
  readonly style: ValueWeights;
  readonly diversity: number;
  readonly penalty: number;
}

/** Largest weight magnitude accepted: sums over a million candidates stay exact enough to compare. */
export const MAX_WEIGHT = 1e9;

/** Checks the options against the template: every attribute and value named must exist, every weight be finite and bounded. */
export function checkScoreOptions(t: Template, o: ScoreOptions = {}): CheckedScoreOptions {
  const number = (v: number | undefined, field: string, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_WEIGHT) throw new InvalidArgumentError(field, `must be a finite number from -${MAX_WEIGHT} to ${MAX_WEIGHT}, got ${echo(String(v))}`);
    return v;
  };
  const table = (w: ValueWeights | undefined, field: string): ValueWeights => {
    // Copied into objects with no prototype: a value named `constructor` or `__proto__` is then just a key.
    const out: Record<string, Record<string, number>> = Object.create(null);
    if (w === undefined) return out;
    if (typeof w !== 'object' || w === null) throw new InvalidArgumentError(field, 'must map attribute names to {value: weight} objects');
    for (const [name, values] of Object.entries(w)) {
      const a = t.attributes.find((x) => x.name === name);
      if (!a) throw new InvalidArgumentError(`${field}.${boundText(name, 200)}`, `template ${t.name} has no attribute ${echo(name)}`);
      if (typeof values !== 'object' || values === null) throw new InvalidArgumentError(`${field}.${a.name}`, 'must map values to weights');
      const table: Record<string, number> = (out[a.name] = Object.create(null));
      for (const [value, weight] of Object.entries(values)) {
        const path = `${field}.${a.name}.${boundText(value, 200)}`;
        if (!a.values.some((v) => String(v) === value)) throw new InvalidArgumentError(path, `${echo(value)} is not a value of ${a.name}`);
        table[value] = number(weight, path, 0);
      }
    }
    return out;
  };
  return {
    preferences: table(o.preferences, 'preferences'),
    style: table(o.style, 'style'),
    diversity: number(o.diversity, 'diversity', 1),
    penalty: number(o.penalty, 'penalty', 1000),
  };
}
