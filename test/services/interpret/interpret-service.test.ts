/**
 * The interpret service without a server: models made here with the ONNX
 * builder run on the worker pool and agree with the same MLP computed in
 * TypeScript; inputs are checked against the signature with exact messages;
 * a file onnxruntime cannot load is refused for that model only; versions,
 * A/B routes and their figures; the store survives a reopen.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferPool, InterpretService, ModelStore, mlpModel, type TensorValue } from '../../../server/src/services/interpret/index.js';
import { forward, mlpLayers } from './mlp-fixtures.js';

let pool: InferPool;
let dir: string;
test.before(async () => {
  pool = new InferPool({ size: 1 });
  dir = await mkdtemp(join(tmpdir(), 'aria-interpret-'));
});
test.after(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

const rows = (n: number, width = 4): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, k) => Math.sin(i * 7 + k)));
const input = (data: number[][], name = 'x'): TensorValue => ({ name, type: 'float32', dims: [data.length, data[0].length], data: Float32Array.from(data.flat()) });

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a failure');
}

test('a registered MLP answers as the same MLP computed in TypeScript; the signature is read from the model', async () => {
  const svc = new InterpretService(await ModelStore.open(null), pool);
  const layers = mlpLayers(7);
  const { model, created } = await svc.register('scorer', mlpModel({ layers }), 'alice');
  assert.ok(created);
  assert.is(model.version, 1);
  assert.equal(model.inputs, [{ name: 'x', type: 'float32', shape: ['batch', 4] }]);
  assert.equal(model.outputs, [{ name: 'y', type: 'float32', shape: ['batch', 1] }]);
  const data = rows(256);
  const { outputs } = await svc.infer('scorer', undefined, [input(data)]);
  assert.is(outputs.length, 1);
  assert.equal(outputs[0].dims, [256, 1]);
  data.forEach((row, i) => {
    const want = forward(layers, row)[0];
    assert.ok(Math.abs((outputs[0].data[i] as number) - want) < 1e-5, `row ${i}: ${outputs[0].data[i]} vs ${want}`);
  });
});

test('inputs that do not fit the signature are refused with exact messages, before any worker runs', async () => {
  const svc = new InterpretService(await ModelStore.open(null), pool);
  await svc.register('m', mlpModel({ layers: mlpLayers(1) }), 'alice');
  const cases: [TensorValue[], string][] = [
    [[], 'inputs: missing input "x" (float32 [batch, 4])'],
    [[input(rows(2), 'z')], 'inputs[0].name: the model has no input "z" (its inputs: x)'],
    [[input(rows(2)), input(rows(2))], 'inputs[1].name: input "x" given twice'],
    [[{ name: 'x', type: 'int64', dims: [1, 4], data: new BigInt64Array(4) }], 'inputs[0].type: input "x" is float32, got int64'],
    [[{ name: 'x', type: 'float32', dims: [4], data: new Float32Array(4) }], 'inputs[0].dims: input "x" has shape [batch, 4] (rank 2), got [4] (rank 1)'],
    [[input(rows(2, 3))], 'inputs[0].dims[1]: input "x" has shape [batch, 4]: dimension 1 must be 4, got 3'],
    [[{ name: 'x', type: 'float32', dims: [2, 4], data: new Float32Array(6) }], 'inputs[0]: 6 values for dims [2, 4] (8 expected)'],
    [[{ name: 'x', type: 'float32', dims: [-1, 4], data: new Float32Array(4) }], 'inputs[0].dims[0]: must be a non-negative integer, got -1'],
  ];
  for (const [inputs, message] of cases) {
    const f = await failure(svc.infer('m', undefined, inputs));
    assert.is(f.name, 'InvalidArgumentError', message);
    assert.is(f.message, message);
  }
  const unknown = await failure(svc.infer('nope', undefined, [input(rows(1))]));
  assert.is(unknown.name, 'NotFoundError');
  const v9 = await failure(svc.infer('m', 9, [input(rows(1))]));
  assert.is(v9.message, 'model m has no version 9');
  assert.is((await failure(svc.register('../etc', mlpModel({ layers: mlpLayers(1) }), 'a'))).name, 'InvalidArgumentError');
});

test('a file onnxruntime cannot load is refused for that model only', async () => {
  const svc = new InterpretService(await ModelStore.open(null), pool);
  await svc.register('good', mlpModel({ layers: mlpLayers(2) }), 'alice');
  for (const bytes of [Buffer.from('not a model'), mlpModel({ layers: mlpLayers(2) }).slice(0, 40), new Uint8Array(0)]) {
    const f = await failure(svc.register('bad', bytes, 'alice'));
    assert.is(f.name, 'InvalidArgumentError');
    assert.match(f.message, /^(model: onnxruntime cannot load it: |onnx: must not be empty)/);
  }
  assert.is(svc.list().map((m) => m.name).join(), 'good');
  const { outputs } = await svc.infer('good', undefined, [input(rows(3))]);
  assert.equal(outputs[0].dims, [3, 1]);
});

test('versions: same content is no new version; deleted numbers are never given again; A/B routes split calls and count them', async () => {
  const svc = new InterpretService(await ModelStore.open(null), pool, (() => { let i = 0; const seq = [0.1, 0.3, 0.5, 0.9]; return () => seq[i++ % 4]; })());
  const one = mlpModel({ layers: mlpLayers(3) });
  assert.is((await svc.register('ab', one, 'a')).model.version, 1);
  assert.not.ok((await svc.register('ab', one, 'a')).created);
  assert.is((await svc.register('ab', mlpModel({ layers: mlpLayers(4) }), 'a')).model.version, 2);
  assert.is((await svc.register('ab', mlpModel({ layers: mlpLayers(5) }), 'a')).model.version, 3);
  await svc.remove('ab', 3);
  assert.is((await svc.register('ab', mlpModel({ layers: mlpLayers(6) }), 'a')).model.version, 4);
  await svc.setRoute('ab', { a: 1, b: 2, shareB: 0.25 });
  const used: number[] = [];
  for (let i = 0; i < 8; i++) used.push((await svc.infer('ab', 0, [input(rows(1))])).model.version);
  assert.equal(used, [2, 1, 1, 1, 2, 1, 1, 1]);
  assert.is(svc.figuresOf({ name: 'ab', version: 1 }).calls, 6);
  assert.is(svc.figuresOf({ name: 'ab', version: 2 }).calls, 2);
  assert.is((await svc.infer('ab', 4, [input(rows(1))])).model.version, 4, 'a version asked for wins over the route');
  assert.is((await failure(svc.setRoute('ab', { a: 1, b: 3, shareB: 0.5 }))).message, 'model ab has no version 3');
  assert.is((await failure(svc.setRoute('ab', { a: 1, b: 2, shareB: 1.5 }))).message, 'share_b: must be from 0 to 1, got 1.5');
  await svc.remove('ab', 2);
  assert.is(svc.route('ab'), undefined, 'deleting a routed version removes the route');
  assert.is((await svc.infer('ab', 0, [input(rows(1))])).model.version, 4);
});

test('a store in a folder survives a reopen, and a model named like an Object member is an ordinary name', async () => {
  const folder = join(dir, 'models');
  const layers = mlpLayers(9);
  const first = new InterpretService(await ModelStore.open(folder), pool);
  await first.register('constructor', mlpModel({ layers }), 'bob');
  await first.setRoute('constructor', { a: 1, b: 1, shareB: 0.5 });
  const again = new InterpretService(await ModelStore.open(folder), pool);
  assert.equal(again.route('constructor'), { a: 1, b: 1, shareB: 0.5 });
  const { model, outputs } = await again.infer('constructor', undefined, [input(rows(2))]);
  assert.is(model.owner, 'bob');
  assert.ok(Math.abs((outputs[0].data[1] as number) - forward(layers, rows(2)[1])[0]) < 1e-5);
});

test('an aborted call stops before the pool runs it', async () => {
  const svc = new InterpretService(await ModelStore.open(null), pool);
  await svc.register('m', mlpModel({ layers: mlpLayers(1) }), 'a');
  const c = new AbortController();
  c.abort();
  assert.is((await failure(svc.infer('m', undefined, [input(rows(1))], c.signal))).name, 'AbortError');
});

test.run();
