/**
 * A memo of helper-function results. Helpers are pure: their value depends
 * on their arguments and the state, and only actions write the state. The
 * blocks domains' `status`/`is_done` are asked about every clear block at
 * every step, and one step moves one block: most answers still hold.
 *
 * The memo is a direct-mapped table of memoEntries(state size) entries of ENTRY_BYTES
 * in the engine's memory (its own region of the layout):
 *   0 tag (epoch << 12 | helper index), 8 arg 0, 16 arg 1, 24 value,
 *   32 generation, 40 write clock when computed, 44 count of reads (-1:
 *   none kept), 48 the reads (stamp indices, i32 each, DEPS_MAX at most).
 * An entry holds while its generation is current (a global of the compiled
 * module that goes up at each entry from the engine and each state write:
 * the state has not changed since). Past that, it still holds when none of
 * the slots and variables it read has been written since it was computed
 * (wasm/assembly/reads.ts keeps the stamps and notes the reads); it is then
 * made current again. An entry keeps its reads only when its arguments and
 * value are words that stay put for the whole call (numbers, symbols, or
 * objects of the problem, below the arena floor; a symbol, boolean, nil or
 * variable word has a small payload, below it too): an arena object may be
 * reclaimed and its address reused by another. The epoch (the engine's,
 * new for each problem) keeps entries of an earlier call from matching.
 * Argument words are compared as words: equal words are equal values
 * (sequences and multigoals are immutable), unequal words merely miss.
 */
import type { Stmt } from '../language/ast.js';
import { Bytes, Op, I32, I64, type ModuleWriter } from './wasm-writer.js';
import { Asm } from './asm.js';
import type { MemoImportIndex } from './runtime-imports.js';

/** Bytes of one entry (a power of two), and the most reads an entry keeps. */
const ENTRY_SHIFT = 7;
const DEPS_MAX = 20;
/** Entries of the table, a power of two, at least and at most. */
const MIN_ENTRIES = 2048;
const MAX_ENTRIES = 32768;

/**
 * Entries of the table for a problem of this many state entries: four per
 * entry (a helper is mostly asked about each key of a variable or two), so
 * that 1,000 blocks do not evict each other's answers; 256 KiB at least,
 * 4 MiB at most.
 */
export function memoEntries(stateEntries: number): number {
  let n = MIN_ENTRIES;
  while (n < stateEntries * 4 && n < MAX_ENTRIES) n <<= 1;
  return n;
}

/** Bytes of a table of n entries. */
export const memoBytes = (n: number): number => n << ENTRY_SHIFT;

/** The hash's shift for a table of n entries: its top log2(n) bits index the table. */
export const memoShift = (n: number): bigint => BigInt(64 - Math.log2(n));
/** Helpers with more arguments, or an index from 4096 on, are not memoised. */
export const MEMO_MAX_ARGS = 2;
const MAX_INDEX = 4096;

/**
 * The compiled module's memo: the table's address (set by the host), the
 * generation, the hash shift, the engine's read-record globals, the
 * engine's rt_record (reads.ts: notes one read) and noteHit.
 */
export interface MemoGlobals {
  base: number; gen: number; shift: number; reads: MemoImportIndex;
  record: number; noteHit: number;
}

/** Adds the memo's globals and functions to m. */
export function addMemo(m: ModuleWriter, reads: MemoImportIndex, rtRecord: number): MemoGlobals {
  const base = m.global(0), gen = m.global(1, I64), shift = m.global(64 - Math.log2(MIN_ENTRIES), I64);
  const noteHit = m.func([I32], []);
  m.nameFunc(noteHit, 'memo:noteHit');
  const r = reads;
  // noteHit(at): a computation under way used the entry: its reads are that computation's too.
  {
    const AT = 0, P = 1, E = 2;
    const a = new Asm();
    a.get(AT).load32(44).tee(E).i32(0).o(Op.i32_lt_s).if().i32(1).gset(r.recPoison).ret().end();
    a.get(AT).i32(48).o(Op.i32_add).tee(P).get(E).i32(2).o(Op.i32_shl).o(Op.i32_add).set(E);
    a.block().loop();
    a.get(P).get(E).o(Op.i32_ge_u).brIf(1);
    a.get(P).load32().call(rtRecord).get(P).i32(4).o(Op.i32_add).set(P).br(0);
    a.end().end();
    m.setBody(noteHit, [I32, I32], a.code);
  }
  return { base, gen, shift, reads, record: rtRecord, noteHit };
}

/** Locals of emitSave: the entry, its tag, argument and value words, where its reads start, and scratch. */
interface SaveLocals { at: number; tag: number; args: number[]; value: number; start: number; n: number; p: number; q: number }

