/**
 * ApplyActions' input checks at the edge: the state comes as JSON text
 * (like Plan's problem_json), so a malformed one is INVALID_ARGUMENT
 * naming `state_json`, never a crash.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { JsonState } from '../../planner/index.js';

/** The state of `state_json`: a JSON object of state variables, each an object. */
export function parseState(text: string): JsonState {
  if (text === '') throw new InvalidArgumentError('state_json', 'is required: the starting state as a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError('state_json', `is not JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError('state_json', 'must be a JSON object of state variables');
  return value as JsonState;
}
