/**
 * The bytecode's opcode numbers are written twice: for the engine
 * (wasm/assembly/opcodes.ts) and for the compiler
 * (server/src/planner/compile/opcodes.ts). Both files must define the same names
 * with the same numbers, and no number twice.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exportedConstants as opcodes } from '../support/exported-constants.js';

const wasm = opcodes('wasm/assembly/opcodes.ts');
const host = opcodes('server/src/planner/compile/opcodes.ts');

test('both files define opcodes', () => {
  assert.ok(wasm.size > 20, `wasm: ${wasm.size}`);
  assert.ok(host.size > 20, `host: ${host.size}`);
});

test('the same names', () => {
  const onlyWasm = [...wasm.keys()].filter((k) => !host.has(k));
  const onlyHost = [...host.keys()].filter((k) => !wasm.has(k));
  assert.equal(onlyWasm, [], 'only in wasm/assembly/opcodes.ts');
  assert.equal(onlyHost, [], 'only in server/src/planner/compile/opcodes.ts');
});

test('the same numbers', () => {
  const differ = [...wasm].filter(([k, v]) => host.has(k) && host.get(k) !== v).map(([k, v]) => `${k}: wasm ${v}, host ${host.get(k)}`);
  assert.equal(differ, []);
});

test('no number is used twice', () => {
  const byNumber = new Map<number, string>();
  const dup: string[] = [];
  for (const [k, v] of wasm) {
    const other = byNumber.get(v);
    if (other !== undefined) dup.push(`${other} and ${k} are both ${v}`);
    byNumber.set(v, k);
  }
  assert.equal(dup, []);
});

test('the compiled module agrees with its source file', async () => {
  // The host file as loaded at run time (from dist/) has the same values as its source.
  const mod = (await import('../../server/src/planner/compile/opcodes.js')) as Record<string, unknown>;
  for (const [k, v] of host) assert.is(mod[k], v, k);
});

test.run();
