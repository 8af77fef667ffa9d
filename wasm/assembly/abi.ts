// The engine's ABI: every number the host (server/src/planner/runtime/
// engine-abi.ts) and the engine must agree on, defined here once. The host
// keeps a mirror of this file with the same names, and
// test/planner/runtime/engine-abi.test.ts reads this file's text and fails,
// naming the constant, when the two drift. Keep one `export const NAME: type
// = number;` per line: the test reads nothing else.

// ---- Status codes: a planning call ends with exactly one of them. ----
export const ST_RUNNING: i32 = 0;
export const ST_PLAN: i32 = 1;
export const ST_NO_PLAN: i32 = 2;
// Domain bugs found while planning (status 'error'); the RESULT area holds the operands noted.
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
export const ST_ERR_COST: i32 = 20; // [fn, value]: an action's cost is not a non-negative finite number
// Limits (status 'limit').
export const ST_LIMIT_EXPANSIONS: i32 = 30;
export const ST_LIMIT_DEPTH: i32 = 31;
export const ST_LIMIT_PLAN_LENGTH: i32 = 32;
export const ST_LIMIT_DEADLINE: i32 = 33;
export const ST_LIMIT_CANCELLED: i32 = 34;
// A region is full: the host grows it (within the memory limit) and runs again. Every space status is >= ST_SPACE_FIRST.
export const ST_SPACE_FIRST: i32 = 40;
export const ST_SPACE_SLOTS: i32 = 40;
export const ST_SPACE_TRAIL: i32 = 41;
export const ST_SPACE_CHOICES: i32 = 42;
export const ST_SPACE_ARENA: i32 = 43;
export const ST_SPACE_VSTACK: i32 = 44;
export const ST_SPACE_PLAN: i32 = 46;
export const ST_SPACE_KEYS: i32 = 47;

// ---- `apply` (acting) results below the status codes. ----
export const APPLY_FAILED: i32 = 0;
export const APPLY_DONE: i32 = 1;

// ---- Trace events: a 16-byte header (kind, depth, fn, n: i32) then n u64 words. ----
export const EV_TODO: i32 = 1;
export const EV_METHOD_TRIED: i32 = 2;
export const EV_METHOD_FAILED: i32 = 3;
export const EV_ACTION_APPLIED: i32 = 4;
export const EV_ACTION_FAILED: i32 = 5;
export const EV_GOAL_ACHIEVED: i32 = 6;
export const EV_GOAL_VERIFIED: i32 = 7;
export const EV_BACKTRACK: i32 = 8;
/** Or-ed into an event's kind when its one word is a multigoal's name. */
export const EV_MG_FLAG: i32 = 0x100;
export const EV_HEADER_BYTES: i32 = 16;

// ---- Values: NaN-boxed words, BOX_HI in the top 16 bits and a tag in bits 32..47. ----
export const BOX_HI: i32 = 0xFFF8;
export const TAG_SYM: u32 = 1;
export const TAG_BOOL: u32 = 2;
export const TAG_NIL: u32 = 3;
export const TAG_TUPLE: u32 = 4;
export const TAG_LIST: u32 = 5;
export const TAG_SET: u32 = 6;
export const TAG_MAP: u32 = 7;
export const TAG_MG: u32 = 8;
/** A bare state-variable name used as a value (payload: its symbol id). */
export const TAG_VARREF: u32 = 9;
/** `mg.var` (payload: address of a 2-word cell [mg, var symbol]). */
export const TAG_MGVAR: u32 = 10;
/** Internal: a state slot whose key is not present. */
export const TAG_ABSENT: u32 = 11;
/** Internal todo item: verify a unigoal (payload: address of [fn, var, key, val, depth]). */
export const TAG_VERIFY_G: u32 = 12;
/** Internal todo item: verify a multigoal (payload: address of [fn, mg, depth]). */
export const TAG_VERIFY_MG: u32 = 13;
/** A multigoal object: [name, count, cap] words, then count (var, key, value) triples. */
export const MG_HEADER_BYTES: i32 = 24;
export const MG_TRIPLE_BYTES: i32 = 24;

// ---- Function table: FUNC_STRIDE i32 per function. ----
export const FUNC_STRIDE: i32 = 4;
export const FUNC_CODE: i32 = 0;
export const FUNC_PARAMS: i32 = 1;
export const FUNC_LOCALS: i32 = 2;
export const FUNC_KIND: i32 = 3;
// Function kinds, in the low byte of FUNC_KIND.
export const FN_HELPER: i32 = 0;
export const FN_ACTION: i32 = 1;
export const FN_COMMAND: i32 = 2;
export const FN_METHOD: i32 = 3;
/** In FUNC_KIND: the function has no compiled code; interpret its bytecode. */
export const INTERPRETED_FLAG: i32 = 0x100;
/** In FUNC_KIND: the method's body has a `choose` (its choice point holds the bindings). */
export const CHOOSE_FLAG: i32 = 0x200;
/** In a method list: the built-in split_multigoal instead of a function index. */
export const SPLIT_MULTIGOAL: i32 = -2;

