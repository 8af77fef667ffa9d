/**
 * Compiles a validated domain into the tables the WASM engine reads: symbols,
 * a literal pool, constant objects, bytecode, a function table, per-symbol
 * dispatch and method lists. Done once per domain; planning calls reuse it.
 */
import type { Stmt, Domain, Expr } from '../language/ast.js';
import { BodyCompiler, type BodyKind, type DomainScope } from './compile-body.js';
import { DomainError } from '../errors.js';
import { Tag, WordWriter } from '../runtime/engine-memory.js';
import { jitDomain } from '../jit/jit-module.js';

export { FnKind, INTERPRETED_FLAG, CHOOSE_FLAG, SYM_STRIDE, SPLIT_MULTIGOAL, type CompiledDomain } from './compiled-domain.js';
import { FnKind, INTERPRETED_FLAG, CHOOSE_FLAG, SYM_STRIDE, SPLIT_MULTIGOAL, type CompiledDomain } from './compiled-domain.js';
import {
  FUNC_CODE, FUNC_KIND, FUNC_LOCALS, FUNC_PARAMS, FUNC_STRIDE, SYM_ACTION, SYM_COMMAND, SYM_COST, SYM_GOAL_COUNT, SYM_GOAL_START,
  SYM_TASK_COUNT, SYM_TASK_START,
} from '../runtime/engine-abi.js';

/** Options of the domain compiler. */
export interface CompileOptions {
  /** Compile the domain's code to WebAssembly (default true; ARIA_JIT=0 turns it off). */
  jit?: boolean;
}

type Static = { w: [number, number] } | { obj: { tag: number; words: Static[] } };

