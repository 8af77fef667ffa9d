/**
 * Status codes and trace event kinds of the WASM engine (mirrors
 * wasm/assembly/status.ts and search.ts).
 */
import type { LimitKind, TraceEventKind } from '../types.js';

export const ST = {
  PLAN: 1, NO_PLAN: 2,
  ERR_NOT_DISPATCHABLE: 10, ERR_VERIFY_G: 11, ERR_VERIFY_MG: 12, ERR_TYPE: 13, ERR_ARITY: 14,
  ERR_BAD_DECOMP: 15, ERR_CALL_DEPTH: 16, ERR_BAD_ITER: 17, ERR_STATE_VALUE: 18, ERR_CHOOSE: 19,
  LIMIT_EXPANSIONS: 30, LIMIT_DEPTH: 31, LIMIT_PLAN_LENGTH: 32, LIMIT_DEADLINE: 33, LIMIT_CANCELLED: 34,
  SPACE_SLOTS: 40, SPACE_TRAIL: 41, SPACE_CHOICES: 42, SPACE_ARENA: 43, SPACE_VSTACK: 44, SPACE_PLAN: 46, SPACE_KEYS: 47,
} as const;

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
  1: 'todo', 2: 'method_tried', 3: 'method_failed', 4: 'action_applied', 5: 'action_failed',
  6: 'goal_achieved', 7: 'goal_verified', 8: 'backtrack',
};

/** Operator names for type-error messages, by opcode. */
export const OP_NAMES: Record<number, string> = {
  20: '+', 21: '-', 22: '*', 23: '/', 24: '//', 25: '%', 28: '<', 29: '<=', 30: '>', 31: '>=',
  32: 'in', 33: 'not in', 35: 'unary -', 54: '[]', 55: '.', 56: '.', 58: 'len', 59: 'abs', 60: 'min', 61: 'max',
};