/**
 * Emits, in place, the keeping of a value computed with the reads noted
 * from `start` on: always for its generation, and with its reads when they
 * fit and every word stays put for the call (a number, or a payload below
 * the arena floor: a symbol, boolean, nil or variable has a small payload;
 * an object there belongs to the problem or the domain).
 */
function emitSave(c: Bytes, g: MemoGlobals, l: SaveLocals): void {
  const r = g.reads;
  const a = new Asm();
  a.block();
  a.get(l.at).get(l.tag).store64(0);
  l.args.forEach((w, i) => a.get(l.at).get(w).store64(8 + i * 8));
  a.get(l.at).get(l.value).store64(24).get(l.at).gget(g.gen).store64(32);
  a.gget(r.recTop).get(l.start).o(Op.i32_sub).i32(2).o(Op.i32_shr_s).set(l.n);
  a.get(l.at).i32(-1).store32(44);
  a.gget(r.recPoison).get(l.n).i32(DEPS_MAX).o(Op.i32_gt_s).o(Op.i32_or).brIf(0);
  const words = [l.value, ...l.args];
  for (const w of words) a.get(w).i64(48n).o(Op.i64_shr_u).i64(0xfff8n).o(Op.i64_ne).get(w).wrap().gget(r.arenaFloor).o(Op.i32_lt_u).o(Op.i32_or);
  for (let i = 1; i < words.length; i++) a.o(Op.i32_and);
  a.o(Op.i32_eqz).brIf(0);
  a.get(l.at).gget(r.writeClock).store32(40).get(l.at).get(l.n).store32(44);
  a.get(l.start).set(l.p).get(l.at).i32(48).o(Op.i32_add).set(l.q);
  a.block().loop();
  a.get(l.p).gget(r.recTop).o(Op.i32_ge_u).brIf(1);
  a.get(l.q).get(l.p).load32().store32().get(l.p).i32(4).o(Op.i32_add).set(l.p).get(l.q).i32(4).o(Op.i32_add).set(l.q).br(0);
  a.end().end();
  a.end();
  c.append(a.code);
}

/**
 * Emits revalidate(at) in place (the hit path of every memoised call goes
 * through it once per entry from the engine): 1 when no read of the entry
 * was written since it was computed, and the entry is made current.
 */
function emitRevalidate(c: Bytes, g: MemoGlobals, at: number, p: number, e: number, stamp: number): void {
  const a = new Asm();
  a.o(Op.block).o(I32);
  a.get(at).load32(44).tee(e).i32(0).o(Op.i32_lt_s).if().i32(0).br(1).end();
  a.get(at).load32(40).set(stamp);
  a.get(at).i32(48).o(Op.i32_add).tee(p).get(e).i32(2).o(Op.i32_shl).o(Op.i32_add).set(e);
  a.block().loop();
  a.get(p).get(e).o(Op.i32_ge_u).brIf(1);
  a.gget(g.reads.SLOTW).get(p).load32().i32(2).o(Op.i32_shl).o(Op.i32_add).load32().get(stamp).o(Op.i32_gt_s)
    .if().i32(0).br(3).end();
  a.get(p).i32(4).o(Op.i32_add).set(p).br(0);
  a.end().end();
  a.get(at).gget(g.gen).store64(32).i32(1);
  a.end();
  c.append(a.code);
}

/** Emits `if recording, note read d` where d is the i32 pushed by `push`. */
export function emitNoteRead(c: Bytes, g: MemoGlobals, push: () => void): void {
  c.u8(Op.global_get).u32(g.reads.recOn); c.u8(Op.if).u8(0x40);
  push(); c.u8(Op.call).u32(g.record);
  c.u8(Op.end);
}

/** One memoised call site. */
export interface MemoCall {
  /** Domain function index (part of the tag). */
  index: number;
  /** WebAssembly function index to call on a miss. */
  func: number;
  /** i64 locals holding the argument words. */
  args: number[];
  /** Allocates a local of a type. */
  temp(type: number): number;
  /** The engine's status global: a value computed while an error was raised is not kept. */
  status: number;
}

/**
 * Whether calls of a helper go through the memo: it must fit the table, and
 * be worth a lookup: it loops, builds a comprehension or calls a helper
 * (itself included). A one-line helper is cheaper to run again.
 */
export function worthMemo(index: number, params: string[], body: Stmt[], isHelper: (name: string) => boolean): boolean {
  return index < MAX_INDEX && params.length <= MEMO_MAX_ARGS && hasWork(body, isHelper);
}

