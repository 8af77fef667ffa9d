/**
 * Where an engine call's regions lie in the instance's memory. The regions
 * after the domain's static tables are laid out afresh for each call from
 * the current capacities (which grow when a region turns out too small) and
 * the problem's size.
 */
import { memoBytes, memoEntries } from '../jit/helper-memo.js';
import {
  CP_BYTES, FRAME_BYTES, HASH_ENTRY_BYTES, RESULT_WORDS, SLOT_BYTES, STAMP_BYTES, STATE_INPUT_BYTES, STAT_COUNT, SYM_STRIDE,
  TRAIL_ENTRY_BYTES, VALUE_BYTES, VARLIST_BYTES,
} from './engine-abi.js';

/** Bytes of one choice point (the ABI's). */
export { CP_BYTES };
/** Frames of the interpreter's call stack. */
export const FSTACK_CAP = 200_000;
/** Bytes of the helper memo's record of reads (wasm/assembly/reads.ts). */
export const REC_BYTES = 16 * 1024;
/** Bytes the dense slot index may take. */
const DENSE_BUDGET = 8 * 1024 * 1024;

/** Region capacities; doubled one at a time when the engine reports a region full. */
export interface Caps { slots: number; trail: number; choices: number; vstack: number; plan: number; arena: number; trace: number; keys: number }

/** The capacities a new engine starts with. */
export const INITIAL_CAPS: Caps = { slots: 128, trail: 16384, choices: 1024, vstack: 16384, plan: 4096, arena: 1 << 20, trace: 0, keys: 1 << 16 };

/** Addresses (and a few sizes) of one call's regions. */
export interface Layout {
  symtab: number; varlist: number; hash: number; hashCap: number; slots: number; trail: number; choices: number;
  vstack: number; fstack: number; plan: number; result: number; stats: number; trace: number; keys: number; memo: number; memoEntries: number; slotw: number; varw: number; rec: number; varrow: number; dense: number;
  denseRows: number; denseK: number; input: number; arena: number; end: number;
}

/** n rounded up to a multiple of a. */
export const align = (n: number, a = 8): number => Math.ceil(n / a) * a;

/** What a layout is computed from. */
export interface LayoutInput {
  /** First free byte after the domain's static tables. */
  staticEnd: number;
  caps: Caps;
  nsyms: number;
  /** State entries the problem writer may write. */
  stateEntries: number;
  /** State variables that may get a dense row, and how many small-integer columns. */
  dense: { vars: number; k: number };
  /** Whether the domain has compiled code (which needs the helper memo's table). */
  jit: boolean;
}

/** The regions of one call. */
export function computeLayout(x: LayoutInput): Layout {
  const c = x.caps;
  // Dense rows for the variables (plus room for a few the actions add), within a fixed budget.
  const denseK = Math.min(x.dense.k, 1 << 16);
  const width = x.nsyms + denseK;
  const denseRows = Math.max(0, Math.min(x.dense.vars + 4, Math.floor(DENSE_BUDGET / (width * 4))));
  let hashCap = 16;
  while (hashCap < c.slots * 2) hashCap <<= 1;
  // The compiled code's helper memo (none without it).
  const memoN = x.jit ? memoEntries(x.stateEntries) : 0;
  let p = x.staticEnd;
  const take = (bytes: number): number => { const at = p; p = align(p + bytes); return at; };
  const l = {
    symtab: take(x.nsyms * SYM_STRIDE * 4), varlist: take(x.nsyms * VARLIST_BYTES), hash: take(hashCap * HASH_ENTRY_BYTES), hashCap,
    slots: take(c.slots * SLOT_BYTES), trail: take(c.trail * TRAIL_ENTRY_BYTES), choices: take(c.choices * CP_BYTES),
    vstack: take(c.vstack * VALUE_BYTES), fstack: take(FSTACK_CAP * FRAME_BYTES), plan: take(c.plan * VALUE_BYTES),
    result: take(RESULT_WORDS * 8), stats: take(STAT_COUNT * 8),
    trace: take(c.trace), keys: take(c.keys), memo: take(memoBytes(memoN)), memoEntries: memoN,
    slotw: take(c.slots * STAMP_BYTES), varw: take(x.nsyms * STAMP_BYTES), rec: take(REC_BYTES), varrow: take(x.nsyms * 4),
    dense: take(denseRows * width * 4), denseRows, denseK, input: take(x.stateEntries * STATE_INPUT_BYTES), arena: 0, end: 0,
  };
  l.arena = p;
  l.end = p + c.arena;
  return l;
}
