/**
 * A small WebAssembly binary writer: just the sections and instructions the
 * domain JIT emits. See the WebAssembly core specification, "Binary Format".
 */

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
/** Block type with no result. */
export const VOID = 0x40;

/** Instruction opcodes used by the JIT. */
export const Op = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d,
  return: 0x0f, call: 0x10, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  i32_load: 0x28, i64_load: 0x29, i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_lt_u: 0x49, i32_gt_s: 0x4a, i32_gt_u: 0x4b, i32_le_u: 0x4d, i32_ge_s: 0x4e, i32_ge_u: 0x4f,
  i64_eq: 0x51, i64_ne: 0x52, i64_lt_u: 0x54, i64_gt_u: 0x56,
  f64_eq: 0x61, f64_ne: 0x62, f64_lt: 0x63, f64_gt: 0x64, f64_le: 0x65, f64_ge: 0x66,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74, i32_shr_s: 0x75,
  i32_store: 0x36, i64_store: 0x37, i64_add: 0x7c, i64_or: 0x84,
  i64_sub: 0x7d, i64_mul: 0x7e, i64_and: 0x83, i64_xor: 0x85, i64_shl: 0x86, i64_shr_u: 0x88, i64_rotl: 0x89,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad, f64_convert_i32_s: 0xb7,
  f64_neg: 0x9a, f64_add: 0xa0, f64_sub: 0xa1, f64_mul: 0xa2, f64_div: 0xa3,
  i64_reinterpret_f64: 0xbd, f64_reinterpret_i64: 0xbf,
} as const;

/** A growing byte buffer with LEB128 helpers. */
export class Bytes {
  readonly b: number[] = [];
  u8(...xs: number[]): this { for (const x of xs) this.b.push(x & 0xff); return this; }
  u32(x: number): this {
    let v = x >>> 0;
    do { let byte = v & 0x7f; v >>>= 7; if (v !== 0) byte |= 0x80; this.b.push(byte); } while (v !== 0);
    return this;
  }
  s32(x: number): this { return this.s64(BigInt(x | 0)); }
  s64(x: bigint): this {
    let v = BigInt.asIntN(64, x);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
      this.b.push(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  str(s: string): this { const e = new TextEncoder().encode(s); this.u32(e.length); this.b.push(...e); return this; }
  append(o: Bytes): this { for (const x of o.b) this.b.push(x); return this; }
  /** The bytes, prefixed by their length (a vector or section body). */
  sized(): Bytes { return new Bytes().u32(this.b.length).append(this); }
}

interface FuncType { params: number[]; results: number[] }
interface Import { module: string; name: string; kind: 'func' | 'memory' | 'global'; type?: number; mutable?: boolean; valType?: number }
interface Func { type: number; locals: number[]; body: Bytes }

/** Assembles a module from types, imports, functions and exports. */
export class ModuleWriter {
  private types: FuncType[] = [];
  private imports: Import[] = [];
  private funcs: Func[] = [];
  private globals: { valType: number; init: number }[] = [];
  private exports: { name: string; kind: number; index: number }[] = [];
  private importedFuncs = 0;
  private importedGlobals = 0;
  private names = new Map<number, string>();

  /** The index of a function type, added when new. */
  type(params: number[], results: number[]): number {
    const k = this.types.findIndex((t) => t.params.join() === params.join() && t.results.join() === results.join());
    if (k >= 0) return k;
    this.types.push({ params, results });
    return this.types.length - 1;
  }
  importFunc(module: string, name: string, params: number[], results: number[]): number {
    if (this.funcs.length > 0) throw new Error('imports must come before functions');
    this.imports.push({ module, name, kind: 'func', type: this.type(params, results) });
    return this.importedFuncs++;
  }
  importMemory(module: string, name: string): void { this.imports.push({ module, name, kind: 'memory' }); }
  importGlobal(module: string, name: string, valType: number, mutable: boolean): number {
    this.imports.push({ module, name, kind: 'global', valType, mutable });
    return this.importedGlobals++;
  }
  /** A mutable global of this module (i32 or i64), initialised to init. */
  global(init: number, valType = I32): number { this.globals.push({ valType, init }); return this.importedGlobals + this.globals.length - 1; }
  /** Declares a function; its body can be set later. Returns its index. */
  func(params: number[], results: number[]): number {
    this.funcs.push({ type: this.type(params, results), locals: [], body: new Bytes() });
    return this.importedFuncs + this.funcs.length - 1;
  }
  setBody(index: number, locals: number[], body: Bytes): void {
    const f = this.funcs[index - this.importedFuncs];
    f.locals = locals; f.body = body;
  }
  /** Names function `index` in the module's name section (profilers and stack traces show it). */
  nameFunc(index: number, name: string): void { this.names.set(index, name); }
  exportFunc(name: string, index: number): void { this.exports.push({ name, kind: 0, index }); }
  /** Exports global `index` (the host reads or sets it through a WebAssembly.Global). */
  exportGlobal(name: string, index: number): void { this.exports.push({ name, kind: 3, index }); }

  /** The module's bytes. */
  emit(): Uint8Array {
    const out = new Bytes().u8(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    const section = (id: number, body: Bytes): void => { out.u8(id).append(body.sized()); };
    const types = new Bytes().u32(this.types.length);
    for (const t of this.types) { types.u8(0x60).u32(t.params.length).u8(...t.params).u32(t.results.length).u8(...t.results); }
    section(1, types);
    const imps = new Bytes().u32(this.imports.length);
    for (const i of this.imports) {
      imps.str(i.module).str(i.name);
      if (i.kind === 'func') imps.u8(0x00).u32(i.type!);
      else if (i.kind === 'memory') imps.u8(0x02).u8(0x00).u32(0);
      else imps.u8(0x03).u8(i.valType!).u8(i.mutable ? 1 : 0);
    }
    section(2, imps);
    const fs = new Bytes().u32(this.funcs.length);
    for (const f of this.funcs) fs.u32(f.type);
    section(3, fs);
    if (this.globals.length) {
      const gs = new Bytes().u32(this.globals.length);
      for (const g of this.globals) {
        gs.u8(g.valType, 1);
        if (g.valType === I64) gs.u8(Op.i64_const).s64(BigInt(g.init)); else gs.u8(Op.i32_const).s32(g.init);
        gs.u8(Op.end);
      }
      section(6, gs);
    }
    const ex = new Bytes().u32(this.exports.length);
    for (const e of this.exports) ex.str(e.name).u8(e.kind).u32(e.index);
    section(7, ex);
    const code = new Bytes().u32(this.funcs.length);
    for (const f of this.funcs) {
      const body = new Bytes();
      // Locals are declared in runs of equal type.
      const runs: [number, number][] = [];
      for (const t of f.locals) { const last = runs[runs.length - 1]; if (last && last[1] === t) last[0]++; else runs.push([1, t]); }
      body.u32(runs.length);
      for (const [n, t] of runs) body.u32(n).u8(t);
      body.append(f.body).u8(Op.end);
      code.append(body.sized());
    }
    section(10, code);
    if (this.names.size) {
      // The custom "name" section, subsection 1 (function names), in index order.
      const fnames = new Bytes().u32(this.names.size);
      for (const [i, n] of [...this.names].sort((a, b) => a[0] - b[0])) fnames.u32(i).str(n);
      section(0, new Bytes().str('name').u8(1).append(fnames.sized()));
    }
    return Uint8Array.from(out.b);
  }
}
