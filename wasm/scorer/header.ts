// The header's fields: the host (server/src/services/shape/score-kernel.ts)
// writes the same numbers; keep the two lists in step.

/** i32 fields. */
export const H_SLOTS = 0;
export const H_ROWS = 1;
export const H_PICKED = 2;
export const H_CONDS = 3;
export const H_CONSTRAINTS = 4;
export const H_SLOT_OFF = 5;
export const H_PREF = 6;
export const H_STYLE = 7;
export const H_NUM = 8;
export const H_CUM = 9;
export const H_COND_OP = 10;
export const H_COND_SLOT = 11;
export const H_COND_ARG = 12;
export const H_COND_LIT = 13;
export const H_MASK = 14;
export const H_CONS_KIND = 15;
export const H_CONS_WHEN = 16;
export const H_CONS_FIRST = 17;
export const H_CONS_LEN = 18;
export const H_CONS_BOUND = 19;
export const H_SLOT_CONS = 20;
export const H_CONS_LIST = 21;
export const H_CANDS = 22;
export const H_PICKS = 23;
export const H_SCORES = 24;
export const H_VIOL = 25;
export const H_MIN_DIST = 26;
export const H_ALIAS_PROB = 27;
export const H_ALIAS_IDX = 28;
export const HEADER_INTS = 32;

/** f64 fields. */
export const F_PENALTY = 0;
export const F_DIVERSITY = 1;
export const HEADER_FLOATS = 4;

/** Condition ops: value index equal / not; numeric compare with a literal; value in a mask; OP_SLOT + op: numeric compare with another slot. */
export const OP_EQ = 0;
export const OP_NE = 1;
export const OP_LT = 2;
export const OP_LE = 3;
export const OP_GT = 4;
export const OP_GE = 5;
export const OP_IN = 6;
export const OP_NOT_IN = 7;
export const OP_SLOT = 8;

/** Constraint kinds. */
export const K_REQUIRES = 0;
export const K_EXCLUDES = 1;
export const K_AT_MOST = 2;
export const K_AT_LEAST = 3;
