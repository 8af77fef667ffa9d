// The call's status. The codes are the ABI's (abi.ts); errors and limits also
// leave operands in the RESULT area for the host to build a message from.
import { RESULT } from './layout';

export {
  ST_RUNNING, ST_PLAN, ST_NO_PLAN, ST_ERR_NOT_DISPATCHABLE, ST_ERR_VERIFY_G, ST_ERR_VERIFY_MG, ST_ERR_TYPE, ST_ERR_ARITY, ST_ERR_BAD_DECOMP, ST_ERR_CALL_DEPTH, ST_ERR_BAD_ITER, ST_ERR_STATE_VALUE, ST_ERR_CHOOSE, ST_ERR_COST, ST_LIMIT_EXPANSIONS, ST_LIMIT_DEPTH, ST_LIMIT_PLAN_LENGTH, ST_LIMIT_DEADLINE, ST_LIMIT_CANCELLED, ST_SPACE_SLOTS, ST_SPACE_TRAIL, ST_SPACE_CHOICES, ST_SPACE_ARENA, ST_SPACE_VSTACK, ST_SPACE_PLAN, ST_SPACE_KEYS,
} from './abi';
import { ST_RUNNING } from './abi';

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
