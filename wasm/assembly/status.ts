// Status codes shared with the host (server/src/planner/runtime/engine-status.ts).
// A planning call ends with exactly one of them; errors and limits also leave
// operands in the RESULT area for the host to build a message from.
import { RESULT } from './layout';

export const ST_RUNNING: i32 = 0;
export const ST_PLAN: i32 = 1;
export const ST_NO_PLAN: i32 = 2;
// Domain bugs found while planning (status 'error').
export const ST_ERR_NOT_DISPATCHABLE: i32 = 10; // [item, depth]
export const ST_ERR_VERIFY_G: i32 = 11; // [fn, var, key, value, depth]
export const ST_ERR_VERIFY_MG: i32 = 12; // [fn, mg, depth]
export const ST_ERR_TYPE: i32 = 13; // [fn, pc, a, b]: an operator got values it does not take
export const ST_ERR_ARITY: i32 = 14; // [fn, item]: item has the wrong number of arguments
export const ST_ERR_BAD_DECOMP: i32 = 15; // [fn, value]: a method returned something other than a list
export const ST_ERR_CALL_DEPTH: i32 = 16; // [fn]: helper recursion too deep
export const ST_ERR_BAD_ITER: i32 = 17; // [fn, pc, value]: iteration over a value that is not a collection
export const ST_ERR_STATE_VALUE: i32 = 18; // [fn, pc, value]: state key or value of a kind the state cannot hold
export const ST_ERR_CHOOSE: i32 = 19; // [fn]: more choice points than the engine keeps
// Limits (status 'limit').
export const ST_LIMIT_EXPANSIONS: i32 = 30;
export const ST_LIMIT_DEPTH: i32 = 31;
export const ST_LIMIT_PLAN_LENGTH: i32 = 32;
export const ST_LIMIT_DEADLINE: i32 = 33;
export const ST_LIMIT_CANCELLED: i32 = 34;
// A region is full: the host grows it (within the memory limit) and runs again.
export const ST_SPACE_SLOTS: i32 = 40;
export const ST_SPACE_TRAIL: i32 = 41;
export const ST_SPACE_CHOICES: i32 = 42;
export const ST_SPACE_ARENA: i32 = 43;
export const ST_SPACE_VSTACK: i32 = 44;
export const ST_SPACE_PLAN: i32 = 46;
export const ST_SPACE_KEYS: i32 = 47;

/** The status the current call will end with; ST_RUNNING while it runs. */
export let status: i32 = ST_RUNNING;

/** Ends the call with status s (first one wins). */
export function fail(s: i32): void {
  if (status == ST_RUNNING) status = s;
}

/** Ends the call with status s and operands. */
export function failWith(s: i32, a: u64, b: u64 = 0, c: u64 = 0, d: u64 = 0, e: u64 = 0): void {
  if (status != ST_RUNNING) return;
  status = s;
  store<u64>(RESULT, a); store<u64>(RESULT, b, 8); store<u64>(RESULT, c, 16);
  store<u64>(RESULT, d, 24); store<u64>(RESULT, e, 32);
}

export function resetStatus(): void { status = ST_RUNNING; }
