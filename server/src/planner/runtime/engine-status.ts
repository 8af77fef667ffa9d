/**
 * Status codes and trace event kinds of the WASM engine, by name (the
 * numbers are the ABI's: engine-abi.ts), and what each means to a result.
 */
import type { LimitKind, TraceEventKind } from '../types.js';
import * as A from './engine-abi.js';

/** The engine's status codes, as `ST.NAME` for `ST_NAME` of the ABI. */
export const ST = {
  PLAN: A.ST_PLAN, NO_PLAN: A.ST_NO_PLAN,
  ERR_NOT_DISPATCHABLE: A.ST_ERR_NOT_DISPATCHABLE, ERR_VERIFY_G: A.ST_ERR_VERIFY_G, ERR_VERIFY_MG: A.ST_ERR_VERIFY_MG,
  ERR_TYPE: A.ST_ERR_TYPE, ERR_ARITY: A.ST_ERR_ARITY, ERR_BAD_DECOMP: A.ST_ERR_BAD_DECOMP, ERR_CALL_DEPTH: A.ST_ERR_CALL_DEPTH,
  ERR_BAD_ITER: A.ST_ERR_BAD_ITER, ERR_STATE_VALUE: A.ST_ERR_STATE_VALUE, ERR_CHOOSE: A.ST_ERR_CHOOSE, ERR_COST: A.ST_ERR_COST,
  LIMIT_EXPANSIONS: A.ST_LIMIT_EXPANSIONS, LIMIT_DEPTH: A.ST_LIMIT_DEPTH, LIMIT_PLAN_LENGTH: A.ST_LIMIT_PLAN_LENGTH,
  LIMIT_DEADLINE: A.ST_LIMIT_DEADLINE, LIMIT_CANCELLED: A.ST_LIMIT_CANCELLED,
  SPACE_SLOTS: A.ST_SPACE_SLOTS, SPACE_TRAIL: A.ST_SPACE_TRAIL, SPACE_CHOICES: A.ST_SPACE_CHOICES, SPACE_ARENA: A.ST_SPACE_ARENA,
  SPACE_VSTACK: A.ST_SPACE_VSTACK, SPACE_PLAN: A.ST_SPACE_PLAN, SPACE_KEYS: A.ST_SPACE_KEYS,
} as const;

/** Whether status st reports a full region, which the host grows before running again. */
export const isSpaceStatus = (st: number): boolean => st >= A.ST_SPACE_FIRST;

/** Which limit each limit status stands for. */
export const LIMIT_OF: Record<number, LimitKind> = {
  [ST.LIMIT_EXPANSIONS]: 'expansions',
  [ST.LIMIT_DEPTH]: 'depth',
  [ST.LIMIT_PLAN_LENGTH]: 'plan_length',
  [ST.LIMIT_DEADLINE]: 'deadline',
  [ST.LIMIT_CANCELLED]: 'cancelled',
};

/** Trace event kinds by engine code. */
export const EVENT_OF: Record<number, TraceEventKind> = {
  [A.EV_TODO]: 'todo', [A.EV_METHOD_TRIED]: 'method_tried', [A.EV_METHOD_FAILED]: 'method_failed',
  [A.EV_ACTION_APPLIED]: 'action_applied', [A.EV_ACTION_FAILED]: 'action_failed', [A.EV_GOAL_ACHIEVED]: 'goal_achieved',
  [A.EV_GOAL_VERIFIED]: 'goal_verified', [A.EV_BACKTRACK]: 'backtrack',
};

/** Operator names for type-error messages, by opcode. */
export const OP_NAMES: Record<number, string> = {
  20: '+', 21: '-', 22: '*', 23: '/', 24: '//', 25: '%', 28: '<', 29: '<=', 30: '>', 31: '>=',
  32: 'in', 33: 'not in', 35: 'unary -', 54: '[]', 55: '.', 56: '.', 58: 'len', 59: 'abs', 60: 'min', 61: 'max',
};
