/**
 * `interpret/mlp-256`: one Infer of a batch of 256 rows through a 3-layer
 * MLP (16 features, 64 and 64 hidden, 1 output), made with the project's
 * ONNX builder and run on the interpret pool's worker thread, checked
 * against the signature first: the service's path without gRPC. The issue's
 * target is under 1 ms of wall time for such a batch inside a worker; the
 * figure here adds the hop to the worker and back.
 */
import { InferPool, InterpretService, ModelStore, mlpModel, type DenseLayer, type TensorValue } from '../../server/src/services/interpret/index.js';
import type { BenchCase } from './case-types.js';
import { selfRss } from './wasm-cases.js';

function layers(sizes: number[]): DenseLayer[] {
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) / 4;
  };
  return sizes.slice(1).map((outs, i) => ({
    weights: Array.from({ length: outs }, () => Array.from({ length: sizes[i] }, rnd)),
    bias: Array.from({ length: outs }, rnd),
    activation: i === sizes.length - 2 ? 'sigmoid' : 'relu',
  }));
}

/** The interpret cases. */
export function interpretCases(): BenchCase[] {
  return [{
    name: 'interpret/mlp-256',
    layer: 'interpret',
    async setup() {
      const pool = new InferPool({ size: 1 });
      const svc = new InterpretService(await ModelStore.open(null), pool);
      await svc.register('bench', mlpModel({ layers: layers([16, 64, 64, 1]) }), 'bench');
      const x: TensorValue = { name: 'x', type: 'float32', dims: [256, 16], data: Float32Array.from({ length: 256 * 16 }, (_, i) => Math.sin(i)) };
      return {
        concurrency: 1,
        async: async () => {
          const r = await svc.infer('bench', undefined, [x]);
          if (r.outputs[0].dims[0] !== 256) throw new Error('wrong output shape');
          return { planLength: null };
        },
        rss: selfRss,
        close: () => pool.close(),
      };
    },
  }];
}
