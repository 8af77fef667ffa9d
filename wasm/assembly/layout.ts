// Region addresses of the engine's linear memory, set by the host through
// `configure` before each planning call. The host owns the layout so that it
// can grow a region that ran out (the engine reports which) and run again.

/** Bytecode, i32 words. */
export let CODE: usize = 0;
/** Literal pool, u64 values. */
export let CONSTS: usize = 0;
/** Function table: 4 i32 per function (code start, params, locals, kind). */
export let FUNCS: usize = 0;
/** Per-symbol dispatch: SYM_STRIDE i32 per symbol id. */
export let SYMTAB: usize = 0;
/** Method lists referenced by SYMTAB and MGMETHODS, i32 function indices. */
export let METHODS: usize = 0;
/** Multigoal method list: count, then function indices (-2 = split_multigoal). */
export let MGMETHODS: usize = 0;
/** Number of symbols (domain and problem). */
export let NSYMS: i32 = 0;

/** State hash table: HASH_CAP entries of 16 bytes (key u64, var i32, slot i32). */
export let HASH: usize = 0;
export let HASH_CAP: i32 = 0;
/** Slots: SLOT_CAP entries of 24 bytes (value u64, key u64, var i32, next i32). */
export let SLOTS: usize = 0;
export let SLOT_CAP: i32 = 0;
/** Per-symbol head and tail slot of each state variable's key list (2 i32 per symbol). */
export let VARLIST: usize = 0;

/** Undo trail: 16 bytes per entry (slot i32, pad, old value u64). */
export let TRAIL: usize = 0;
export let TRAIL_CAP: i32 = 0;
/** Choice points: CP_BYTES each. */
export let CHOICES: usize = 0;
export let CHOICE_CAP: i32 = 0;
/** Bump arena for tuples, lists, multigoals and todo cells: [ARENA, ARENA_END). */
export let ARENA: usize = 0;
export let ARENA_END: usize = 0;
/** VM value stack (u64) and frame stack (3 i32 per frame). */
export let VSTACK: usize = 0;
export let VSTACK_CAP: i32 = 0;
export let FSTACK: usize = 0;
export let FSTACK_CAP: i32 = 0;
/** Plan: item values (u64). */
export let PLAN: usize = 0;
export let PLAN_CAP: i32 = 0;
/** Trace buffer: [TRACE, TRACE_END). */
export let TRACE: usize = 0;
export let TRACE_END: usize = 0;
/** Result area: status and up to 8 u64 operands, written on errors and limits. */
export let RESULT: usize = 0;
/**
 * Dense slot index: DENSE_ROWS rows of (NSYMS + DENSE_K) i32 slot numbers, so
 * a symbol key s or an integer key 0 <= k < DENSE_K finds its slot with one
 * load; VARROW maps a variable's symbol to the byte address of its row (0: none, use the hash).
 */
export let DENSE: usize = 0;
export let DENSE_ROWS: i32 = 0;
export let DENSE_K: i32 = 0;
export let VARROW: usize = 0;
export function setDense(dense: usize, rows: i32, k: i32, varrow: usize): void {
  DENSE = dense; DENSE_ROWS = rows; DENSE_K = k; VARROW = varrow;
}
/** Key heap: tuple keys added while planning, [KEYS, KEYS_END). */
export let KEYS: usize = 0;
export let KEYS_END: usize = 0;

export { SYM_STRIDE, SYM_ACTION, SYM_COMMAND, SYM_TASK_START, SYM_TASK_COUNT, SYM_GOAL_START, SYM_GOAL_COUNT } from './abi';

/** Sets every region address; called by the host before `plan`. */
export function configure(
  code: usize, consts: usize, funcs: usize, symtab: usize, methods: usize, mgmethods: usize, nsyms: i32,
  hash: usize, hashCap: i32, slots: usize, slotCap: i32, varlist: usize,
  trail: usize, trailCap: i32, choices: usize, choiceCap: i32,
  arena: usize, arenaEnd: usize, vstack: usize, vstackCap: i32, fstack: usize, fstackCap: i32,
  plan: usize, planCap: i32, trace: usize, traceEnd: usize, result: usize, keys: usize, keysEnd: usize,
): void {
  CODE = code; CONSTS = consts; FUNCS = funcs; SYMTAB = symtab; METHODS = methods; MGMETHODS = mgmethods; NSYMS = nsyms;
  HASH = hash; HASH_CAP = hashCap; SLOTS = slots; SLOT_CAP = slotCap; VARLIST = varlist;
  TRAIL = trail; TRAIL_CAP = trailCap; CHOICES = choices; CHOICE_CAP = choiceCap;
  ARENA = arena; ARENA_END = arenaEnd; VSTACK = vstack; VSTACK_CAP = vstackCap; FSTACK = fstack; FSTACK_CAP = fstackCap;
  PLAN = plan; PLAN_CAP = planCap; TRACE = trace; TRACE_END = traceEnd; RESULT = result;
  KEYS = keys; KEYS_END = keysEnd;
}
