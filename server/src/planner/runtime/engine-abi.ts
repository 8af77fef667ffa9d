/**
 * The engine's ABI as the host sees it: a mirror of wasm/assembly/abi.ts,
 * the one place the engine defines these numbers. Same names, same values;
 * test/planner/runtime/engine-abi.test.ts fails, naming the constant, when
 * the two drift. Host code reads these names, never the bare numbers.
 */

// ---- Status codes: a planning call ends with exactly one of them. ----
export const ST_RUNNING = 0;
export const ST_PLAN = 1;
export const ST_NO_PLAN = 2;
// Domain bugs found while planning (status 'error'); the RESULT area holds the operands noted.
export const ST_ERR_NOT_DISPATCHABLE = 10; // [item, depth]
export const ST_ERR_VERIFY_G = 11; // [fn, var, key, value, depth]
export const ST_ERR_VERIFY_MG = 12; // [fn, mg, depth]
export const ST_ERR_TYPE = 13; // [fn, pc, a, b]: an operator got values it does not take
export const ST_ERR_ARITY = 14; // [fn, item]: item has the wrong number of arguments
export const ST_ERR_BAD_DECOMP = 15; // [fn, value]: a method returned something other than a list
export const ST_ERR_CALL_DEPTH = 16; // [fn]: helper recursion too deep
export const ST_ERR_BAD_ITER = 17; // [fn, pc, value]: iteration over a value that is not a collection
export const ST_ERR_STATE_VALUE = 18; // [fn, pc, value]: state key or value of a kind the state cannot hold
export const ST_ERR_CHOOSE = 19; // [fn]: more choice points than the engine keeps
export const ST_ERR_COST = 20; // [fn, value]: an action's cost is not a non-negative finite number
// Limits (status 'limit').
export const ST_LIMIT_EXPANSIONS = 30;
export const ST_LIMIT_DEPTH = 31;
export const ST_LIMIT_PLAN_LENGTH = 32;
export const ST_LIMIT_DEADLINE = 33;
export const ST_LIMIT_CANCELLED = 34;
// A region is full: the host grows it (within the memory limit) and runs again. Every space status is >= ST_SPACE_FIRST.
export const ST_SPACE_FIRST = 40;
export const ST_SPACE_SLOTS = 40;
export const ST_SPACE_TRAIL = 41;
export const ST_SPACE_CHOICES = 42;
export const ST_SPACE_ARENA = 43;
export const ST_SPACE_VSTACK = 44;
export const ST_SPACE_PLAN = 46;
export const ST_SPACE_KEYS = 47;

// ---- `apply` (acting) results below the status codes. ----
export const APPLY_FAILED = 0;
export const APPLY_DONE = 1;

// ---- Trace events: a 16-byte header (kind, depth, fn, n: i32) then n u64 words. ----
export const EV_TODO = 1;
export const EV_METHOD_TRIED = 2;
export const EV_METHOD_FAILED = 3;
export const EV_ACTION_APPLIED = 4;
export const EV_ACTION_FAILED = 5;
export const EV_GOAL_ACHIEVED = 6;
export const EV_GOAL_VERIFIED = 7;
export const EV_BACKTRACK = 8;
/** Or-ed into an event's kind when its one word is a multigoal's name. */
export const EV_MG_FLAG = 0x100;
export const EV_HEADER_BYTES = 16;

// ---- Values: NaN-boxed words, BOX_HI in the top 16 bits and a tag in bits 32..47. ----
export const BOX_HI = 0xFFF8;
export const TAG_SYM = 1;
export const TAG_BOOL = 2;
export const TAG_NIL = 3;
export const TAG_TUPLE = 4;
export const TAG_LIST = 5;
export const TAG_SET = 6;
export const TAG_MAP = 7;
export const TAG_MG = 8;
/** A bare state-variable name used as a value (payload: its symbol id). */
export const TAG_VARREF = 9;
/** `mg.var` (payload: address of a 2-word cell [mg, var symbol]). */
export const TAG_MGVAR = 10;
/** Internal: a state slot whose key is not present. */
export const TAG_ABSENT = 11;
/** Internal todo item: verify a unigoal (payload: address of [fn, var, key, val, depth]). */
export const TAG_VERIFY_G = 12;
/** Internal todo item: verify a multigoal (payload: address of [fn, mg, depth]). */
export const TAG_VERIFY_MG = 13;
/** A multigoal object: [name, count, cap] words, then count (var, key, value) triples. */
export const MG_HEADER_BYTES = 24;
export const MG_TRIPLE_BYTES = 24;

