/**
 * The engine's ABI is defined once, in wasm/assembly/abi.ts; the host's
 * mirror (server/src/planner/runtime/engine-abi.ts) must have every name
 * with the same value. These tests read the AssemblyScript file's text and
 * fail naming the constant that drifted, one missing on either side, or a
 * copy of an ABI constant defined anywhere else. They also hold the
 * engine's exports to what the host uses.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as host from '../../../server/src/planner/runtime/engine-abi.js';
import { RT_NAMES, LAYOUT_GLOBALS, MEMO_GLOBALS, WRITE_GLOBALS } from '../../../server/src/planner/jit/runtime-imports.js';
import { wasmPath } from '../../../server/src/planner/runtime/wasm-module.js';
import { exportedConstants, readRepoFile, REPO_ROOT as ROOT } from '../../support/exported-constants.js';

const ENGINE_ABI = 'wasm/assembly/abi.ts';
const HOST_ABI = 'server/src/planner/runtime/engine-abi.ts';

const read = readRepoFile;
const constants = exportedConstants;

const engine = constants(ENGINE_ABI);
const hostText = constants(HOST_ABI);
const hostModule = host as unknown as Record<string, unknown>;

test('the engine defines the ABI', () => {
  assert.ok(engine.size > 50, `${ENGINE_ABI}: ${engine.size} constants`);
});

test('every engine constant is on the host side, with the same value', () => {
  const drift: string[] = [];
  for (const [name, value] of engine) {
    if (!(name in hostModule)) drift.push(`${name}: missing from ${HOST_ABI} (engine: ${value})`);
    else if (hostModule[name] !== value) drift.push(`${name}: engine ${value}, host ${String(hostModule[name])}`);
  }
  assert.equal(drift, [], `the host's ABI drifted from ${ENGINE_ABI}`);
});

test('the host has no ABI constant the engine lacks', () => {
  const extra = Object.keys(hostModule).filter((k) => !engine.has(k));
  assert.equal(extra, [], `only in ${HOST_ABI}`);
  // The source agrees with what runs (dist/), so a stale build cannot hide a drift.
  const differ = [...hostText].filter(([k, v]) => hostModule[k] !== v).map(([k]) => k);
  assert.equal(differ, [], `${HOST_ABI} and its compiled module differ`);
});

test('record layouts are consistent', () => {
  const e = (n: string): number => engine.get(n)!;
  assert.is(e('CP_CHOOSE_N'), e('CP_CHOOSE_IDX') + e('MAX_CHOOSE') * 4, 'CP_CHOOSE_N follows the binding indices');
  assert.is(e('CP_COST'), e('CP_CHOOSE_N') + e('MAX_CHOOSE') * 4, 'CP_COST follows the binding counts');
  assert.is(e('CP_COST') % 8, 0, 'CP_COST (an f64) is 8-aligned');
  assert.is(e('CP_BYTES'), e('CP_COST') + 8, 'CP_BYTES ends after the cost');
  assert.is(e('CP_BYTES') % 8, 0, 'CP_BYTES keeps the next choice point 8-aligned (CP_ITEM is a u64)');
  assert.is(e('SLOT_BYTES'), e('SLOT_NEXT') + 4, 'SLOT_BYTES ends after SLOT_NEXT');
  assert.is(e('HASH_ENTRY_BYTES'), e('HASH_SLOT') + 4, 'HASH_ENTRY_BYTES ends after HASH_SLOT');
  assert.is(e('TRAIL_ENTRY_BYTES'), e('TRAIL_OLD') + 8, 'TRAIL_ENTRY_BYTES ends after TRAIL_OLD');
  assert.ok(e('SYM_GOAL_COUNT') < e('SYM_STRIDE') && e('SYM_COST') < e('SYM_STRIDE'), 'the symbol record holds every SYM_ field');
  assert.ok(e('FUNC_KIND') < e('FUNC_STRIDE'), 'the function record holds every FUNC_ field');
  assert.is(e('STAT_COST') + 1, e('STAT_COUNT'), 'STAT_COUNT counts every STAT_ figure');
  for (const n of ['TRAIL_ENTRY_BYTES', 'STAMP_BYTES', 'VARLIST_BYTES', 'VALUE_BYTES']) {
    assert.ok(Number.isInteger(Math.log2(e(n))), `${n} is a power of two (the engine and the JIT shift by it)`);
  }
});

/** Source files of a folder (not recursive). */
const sources = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);

test('no other file defines an ABI constant of its own', () => {
  const files = [...sources('wasm/assembly'), ...sources('server/src/planner/runtime'), ...sources('server/src/planner/jit'),
    ...sources('server/src/planner/compile')].filter((f) => f !== ENGINE_ABI && f !== HOST_ABI);
  const copies: string[] = [];
  for (const f of files) {
    for (const m of read(f).matchAll(/^\s*(?:export\s+)?const\s+([A-Z_][A-Z0-9_]*)\s*(?::\s*\w+\s*)?=/gm)) {
      if (engine.has(m[1])) copies.push(`${f}: ${m[1]}`);
    }
  }
  assert.equal(copies, [], 'import these from the ABI file instead');
});

test('the engine exports what the host uses, and nothing else', () => {
  // The members of EngineExports, the compiled code's imports, and what the AssemblyScript runtime adds.
  const iface = /export interface EngineExports \{([\s\S]*?)\n\}/.exec(read('server/src/planner/runtime/wasm-module.ts'))![1];
  const typed = [...iface.matchAll(/^\s+(\w+)[(:]/gm)].map((m) => m[1]).filter((n) => n !== 'table');
  const used = new Set([...typed, ...RT_NAMES, ...LAYOUT_GLOBALS, ...MEMO_GLOBALS, ...WRITE_GLOBALS, 'retVal', '_start']);
  const exported = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmPath()))).map((e) => e.name);
  assert.equal(exported.filter((n) => !used.has(n)), [], 'exports the host never calls (remove them from wasm/assembly/index.ts)');
  assert.equal([...used].filter((n) => !exported.includes(n)), [], 'names the host expects that the engine does not export');
});

test.run();