// ---- Symbol table: SYM_STRIDE i32 per symbol id. ----
export const SYM_STRIDE: i32 = 8;
/** Function index of the action of this name, -1 for none. */
export const SYM_ACTION: i32 = 0;
/** Function index of the command of this name, -1 for none. */
export const SYM_COMMAND: i32 = 1;
/** Task methods: first index in METHODS, and how many. */
export const SYM_TASK_START: i32 = 2;
export const SYM_TASK_COUNT: i32 = 3;
/** Unigoal methods of the state variable of this name: first index in METHODS, and how many. */
export const SYM_GOAL_START: i32 = 4;
export const SYM_GOAL_COUNT: i32 = 5;
/** Function index of the cost expression of the action of this name, -1 for none (cost 1). */
export const SYM_COST: i32 = 6;

// ---- State records. ----
/** A slot: value u64, key u64, var i32, next slot i32. */
export const SLOT_BYTES: i32 = 24;
export const SLOT_VALUE: i32 = 0;
export const SLOT_KEY: i32 = 8;
export const SLOT_VAR: i32 = 16;
export const SLOT_NEXT: i32 = 20;
/** A hash entry: key u64, var i32, slot i32. */
export const HASH_ENTRY_BYTES: i32 = 16;
export const HASH_VAR: i32 = 8;
export const HASH_SLOT: i32 = 12;
/** A variable's key list: head slot i32, tail slot i32. */
export const VARLIST_BYTES: i32 = 8;
/** A trail entry: slot i32, pad, old value u64. */
export const TRAIL_ENTRY_BYTES: i32 = 16;
export const TRAIL_SLOT: i32 = 0;
export const TRAIL_OLD: i32 = 8;
/** A state triple the host writes for loadState: var symbol, key, value (u64 each). */
export const STATE_INPUT_BYTES: i32 = 24;
/** A slot's or variable's write stamp (reads.ts). */
export const STAMP_BYTES: i32 = 4;
/** The write clock value at which the engine starts its stamps again (reads.ts noteWrite). */
export const CLOCK_WRAP: i32 = 0x7ffffff0;

// ---- Interpreter stacks. ----
export const VALUE_BYTES: i32 = 8;
/** A frame of the interpreter's call stack: 3 i32. */
export const FRAME_BYTES: i32 = 12;

// ---- Choice points: CP_BYTES each (search.ts, choice.ts). ----
/** Bindings of `choose` one method may make. */
export const MAX_CHOOSE: i32 = 16;
export const CP_KIND: i32 = 0;
export const CP_METHOD: i32 = 4;
export const CP_ITEM: i32 = 8;
export const CP_REST: i32 = 16;
export const CP_TRAIL: i32 = 20;
export const CP_ARENA: i32 = 24;
export const CP_PLAN_LEN: i32 = 28;
export const CP_DEPTH: i32 = 32;
export const CP_REACHED: i32 = 36;
export const CP_RESUME: i32 = 40;
export const CP_PLAN_HEAP: i32 = 44;
/** MAX_CHOOSE i32 binding indices, then MAX_CHOOSE i32 binding counts. */
export const CP_CHOOSE_IDX: i32 = 48;
export const CP_CHOOSE_N: i32 = 112;
/** f64: the plan's cost so far when the choice point was made (costs, branch-and-bound). */
export const CP_COST: i32 = 176;
export const CP_BYTES: i32 = 184;

// ---- statsTo: f64 figures, by index. ----
export const STAT_SLOTS: i32 = 0;
export const STAT_TRAIL_PEAK: i32 = 1;
export const STAT_CHOICE_PEAK: i32 = 2;
export const STAT_ARENA_PEAK: i32 = 3;
export const STAT_PLAN_LEN: i32 = 4;
export const STAT_EXPANSIONS: i32 = 5;
export const STAT_BACKTRACKS: i32 = 6;
export const STAT_MAX_DEPTH: i32 = 7;
/** The plan's total cost (when costs are on, else 0). */
export const STAT_COST: i32 = 8;
export const STAT_COUNT: i32 = 9;
/** Operands of an error or limit in the RESULT area: up to RESULT_WORDS u64. */
export const RESULT_WORDS: i32 = 8;