// ---- Function table: FUNC_STRIDE i32 per function. ----
export const FUNC_STRIDE = 4;
export const FUNC_CODE = 0;
export const FUNC_PARAMS = 1;
export const FUNC_LOCALS = 2;
export const FUNC_KIND = 3;
// Function kinds, in the low byte of FUNC_KIND.
export const FN_HELPER = 0;
export const FN_ACTION = 1;
export const FN_COMMAND = 2;
export const FN_METHOD = 3;
/** In FUNC_KIND: the function has no compiled code; interpret its bytecode. */
export const INTERPRETED_FLAG = 0x100;
/** In FUNC_KIND: the method's body has a `choose` (its choice point holds the bindings). */
export const CHOOSE_FLAG = 0x200;
/** In a method list: the built-in split_multigoal instead of a function index. */
export const SPLIT_MULTIGOAL = -2;

// ---- Symbol table: SYM_STRIDE i32 per symbol id. ----
export const SYM_STRIDE = 8;
/** Function index of the action of this name, -1 for none. */
export const SYM_ACTION = 0;
/** Function index of the command of this name, -1 for none. */
export const SYM_COMMAND = 1;
/** Task methods: first index in METHODS, and how many. */
export const SYM_TASK_START = 2;
export const SYM_TASK_COUNT = 3;
/** Unigoal methods of the state variable of this name: first index in METHODS, and how many. */
export const SYM_GOAL_START = 4;
export const SYM_GOAL_COUNT = 5;
/** Function index of the cost expression of the action of this name, -1 for none (cost 1). */
export const SYM_COST = 6;

// ---- State records. ----
/** A slot: value u64, key u64, var i32, next slot i32. */
export const SLOT_BYTES = 24;
export const SLOT_VALUE = 0;
export const SLOT_KEY = 8;
export const SLOT_VAR = 16;
export const SLOT_NEXT = 20;
/** A hash entry: key u64, var i32, slot i32. */
export const HASH_ENTRY_BYTES = 16;
export const HASH_VAR = 8;
export const HASH_SLOT = 12;
/** A variable's key list: head slot i32, tail slot i32. */
export const VARLIST_BYTES = 8;
/** A trail entry: slot i32, pad, old value u64. */
export const TRAIL_ENTRY_BYTES = 16;
export const TRAIL_SLOT = 0;
export const TRAIL_OLD = 8;
/** A state triple the host writes for loadState: var symbol, key, value (u64 each). */
export const STATE_INPUT_BYTES = 24;
/** A slot's or variable's write stamp (wasm/assembly/reads.ts). */
export const STAMP_BYTES = 4;
/** The write clock value at which the engine starts its stamps again (wasm/assembly/reads.ts noteWrite). */
export const CLOCK_WRAP = 0x7ffffff0;

// ---- Interpreter stacks. ----
export const VALUE_BYTES = 8;
/** A frame of the interpreter's call stack: 3 i32. */
export const FRAME_BYTES = 12;

// ---- Choice points: CP_BYTES each (wasm/assembly/choice.ts). ----
/** Bindings of `choose` one method may make. */
export const MAX_CHOOSE = 16;
export const CP_KIND = 0;
export const CP_METHOD = 4;
export const CP_ITEM = 8;
export const CP_REST = 16;
export const CP_TRAIL = 20;
export const CP_ARENA = 24;
export const CP_PLAN_LEN = 28;
export const CP_DEPTH = 32;
export const CP_REACHED = 36;
export const CP_RESUME = 40;
export const CP_PLAN_HEAP = 44;
/** MAX_CHOOSE i32 binding indices, then MAX_CHOOSE i32 binding counts. */
export const CP_CHOOSE_IDX = 48;
export const CP_CHOOSE_N = 112;
/** f64: the plan's cost so far when the choice point was made (costs, branch-and-bound). */
export const CP_COST = 176;
export const CP_BYTES = 184;

// ---- statsTo: f64 figures, by index. ----
export const STAT_SLOTS = 0;
export const STAT_TRAIL_PEAK = 1;
export const STAT_CHOICE_PEAK = 2;
export const STAT_ARENA_PEAK = 3;
export const STAT_PLAN_LEN = 4;
export const STAT_EXPANSIONS = 5;
export const STAT_BACKTRACKS = 6;
export const STAT_MAX_DEPTH = 7;
/** The plan's total cost (when costs are on, else 0). */
export const STAT_COST = 8;
export const STAT_COUNT = 9;
/** Operands of an error or limit in the RESULT area: up to RESULT_WORDS u64. */
export const RESULT_WORDS = 8;
