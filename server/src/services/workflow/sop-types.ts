/**
 * The shape of an SOP (standard operating procedure) once validated:
 * documentation and metadata for people, and goals, tasks, methods and
 * commands for the planner and the executor. docs/workflow.md describes
 * the JSON format.
 */

/** A value a run's state may hold, and a condition or a `set` command may name. */
export type SopValue = string | number | boolean | null | SopValue[] | { [key: string]: SopValue };

/** A precondition over the run's state (keys of the state map). */
export type Condition =
  | { readonly key: string; readonly equals: SopValue }
  | { readonly key: string; readonly exists: boolean }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };

/** One way to do a task: when its precondition holds, its subtasks (task or command names) in order. */
export interface Method {
  readonly name: string;
  readonly when?: Condition;
  readonly subtasks: readonly string[];
}

/** A task: its methods, tried in order. */
export interface Task {
  readonly name: string;
  readonly description: string;
  readonly methods: readonly Method[];
}

/** The command kinds built in. */
export const COMMAND_KINDS = ['plan', 'shape', 'wait', 'approve', 'http', 'set', 'fail'] as const;
/** A command kind. */
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** A command: one step a run executes. Fields other than kind and name depend on the kind. */
export type Command =
  | { readonly kind: 'plan'; readonly name: string; readonly domain: string; readonly state: Record<string, SopValue>; readonly todo: readonly SopValue[]; readonly into?: string }
  | { readonly kind: 'shape'; readonly name: string; readonly template: string; readonly seed: number; readonly preset?: string; readonly into?: string }
  | { readonly kind: 'wait'; readonly name: string; readonly ms: number }
  | { readonly kind: 'approve'; readonly name: string; readonly prompt: string; readonly into?: string }
  | { readonly kind: 'http'; readonly name: string; readonly method: 'GET' | 'POST'; readonly url: string; readonly body?: SopValue; readonly into?: string }
  | { readonly kind: 'set'; readonly name: string; readonly values: Record<string, SopValue> }
  | { readonly kind: 'fail'; readonly name: string; readonly message: string };

/** Who owns the procedure and when it is looked at again. */
export interface SopMetadata {
  readonly lastUpdated: string;
  readonly nextReview: string;
  readonly approvedBy: string;
  readonly contact: string;
  readonly dependencies: readonly string[];
}

/** A validated SOP. */
export interface Sop {
  readonly name: string;
  /** The author's version label ("1.2"); the store numbers revisions apart. */
  readonly version: string;
  readonly metadata: SopMetadata;
  /** Markdown for people. */
  readonly docs: string;
  /** The run's state before its first step (a run may add to it). */
  readonly state: Record<string, SopValue>;
  /** What a run does: task or command names, in order. */
  readonly goals: readonly string[];
  readonly tasks: readonly Task[];
  readonly commands: readonly Command[];
}
