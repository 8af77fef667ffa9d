/**
 * The validated, normalised form of a character template (docs/shape.md
 * describes the JSON a person writes). validate-template.ts builds it; the
 * compiler, the consistency checks and the generator read only this form.
 *
 * Every decision the planner makes is one *slot*: a categorical or numeric
 * attribute is one slot; a list attribute is one yes/no slot per element it
 * may pick (so "pick k of a set" stays a finite, complete search).
 */

/** A value a slot can take: a symbol (category), a number (range), a boolean (list member picked or not). */
export type SlotValue = string | number | boolean;

/** What kind of attribute: a weighted category, a discretised numeric range, or a pick-k list. */
export type AttributeKind = 'category' | 'range' | 'list';

/** One attribute (or trait) of a template. */
export interface Attribute {
  readonly name: string;
  readonly kind: AttributeKind;
  /** Declared under `traits` (personality, a number) rather than `attributes`. */
  readonly trait: boolean;
  /** Where it was declared, as errors name it (`template.attributes[3]`). */
  readonly path: string;
  /** Category: the value names; range: the numbers, low to high; list: the element names. */
  readonly values: readonly SlotValue[];
  /** One positive weight per value (ranges: all 1). */
  readonly weights: readonly number[];
  /** List: how many elements to pick, at least and at most. */
  readonly pickMin: number;
  readonly pickMax: number;
  /** Prompt phrase with `{value}` in it, if the template gave one. */
  readonly phrase?: string;
  /** Index of its first slot (a list's elements take consecutive slots). */
  readonly firstSlot: number;
}

/** One decision of the planner. */
export interface Slot {
  /** Index of the attribute in Template.attributes. */
  readonly attr: number;
  /** List attributes: the element this yes/no slot is about. */
  readonly member?: number;
  /** The values the slot may take, in the template's order. */
  readonly values: readonly SlotValue[];
}

/** The comparison of a condition. */
export type CondOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not_in';

/** One condition on one slot: `species = elf`, `age >= 18`, `skills has magic`, `strength > agility`. */
export interface Cond {
  readonly slot: number;
  readonly op: CondOp;
  /** The constant compared with (absent when `other` is set or op is in/not_in). */
  readonly rhs?: SlotValue;
  /** in / not_in: the values. */
  readonly set?: readonly SlotValue[];
  /** A numeric comparison with another slot. */
  readonly other?: number;
  /** The text as written, for messages. */
  readonly text: string;
}

/** The kinds of constraint (`requires` with `when` is the implication). */
export type ConstraintKind = 'requires' | 'excludes' | 'at_most' | 'at_least';

/** One constraint: holds when `when` is false, otherwise by its kind. */
export interface Constraint {
  readonly kind: ConstraintKind;
  /** requires: one condition; excludes: not all together; at_most/at_least: counted. */
  readonly conds: readonly Cond[];
  readonly when?: Cond;
  /** at_most / at_least: the bound. */
  readonly count: number;
  /** Where it was declared (`template.constraints[2]`, or a list's `.pick` for its size). */
  readonly path: string;
}

/** A preset: some slots pinned to allowed values, some attributes re-weighted. */
export interface Preset {
  readonly name: string;
  readonly path: string;
  /** Slot → the values it may take under this preset. */
  readonly pins: ReadonlyMap<number, readonly SlotValue[]>;
  /** Attribute → its weights under this preset (one per value). */
  readonly weights: ReadonlyMap<number, readonly number[]>;
}

/** How the image prompt is made. */
export interface PromptSpec {
  /** Attribute named as the subject ("a tall elf"); undefined: "character". */
  readonly subject?: number;
  /** Attributes whose values come before the subject, in order. */
  readonly adjectives: readonly number[];
  /** Attributes rendered as phrases after it, in order. */
  readonly details: readonly number[];
  /** Appended at the end. */
  readonly suffix: string;
}

/** A validated template. */
export interface Template {
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly Attribute[];
  readonly slots: readonly Slot[];
  readonly constraints: readonly Constraint[];
  readonly presets: readonly Preset[];
  readonly prompt: PromptSpec;
  /** Canonical JSON of the source: the compiled-domain cache's key. */
  readonly key: string;
}
