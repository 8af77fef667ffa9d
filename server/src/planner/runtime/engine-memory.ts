/**
 * The engine's value words in WASM memory, as the host writes them: tags,
 * the symbol table, the word writer, and paths for error messages. See
 * wasm/assembly/values.ts for the word format: numbers are IEEE-754
 * doubles, everything else is NaN-boxed with 0xFFF8 in the top 16 bits, a
 * tag, and a 32-bit payload.
 */
import * as A from './engine-abi.js';

/** Value tags, as `Tag.NAME` for `TAG_NAME` of the ABI. */
export const Tag = {
  SYM: A.TAG_SYM, BOOL: A.TAG_BOOL, NIL: A.TAG_NIL, TUPLE: A.TAG_TUPLE, LIST: A.TAG_LIST, SET: A.TAG_SET, MAP: A.TAG_MAP,
  MG: A.TAG_MG, VARREF: A.TAG_VARREF, MGVAR: A.TAG_MGVAR, ABSENT: A.TAG_ABSENT,
} as const;

/** The top 16 bits of a boxed word, as the top of its high u32. */
const BOXED_HIGH = A.BOX_HI * 0x10000;
/** Per-call symbols kept from call to call, at most. */
const MAX_KEPT_EXTRA = 256;

/** Interns symbols: the domain's own, plus those problems bring (kept across calls, up to MAX_KEPT_EXTRA). */
export class SymbolTable {
  readonly names: string[];
  private readonly ids: Map<string, number>;
  private readonly baseCount: number;
  private extra = new Map<string, number>();
  private extraNames: string[] = [];

  constructor(names: string[]) {
    this.names = names;
    this.ids = new Map(names.map((n, i) => [n, i]));
    this.baseCount = names.length;
  }
  /** The id of a domain symbol, or undefined. */
  domainId(name: string): number | undefined { return this.ids.get(name); }
  /** The id of any symbol, adding a per-call one when new. */
  id(name: string): number {
    const d = this.ids.get(name);
    if (d !== undefined) return d;
    let e = this.extra.get(name);
    if (e === undefined) {
      e = this.baseCount + this.extraNames.length;
      this.extra.set(name, e);
      this.extraNames.push(name);
    }
    return e;
  }
  name(id: number): string { return id < this.baseCount ? this.names[id] : this.extraNames[id - this.baseCount]; }
  /** Symbols known now, domain and per-call. */
  get count(): number { return this.baseCount + this.extraNames.length; }
  /**
   * Forgets the per-call symbols once there are many: a stream of similar
   * problems brings the same few (a goal's name, say), and keeping them
   * saves rebuilding the table on every call; ids stay consistent because
   * the engine's symbol table is written from this one on every call.
   */
  resetCall(): void { if (this.extraNames.length > MAX_KEPT_EXTRA) { this.extra.clear(); this.extraNames = []; } }
}

/**
 * Writes values into a region of memory with a bump pointer. `top` and `end`
 * are byte addresses in the views' buffer.
 */
export class WordWriter {
  u32: Uint32Array;
  f64: Float64Array;
  top: number;
  end: number;
  /** Addresses of multigoals written (the first mgCount), whose indexes the engine must build. */
  multigoals: number[] = [];
  mgCount = 0;
  /** Over a buffer, or over views of one the caller keeps (making views costs a little on every call). */
  constructor(buffer: ArrayBuffer | { u32: Uint32Array; f64: Float64Array }, top: number, end: number) {
    if (buffer instanceof ArrayBuffer) {
      this.u32 = new Uint32Array(buffer);
      this.f64 = new Float64Array(buffer);
    } else {
      this.u32 = buffer.u32;
      this.f64 = buffer.f64;
    }
    this.top = top;
    this.end = end;
  }
  /** Points the writer at another region of views it was not made with (an engine reuses its writers from call to call). */
  reset(views: { u32: Uint32Array; f64: Float64Array }, top: number, end: number): this {
    this.u32 = views.u32; this.f64 = views.f64; this.top = top; this.end = end;
    this.mgCount = 0;
    return this;
  }
  /** Notes a multigoal written at p. */
  noteMultigoal(p: number): void { this.multigoals[this.mgCount++] = p; }
  /** Reserves n words and returns their byte address; throws SpaceError when full. */
  alloc(n: number): number {
    const p = this.top;
    if (p + n * 8 > this.end) throw new SpaceError();
    this.top = p + n * 8;
    return p;
  }
  setTagged(addr: number, tag: number, payload: number): void {
    this.u32[addr >>> 2] = payload >>> 0;
    this.u32[(addr >>> 2) + 1] = (BOXED_HIGH | tag) >>> 0;
  }
  setNumber(addr: number, x: number): void { this.f64[addr >>> 3] = Number.isNaN(x) ? NaN : x; }
  setInt(addr: number, n: number): void { this.u32[addr >>> 2] = n >>> 0; this.u32[(addr >>> 2) + 1] = 0; }
  copyWord(from: number, to: number): void {
    this.u32[to >>> 2] = this.u32[from >>> 2];
    this.u32[(to >>> 2) + 1] = this.u32[(from >>> 2) + 1];
  }
}

/** A region ran out while the host was writing into it. */
export class SpaceError extends Error {
  constructor() { super('engine region full'); }
}

/**
 * Where an encoded value sits inside the problem, for error messages: a
 * string, or a function that builds it, since this runs on every planning
 * call and the string is wanted only when an error is thrown.
 */
export type Path = string | (() => string);

/** The path as a string. */
export function pathText(p: Path): string { return typeof p === 'string' ? p : p(); }
export const child = (p: Path, tail: string | number, bracket: boolean): Path => () => (bracket ? `${pathText(p)}[${tail}]` : `${pathText(p)}.${tail}`);

/** How deep values may nest (lists, tuples, sets, maps, multigoals). */
export const MAX_VALUE_DEPTH = 64;
