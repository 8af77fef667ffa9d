/**
 * The HDDL model: what the parser produces from a domain and a problem
 * file, before any mapping onto the Aria domain model. Names are
 * lower-case (HDDL is case-insensitive); variables keep their `?`.
 */
import type { Pos } from '../planner/index.js';

/** A typed parameter or quantified variable: `?x - block`. */
export interface TypedVar {
  name: string;
  type: string;
  pos: Pos;
}

/** An argument: a variable (starts with `?`) or an object/constant name. */
export type Term = string;

/** Whether a term is a variable. */
export const isVar = (t: Term): boolean => t.startsWith('?');

/** A precondition or goal formula. */
export type Formula =
  | { kind: 'true'; pos: Pos }
  | { kind: 'atom'; pred: string; args: Term[]; pos: Pos }
  | { kind: 'eq'; left: Term; right: Term; pos: Pos }
  | { kind: 'not'; arg: Formula; pos: Pos }
  | { kind: 'and' | 'or'; args: Formula[]; pos: Pos }
  | { kind: 'imply'; left: Formula; right: Formula; pos: Pos }
  | { kind: 'forall' | 'exists'; vars: TypedVar[]; body: Formula; pos: Pos };

/** An action effect. */
export type Effect =
  | { kind: 'add' | 'del'; pred: string; args: Term[]; pos: Pos }
  | { kind: 'and'; args: Effect[]; pos: Pos }
  | { kind: 'forall'; vars: TypedVar[]; body: Effect; pos: Pos }
  | { kind: 'when'; cond: Formula; body: Effect; pos: Pos };

/** A predicate declaration. */
export interface PredicateDef {
  name: string;
  params: TypedVar[];
  pos: Pos;
}

/** An abstract (compound) task declaration. */
export interface TaskDef {
  name: string;
  params: TypedVar[];
  pos: Pos;
}

/** One subtask of a method or of the initial task network. */
export interface Subtask {
  /** The label (`task0`), when it has one. */
  id?: string;
  task: string;
  args: Term[];
  pos: Pos;
}

/**
 * Ordering constraints of a partially ordered subtask list: pairs [i, j]
 * of indices into the subtasks, i before j, as written (not closed).
 */
export type Ordering = [number, number][];

/** A method. Its subtasks are in their total order unless `ordering` is given. */
export interface MethodDef {
  name: string;
  params: TypedVar[];
  task: string;
  taskArgs: Term[];
  /** Precondition and `:constraints`, conjoined. */
  pre: Formula;
  subtasks: Subtask[];
  /** Present when the subtasks are only partially ordered: then `subtasks` keeps the file's order. */
  ordering?: Ordering;
  /** For one linearisation of a partially ordered method (partial-order.ts): the HDDL method it comes from. */
  source?: string;
  pos: Pos;
}

/** A primitive action. */
export interface ActionDef {
  name: string;
  params: TypedVar[];
  pre: Formula;
  effect: Effect;
  pos: Pos;
}

/** A parsed domain. */
export interface HddlDomain {
  name: string;
  file: string;
  requirements: string[];
  /** Each declared type's parents (`object` for top-level types; several where a type is declared under several, as in UM-Translog); `object` itself is absent. */
  typeParent: Map<string, string[]>;
  /** Where each type was declared. */
  typePos: Map<string, Pos>;
  /** Domain constants in declaration order, with their types. */
  constants: { name: string; type: string; pos: Pos }[];
  predicates: Map<string, PredicateDef>;
  tasks: Map<string, TaskDef>;
  /** Methods in file order (the order they are tried). */
  methods: MethodDef[];
  actions: Map<string, ActionDef>;
  /** The first spelling in the file of each lower-cased name that was not written in lower case. */
  spelling: Map<string, string>;
}

/** The initial task network of a problem. */
export interface TaskNetwork {
  params: TypedVar[];
  /** `:constraints` of the network (equalities), else true. */
  constraints: Formula;
  subtasks: Subtask[];
  /** Present when the network is only partially ordered (see MethodDef.ordering). */
  ordering?: Ordering;
  pos: Pos;
}

/** A ground atom of the initial state. */
export interface GroundAtom {
  pred: string;
  args: string[];
  pos: Pos;
}

/** A parsed problem. */
export interface HddlProblem {
  name: string;
  file: string;
  domain: string;
  objects: { name: string; type: string; pos: Pos }[];
  htn: TaskNetwork;
  init: GroundAtom[];
  goal: Formula | null;
  /** The first spelling in the file of each lower-cased name that was not written in lower case. */
  spelling: Map<string, string>;
}
