/**
 * The planner library's public types: problems, options and results.
 *
 * Values in states and todo lists use the JSON encoding of the conformance
 * suite: strings are symbols, numbers are numbers, `{"__set__": [...]}` is a
 * set, `{"__intkeys__": {...}}` is a map with integer keys, and
 * `{"__multigoal__": name, "vars": {...}}` is a multigoal.
 */

/** A JSON value as found in states and todo items. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A state: variable name -> key -> value (keys may be wrapped in `__intkeys__`). */
export type JsonState = Record<string, JsonValue>;

/** A todo item: `[name, ...args]` (task, action or unigoal) or a multigoal object. */
export type TodoItem = JsonValue[] | { __multigoal__: string; vars: JsonState };

/** One planning problem (a conformance case's `state`, `todo`, `verify_goals`). */
export interface Problem {
  state: JsonState;
  todo: TodoItem[];
  verify_goals?: boolean;
}

/** The limits one planning call runs under. Omitted fields take the defaults. */
export interface Limits {
  /** Method and action applications tried (default 10,000,000). */
  maxExpansions?: number;
  /** Search depth, GTPyhop's `depth` (default 1,000,000). */
  maxDepth?: number;
  /** Actions in the plan (default 1,000,000). */
  maxPlanLength?: number;
  /** Wall-clock budget in milliseconds (default: none). */
  timeoutMs?: number;
  /** Working memory of the engine in bytes (default 256 MiB). */
  maxMemoryBytes?: number;
}

/** Options of one planning call. */
export interface PlanOptions extends Limits {
  /** GTPyhop's verify_goals (default: the problem's, else true). */
  verifyGoals?: boolean;
  /** 0 (none) to 3 (every method tried); see TraceEvent. */
  traceLevel?: number;
  /**
   * Stops the call: it ends with limit `cancelled`. Checked between search
   * steps; in a worker thread use `cancelFlag`, since a blocked thread never
   * sees an abort event. Only `aborted` is read, so anything that has it
   * will do.
   */
  signal?: { readonly aborted: boolean };
  /** A shared flag (Int32Array over a SharedArrayBuffer); non-zero at index 0 cancels the call. */
  cancelFlag?: Int32Array;
  /**
   * With a trace level: receives the trace events in order, in chunks, while
   * the search runs (each time the engine's buffer fills) and the last ones
   * before plan() returns; the result then carries no trace. On the worker
   * pool, a returned promise means "not taken yet": a worker that is too
   * far ahead of its caller waits until enough are (a slow reader of a
   * streamed trace holds the search back instead of filling memory).
   */
  onTrace?: (events: TraceEvent[]) => unknown;
  /**
   * Anytime branch-and-bound on the plan's total cost: the first plan is
   * found as without it (same search order), then the search backtracks
   * from it for cheaper plans, pruning every branch whose cost so far
   * reaches the best plan's, until the search space is exhausted (the best
   * plan is then proven optimal) or a budget ends. The result carries
   * `anytime`. Without it, costs are still summed (`cost` of a plan).
   */
  optimize?: OptimizeOptions;
}

/** What to optimise, and the budget of the search for better plans after the first. */
export interface OptimizeOptions {
  /** The metric: the sum of the actions' costs (an action without a `cost` costs 1). */
  metric: 'cost';
  /** Milliseconds from the start of the call after which no better plan is sought (default: none). */
  budgetMs?: number;
  /** Expansions of the whole call after which no better plan is sought (default: none; maxExpansions still holds). */
  budgetExpansions?: number;
}

/** One better plan found by the anytime search: its cost, and when (expansions and ms since the call started). */
export interface Improvement {
  cost: number;
  expansions: number;
  ms: number;
}

/** The anytime search's account: every improvement in order (the first plan first), and whether the last is proven optimal. */
export interface AnytimeReport {
  improvements: Improvement[];
  /** The search space was exhausted within the budget: no plan is cheaper than the one returned. */
  optimal: boolean;
  /** Why the search stopped short of proving optimality (a limit kind, or 'budget'); absent when optimal. */
  stoppedBy?: LimitKind | 'budget';
}

/** Which per-call limit ended a search. */
export type LimitKind =
  | 'expansions'
  | 'depth'
  | 'plan_length'
  | 'deadline'
  | 'memory'
  | 'cancelled';

/** Counters of one planning call. */
export interface PlanStats {
  expansions: number;
  backtracks: number;
  maxDepth: number;
  /** Peak engine working memory in bytes. */
  peakMemoryBytes: number;
}

/** The three kinds of result, plus a limit that ended the search. */
export type PlanResult =
  /** cost: the sum of the plan's action costs (each action without a `cost` clause counts 1); the engine always sets it. */
  | { status: 'plan'; plan: JsonValue[][]; cost?: number; stats: PlanStats; trace?: TraceEvent[]; anytime?: AnytimeReport }
  | { status: 'no_plan'; stats: PlanStats; trace?: TraceEvent[] }
  | { status: 'error'; message: string; stats: PlanStats; trace?: TraceEvent[] }
  | { status: 'limit'; limit: LimitKind; message: string; stats: PlanStats; trace?: TraceEvent[] };

/** Kinds of trace event, with the lowest trace level that emits each. */
export type TraceEventKind =
  | 'todo' // level 2: the todo list at a depth (first item only)
  | 'method_tried' // level 3
  | 'method_failed' // level 3: not applicable
  | 'action_applied' // level 3
  | 'action_failed' // level 3
  | 'goal_achieved' // level 3: a unigoal already held
  | 'goal_verified' // level 3
  | 'backtrack' // level 3
  | 'result'; // level 1

/** One trace event. `item` is the todo item concerned, in JSON encoding. */
export interface TraceEvent {
  kind: TraceEventKind;
  depth: number;
  method?: string;
  item?: JsonValue;
}

/** Executes a command while acting; returns the new state, or false when the command failed. */
export type Executor = (command: JsonValue[], state: JsonState) => JsonState | false | Promise<JsonState | false>;

/** Result of lazy-lookahead acting (GTPyhop's run_lazy_lookahead). */
export interface ActResult {
  /** How acting ended: the todo list is done, planning failed, or max_tries ran out. */
  status: 'done' | 'no_plan' | 'error' | 'limit' | 'max_tries';
  state: JsonState;
  /** Commands that succeeded, in order. */
  executed: JsonValue[][];
  /** How many times it planned. */
  tries: number;
  message?: string;
}