/** Compiles d; constant objects are laid out for address constHeapBase (8-aligned). */
export function compileDomain(d: Domain, constHeapBase: number, file = d.name, opts: CompileOptions = {}): CompiledDomain {
  const symbols: string[] = [];
  const symIds = new Map<string, number>();
  const symId = (s: string): number => {
    let i = symIds.get(s);
    if (i === undefined) { i = symbols.length; symbols.push(s); symIds.set(s, i); }
    return i;
  };
  const pool: number[] = [];
  const poolIdx = new Map<string, number>();
  const constWord = (lo: number, hi: number): number => {
    const k = `${lo}:${hi}`;
    let i = poolIdx.get(k);
    if (i === undefined) { i = pool.length / 2; pool.push(lo >>> 0, hi >>> 0); poolIdx.set(k, i); }
    return i;
  };
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const numWord = (x: number): [number, number] => { f64[0] = x; return [u32[0], u32[1]]; };
  const tagged = (tag: number, p: number): [number, number] => [p >>> 0, (0xfff80000 | tag) >>> 0];

  // Constants: evaluated once here, their objects written to the constant heap.
  const constDecls = new Map(d.consts.map((c) => [c.name, c]));
  const constStatic = new Map<string, Static>();
  const evalConst = (e: Expr, stack: string[]): Static => {
    if ('lit' in e) {
      const l = e.lit;
      if ('sym' in l) return { w: tagged(Tag.SYM, symId(l.sym)) };
      if ('num' in l) return { w: numWord(l.num) };
      if ('bool' in l) return { w: tagged(Tag.BOOL, l.bool ? 1 : 0) };
      return { w: tagged(Tag.NIL, 0) };
    }
    if ('name' in e) {
      const c = constDecls.get(e.name);
      if (!c) throw new DomainError(posOf(file, e.pos, `consts`), `a constant may only refer to other constants; '${e.name}' is not one`);
      if (stack.includes(e.name)) throw new DomainError(posOf(file, e.pos, 'consts'), `constant '${e.name}' refers to itself`);
      return constOf(e.name, [...stack, e.name]);
    }
    if ('unary' in e && e.unary.op === '-' && 'lit' in e.unary.arg && 'num' in e.unary.arg.lit) return { w: numWord(-e.unary.arg.lit.num) };
    if ('list' in e) return { obj: { tag: Tag.LIST, words: e.list.map((x) => evalConst(x, stack)) } };
    if ('tuple' in e) return { obj: { tag: Tag.TUPLE, words: e.tuple.map((x) => evalConst(x, stack)) } };
    if ('set' in e) {
      // Equal elements are kept once, the first, as in Python.
      const seen = new Set<string>();
      const words = e.set.map((x) => evalConst(x, stack)).filter((w) => {
        const k = JSON.stringify(w, (_, v) => (typeof v === 'number' && Object.is(v, -0) ? 0 : v));
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      return { obj: { tag: Tag.SET, words } };
    }
    if ('map' in e) return { obj: { tag: Tag.MAP, words: e.map.flatMap((kv) => [evalConst(kv.key, stack), evalConst(kv.value, stack)]) } };
    throw new DomainError(posOf(file, e.pos, 'consts'), 'a constant must be a literal, list, tuple, set or map of literals');
  };
  const constOf = (name: string, stack: string[]): Static => {
    let s = constStatic.get(name);
    if (!s) { s = evalConst(constDecls.get(name)!.value, stack); constStatic.set(name, s); }
    return s;
  };
  const heapWords: Static[] = [];
  let heapSize = 0;
  const sizeOf = (s: Static): number => ('obj' in s ? 1 + s.obj.words.length + s.obj.words.reduce((n, x) => n + sizeOf(x), 0) : 0);
  for (const c of d.consts) heapSize += sizeOf(constOf(c.name, [c.name]));
  const heapBuf = new ArrayBuffer(constHeapBase + heapSize * 8 + 8);
  const hw = new WordWriter(heapBuf, constHeapBase, constHeapBase + heapSize * 8 + 8);
  const place = (s: Static): [number, number] => {
    if ('w' in s) return s.w;
    const n = s.obj.tag === Tag.MAP ? s.obj.words.length / 2 : s.obj.words.length;
    const p = hw.alloc(s.obj.words.length + 1);
    hw.setInt(p, n);
    s.obj.words.forEach((x, i) => { const [lo, hi] = place(x); hw.u32[(p + 8 + i * 8) >>> 2] = lo; hw.u32[((p + 8 + i * 8) >>> 2) + 1] = hi; });
    return tagged(s.obj.tag, p);
  };
  const namedConstIdx = new Map<string, number>();
  for (const c of d.consts) { const [lo, hi] = place(constOf(c.name, [c.name])); namedConstIdx.set(c.name, constWord(lo, hi)); }
  void heapWords;

  // Function indices: helpers first, so calls can be emitted before their bodies.
  const funcs: { name: string; params: string[]; body: Domain['actions'][number]['body']; kind: BodyKind; fk: number; where: string }[] = [];
  const helperIdx = new Map<string, { index: number; arity: number }>();
  d.functions.forEach((f, i) => { helperIdx.set(f.name, { index: funcs.length, arity: f.params.length }); funcs.push({ ...f, kind: 'function', fk: FnKind.helper, where: `functions[${i}]` }); });
  const actions = new Map<string, number>();
  d.actions.forEach((a, i) => { actions.set(a.name, funcs.length); funcs.push({ ...a, kind: 'action', fk: FnKind.action, where: `actions[${i}]` }); });
  const commands = new Map<string, number>();
  d.commands.forEach((a, i) => { commands.set(a.name, funcs.length); funcs.push({ ...a, kind: 'action', fk: FnKind.command, where: `commands[${i}]` }); });
  const taskMethods = new Map<string, number[]>();
  d.tasks.forEach((t, ti) => t.methods.forEach((m, mi) => {
    const l = taskMethods.get(t.name) ?? [];
    l.push(funcs.length); taskMethods.set(t.name, l);
    funcs.push({ ...m, kind: 'method', fk: FnKind.method, where: `tasks[${ti}].methods[${mi}]` });
  }));
  const goalMethods = new Map<string, number[]>();
  d.unigoals.forEach((g, gi) => g.methods.forEach((m, mi) => {
    const l = goalMethods.get(g.var) ?? [];
    l.push(funcs.length); goalMethods.set(g.var, l);
    funcs.push({ ...m, kind: 'method', fk: FnKind.method, where: `unigoals[${gi}].methods[${mi}]` });
  }));
  const mg: number[] = [];
  d.multigoals.forEach((m, mi) => {
    if (m.builtin === 'split_multigoal') { mg.push(SPLIT_MULTIGOAL); return; }
    mg.push(funcs.length);
    funcs.push({ ...m, kind: 'method', fk: FnKind.method, where: `multigoals[${mi}]` });
  });

  // Action costs: one helper each, `fn (params) { return cost }`, after every other function so no index moves.
  const costs = new Map<string, number>();
  d.actions.forEach((a, i) => {
    if (!a.cost) return;
    costs.set(a.name, funcs.length);
    funcs.push({ name: `${a.name}.cost`, params: a.params, body: [{ return: { value: a.cost }, pos: a.cost.pos }], kind: 'function', fk: FnKind.helper, where: `actions[${i}].cost` });
  });

  const vars = new Set(d.vars.map((v) => v.name));
  for (const g of d.unigoals) vars.add(g.var);
  const itemNames = new Set<string>([...actions.keys(), ...commands.keys(), ...taskMethods.keys(), ...goalMethods.keys()]);
  const scope: DomainScope = {
    file,
    constSym: (s) => constWord(...tagged(Tag.SYM, symId(s))),
    constNum: (x) => constWord(...numWord(x)),
    constBool: (b) => constWord(...tagged(Tag.BOOL, b ? 1 : 0)),
    constNil: () => constWord(...tagged(Tag.NIL, 0)),
    namedConst: (n) => namedConstIdx.get(n),
    isVar: (n) => vars.has(n),
    symId,
    helper: (n) => helperIdx.get(n),
    isItemName: (n) => itemNames.has(n),
  };
  // Item names, variables and actions get symbols first so they have small, stable ids.
  for (const n of [...itemNames, ...vars]) symId(n);

  const code: number[] = [0];
  const ftab: number[] = new Array<number>(funcs.length * FUNC_STRIDE).fill(0);
  funcs.forEach((f, i) => {
    const start = code.length;
    const nLocals = new BodyCompiler(code, scope, f.kind, f.where).compile(f.params, f.body);
    const r = i * FUNC_STRIDE;
    ftab[r + FUNC_CODE] = start; ftab[r + FUNC_PARAMS] = f.params.length; ftab[r + FUNC_LOCALS] = nLocals;
    ftab[r + FUNC_KIND] = f.fk | (hasChoose(f.body) ? CHOOSE_FLAG : 0);
  });

  let jit: Uint8Array | undefined;
  if (opts.jit ?? process.env.ARIA_JIT !== '0') {
    const word = (i: number): bigint => (BigInt(pool[i * 2 + 1]) << 32n) | BigInt(pool[i * 2]);
    const compiled = jitDomain(funcs.map((f) => ({ params: f.params, body: f.body, kind: f.kind, name: f.name })), {
      symId,
      namedConst: (n) => { const i = namedConstIdx.get(n); return i === undefined ? undefined : word(i); },
      isVar: (n) => vars.has(n),
      helper: (n) => helperIdx.get(n),
      isItemName: (n) => itemNames.has(n),
    });
    jit = compiled.bytes;
    // Functions left to the interpreter (see jitDomain) are flagged in their kind field.
    for (const i of compiled.interpreted) ftab[i * FUNC_STRIDE + FUNC_KIND] |= INTERPRETED_FLAG;
  }

  const symtab = new Int32Array(symbols.length * SYM_STRIDE);
  const methodList: number[] = [];
  for (let s = 0; s < symbols.length; s++) {
    const name = symbols[s];
    const row = s * SYM_STRIDE;
    symtab[row + SYM_ACTION] = actions.get(name) ?? -1;
    symtab[row + SYM_COMMAND] = commands.get(name) ?? -1;
    symtab[row + SYM_COST] = costs.get(name) ?? -1;
    const tm = taskMethods.get(name) ?? [];
    symtab[row + SYM_TASK_START] = methodList.length; symtab[row + SYM_TASK_COUNT] = tm.length; methodList.push(...tm);
    const gm = goalMethods.get(name) ?? [];
    symtab[row + SYM_GOAL_START] = methodList.length; symtab[row + SYM_GOAL_COUNT] = gm.length; methodList.push(...gm);
  }
  return {
    name: d.name,
    symbols,
    code: Int32Array.from(code),
    consts: Uint32Array.from(pool),
    constHeap: new Uint8Array(heapBuf, constHeapBase, hw.top - constHeapBase),
    constHeapBase,
    funcs: Int32Array.from(ftab),
    funcNames: funcs.map((f) => f.name),
    symtab,
    methods: Int32Array.from(methodList),
    mgMethods: Int32Array.from([mg.length, ...mg]),
    actions, commands,
    tasks: new Set(taskMethods.keys()),
    unigoalVars: new Set(goalMethods.keys()),
    varCount: vars.size,
    jit,
  };
}

function posOf(file: string, pos: { line: number; col: number } | undefined, path: string): string {
  return pos ? `${file}:${pos.line}:${pos.col}` : path;
}

/** Whether a body has a `choose` statement (validation allows one only at a method's top level or in its ifs). */
function hasChoose(body: Stmt[]): boolean {
  return body.some((st) => 'choose' in st || ('if' in st && (hasChoose(st.if.then) || hasChoose(st.if.else))) || ('for' in st && hasChoose(st.for.body)));
}
