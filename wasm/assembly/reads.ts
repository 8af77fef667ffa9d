// Which parts of the state a helper read, and when each part was last
// written, so that the compiled code's helper memo can keep a helper's value
// across actions that did not write what it read (the blocks domains ask for
// the status of every clear block at every step; one step moves one block).
//
// Every state write stamps its slot and its variable with the write clock.
// While the compiled code computes a memoised helper (recOn > 0), every read
// is noted in the record buffer as the index of a stamp: a slot number, or
// VARDEP + variable for a read that depends on the whole variable
// (iteration, a missing key), whose stamp lies in VARW, right after SLOTW. The memo keeps
// the reads with the value; the value still holds while no noted slot or
// variable has a stamp newer than the clock when it was computed. The memo
// itself (server/src/planner/jit/helper-memo.ts) lives in the compiled code.

import { CLOCK_WRAP, STAMP_BYTES } from './abi';
import { NSYMS, SLOT_CAP } from './layout';

/** i32 per slot: the write clock at its last write. */
export let SLOTW: usize = 0;
/** i32 per symbol: the write clock at the last write of any key of that variable. */
export let VARW: usize = 0;
/** (VARW - SLOTW) / 4: the stamp index of variable v is VARDEP + v. */
export let VARDEP: i32 = 0;
/** Record buffer of noted reads: [REC, REC_END), i32 each. */
export let REC: usize = 0;
export let REC_END: usize = 0;

/** Writes so far in this call; a memo entry keeps the clock it was computed at. */
export let writeClock: i32 = 0;
/** Goes up for each new state (problem) and when the clock wraps: older memo entries never match. */
export let memoEpoch: i32 = 0;
/** Memoised helper computations under way; reads are noted only while it is above 0. */
export let recOn: i32 = 0;
/** Next free byte of the record buffer. */
export let recTop: usize = 0;
/** Set when a noted read was lost (buffer full) or came from a value that cannot be checked: nothing computed now may be kept past its generation. */
export let recPoison: i32 = 0;

/** Sets the regions; called by the host with the layout. */
export function setReadRegions(slotw: usize, varw: usize, rec: usize, recEnd: usize): void {
  SLOTW = slotw; VARW = varw; REC = rec; REC_END = recEnd;
  VARDEP = <i32>((varw - slotw) >> 2);
}

/** A new state: no stamp or memo entry of an earlier one counts. */
export function readsReset(): void {
  writeClock = 0;
  memoEpoch++;
  recOn = 0; recTop = REC; recPoison = 0;
  memory.fill(VARW, 0, <usize>NSYMS << 2);
}

/** Slot s of variable v was written (or undone). */
@inline export function noteWrite(s: i32, v: u32): void {
  const c = ++writeClock;
  store<i32>(SLOTW + <usize>s * STAMP_BYTES, c);
  store<i32>(VARW + <usize>v * STAMP_BYTES, c);
  if (c == CLOCK_WRAP) clockWrap();
}

/** A new slot: never written yet in this state. */
@inline export function noteNewSlot(s: i32): void { store<i32>(SLOTW + <usize>s * STAMP_BYTES, writeClock); }

/** The write clock reached its limit (two billion writes in one call): stamps start again and every memo entry is dropped. */
export function clockWrap(): void {
  memoEpoch++;
  writeClock = 1;
  memory.fill(SLOTW, 0, <usize>SLOT_CAP << 2);
  memory.fill(VARW, 0, <usize>NSYMS << 2);
}

/** The stamp index of a read of the whole of variable v. */
@inline export function varDep(v: u32): i32 { return VARDEP + <i32>v; }

/** A read of stamp index d (a slot, or varDep(v)), noted while a memoised helper runs. */
@inline export function noteRead(d: i32): void { if (recOn != 0) record(d); }

/** Notes read d: once when it repeats the last one; poison when the buffer is full. */
export function record(d: i32): void {
  // The same read twice in a row (a helper reading pos[b] in two tests) is noted once.
  if (recTop > REC && load<i32>(recTop - 4) == d) return;
  if (recTop >= REC_END) { recPoison = 1; return; }
  store<i32>(recTop, d);
  recTop += 4;
}