function hasWork(node: unknown, isHelper: (name: string) => boolean): boolean {
  if (Array.isArray(node)) return node.some((x) => hasWork(x, isHelper));
  if (node === null || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  if ('for' in o || 'comp' in o) return true;
  if ('call' in o && isHelper((o.call as { fn: string }).fn)) return true;
  return Object.values(o).some((x) => hasWork(x, isHelper));
}

const GOLD = [0x9e3779b97f4a7c15n, 0xc2b2ae3d27d4eb4fn, 0x165667b19e3779f9n];

/** Emits the call: the memo's value on a hit, else the call, remembered; leaves the i64 value on the stack. */
export function emitMemoCall(c: Bytes, g: MemoGlobals, call: MemoCall): void {
  const tag = call.temp(I64), at = call.temp(I32), r = call.temp(I64), start = call.temp(I32);
  const get = (l: number): void => { c.u8(Op.local_get).u32(l); };
  const gget = (n: number): void => { c.u8(Op.global_get).u32(n); };
  const gset = (n: number): void => { c.u8(Op.global_set).u32(n); };
  const i64 = (n: bigint): void => { c.u8(Op.i64_const).s64(BigInt.asIntN(64, n)); };
  const i32 = (n: number): void => { c.u8(Op.i32_const).s32(n); };
  // tag = epoch << 12 | index
  gget(g.reads.memoEpoch); c.u8(Op.i64_extend_i32_u); i64(12n); c.u8(Op.i64_shl); i64(BigInt(call.index)); c.u8(Op.i64_or); c.u8(Op.local_set).u32(tag);
  // at = base + (hash(index, args) >> (64 - bits)) << ENTRY_SHIFT (the epoch is in the tag, not the hash):
  // the words rotated apart and xored, then one multiply, whose top bits depend on every bit.
  i64(BigInt(call.index + 1) * GOLD[1]!);
  call.args.forEach((a, i) => { get(a); if (i > 0) { i64(BigInt(23 * i)); c.u8(Op.i64_rotl); } c.u8(Op.i64_xor); });
  i64(GOLD[0]!); c.u8(Op.i64_mul); gget(g.shift); c.u8(Op.i64_shr_u); c.u8(Op.i32_wrap_i64);
  i32(ENTRY_SHIFT); c.u8(Op.i32_shl); gget(g.base); c.u8(Op.i32_add); c.u8(Op.local_set).u32(at);
  // A hit: the tag and every argument word match, and the entry is current or its reads still hold.
  get(at); c.u8(Op.i64_load).u32(3).u32(0); get(tag); c.u8(Op.i64_eq);
  call.args.forEach((a, i) => { get(at); c.u8(Op.i64_load).u32(3).u32(8 + i * 8); get(a); c.u8(Op.i64_eq); c.u8(Op.i32_and); });
  c.u8(Op.if).u8(I32);
  get(at); c.u8(Op.i64_load).u32(3).u32(32); gget(g.gen); c.u8(Op.i64_eq);
  c.u8(Op.if).u8(I32); i32(1); c.u8(Op.else); emitRevalidate(c, g, at, call.temp(I32), call.temp(I32), call.temp(I32)); c.u8(Op.end);
  c.u8(Op.else); i32(0); c.u8(Op.end);
  c.u8(Op.if).u8(I64);
  gget(g.reads.recOn); c.u8(Op.if).u8(0x40); get(at); c.u8(Op.call).u32(g.noteHit); c.u8(Op.end);
  get(at); c.u8(Op.i64_load).u32(3).u32(24);
  c.u8(Op.else);
  // A miss: compute with reads noted from here on.
  gget(g.reads.recTop); c.u8(Op.local_set).u32(start);
  gget(g.reads.recOn); i32(1); c.u8(Op.i32_add); gset(g.reads.recOn);
  for (const a of call.args) get(a);
  c.u8(Op.call).u32(call.func); c.u8(Op.local_set).u32(r);
  gget(g.reads.recOn); i32(1); c.u8(Op.i32_sub); gset(g.reads.recOn);
  // The call may have raised an error: keep only clean values.
  gget(call.status); c.u8(Op.i32_eqz);
  c.u8(Op.if).u8(0x40);
  emitSave(c, g, { at, tag, args: call.args, value: r, start, n: call.temp(I32), p: call.temp(I32), q: call.temp(I32) });
  c.u8(Op.end);
  // The outermost computation is over: the buffer starts again.
  gget(g.reads.recOn); c.u8(Op.i32_eqz);
  c.u8(Op.if).u8(0x40); gget(g.reads.REC); gset(g.reads.recTop); i32(0); gset(g.reads.recPoison); c.u8(Op.end);
  get(r);
  c.u8(Op.end);
}
