/**
 * Problems sent as JSON text (PlanRequest.problem_json). They are parsed
 * where they are planned, on a worker thread, so that a busy server's main
 * thread does not spend its time in JSON parsing.
 */
import type { JsonState, JsonValue, Problem, TodoItem } from '../planner/index.js';
import { InvalidArgumentError } from '../core/errors.js';
import { parseOrderedJson } from '../planner/index.js';
import { State, TodoItem as PbTodoItem } from '../../../gen/ts/aria/planner/v1/value.js';
import { stateToJson, todoToJson } from './value-proto.js';

/** A problem still in JSON text; `field` names it in errors (such as `problem_json`). */
export interface JsonProblem {
  json: string;
  field: string;
}

/** A problem still in protobuf bytes (a large PlanRequest's state and todo: deferred-plan-request.ts); `prefix` is its request's path. */
export interface ProtoProblem {
  pbState?: Uint8Array;
  pbTodo: Uint8Array[];
  prefix: string;
}

/** A problem, parsed or not. */
export type ProblemSource = Problem | JsonProblem | ProtoProblem;

/** Whether a problem is still JSON text. */
export function isJsonProblem(p: ProblemSource): p is JsonProblem {
  return typeof (p as JsonProblem).json === 'string';
}

/** Whether a problem is still protobuf bytes. */
export function isProtoProblem(p: ProblemSource): p is ProtoProblem {
  return Array.isArray((p as ProtoProblem).pbTodo);
}

/** The parsed problem; InvalidArgumentError names the field when the text is not a problem. */
export function resolveProblem(p: ProblemSource): Problem {
  if (isProtoProblem(p)) return problemFromProto(p);
  if (!isJsonProblem(p)) return p;
  let raw: unknown;
  try {
    // Key order matters (GTPyhop iterates in insertion order): the library's
    // parser keeps it under __intkeys__, the one place where JSON.parse would
    // reorder; without that key both parse alike and JSON.parse is faster.
    raw = p.json.includes('__intkeys__') ? parseOrderedJson(p.json) : JSON.parse(p.json);
  } catch (err) {
    throw new InvalidArgumentError(p.field, `not valid JSON: ${(err as Error).message}`);
  }
  return problemFromObject(raw, p.field);
}

/** Checks the outline of a JSON problem ({state, todo, verify_goals}); the library checks the rest. */
export function problemFromObject(raw: unknown, field: string): Problem {
  if (!isObject(raw)) throw new InvalidArgumentError(field, 'must be a JSON object {"state": ..., "todo": [...]}');
  const { state, todo, verify_goals } = raw;
  if (!isObject(state)) throw new InvalidArgumentError(`${field}.state`, 'must be an object (state variable -> key -> value)');
  if (!Array.isArray(todo)) throw new InvalidArgumentError(`${field}.todo`, 'must be an array of todo items');
  if (verify_goals !== undefined && typeof verify_goals !== 'boolean') throw new InvalidArgumentError(`${field}.verify_goals`, 'must be true or false');
  const problem: Problem = { state: state as JsonState, todo: todo as TodoItem[] };
  if (verify_goals !== undefined) problem.verify_goals = verify_goals;
  return problem;
}

/** A protobuf problem decoded; a malformed part is a InvalidArgumentError naming it. */
function problemFromProto(p: ProtoProblem): Problem {
  const decode = <T>(field: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw err;
      throw new InvalidArgumentError(field, `not a valid message (${(err as Error).message})`);
    }
  };
  const state = decode(`${p.prefix}state`, () => (p.pbState === undefined ? undefined : State.decode(p.pbState)));
  const todo = p.pbTodo.map((b, i) => decode(`${p.prefix}todo[${i}]`, () => PbTodoItem.decode(b)));
  return { state: stateToJson(state, `${p.prefix}state`), todo: todoToJson(todo, `${p.prefix}todo`) };
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
