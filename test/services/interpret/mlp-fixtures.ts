/**
 * Small models for the interpret tests, made with the project's own ONNX
 * builder, and the same MLP computed in plain TypeScript to check
 * onnxruntime's answers against.
 */
import type { DenseLayer } from '../../../server/src/services/interpret/index.js';

/** A 3-layer MLP: 4 inputs, 8 and 8 hidden (relu), 1 output (sigmoid); weights from a seeded generator. */
export function mlpLayers(seed = 1, inputs = 4): DenseLayer[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
  const layer = (outs: number, ins: number, activation: DenseLayer['activation']): DenseLayer => ({
    weights: Array.from({ length: outs }, () => Array.from({ length: ins }, rnd)),
    bias: Array.from({ length: outs }, rnd),
    activation,
  });
  return [layer(8, inputs, 'relu'), layer(8, 8, 'relu'), layer(1, 8, 'sigmoid')];
}

/** The MLP's output for one row, in float64 (compare with a tolerance: onnxruntime uses float32). */
export function forward(layers: DenseLayer[], row: number[]): number[] {
  let x = row;
  for (const l of layers) {
    x = l.weights.map((w, j) => {
      const z = w.reduce((acc, wi, i) => acc + wi * x[i], l.bias[j]);
      return l.activation === 'relu' ? Math.max(0, z) : l.activation === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z;
    });
  }
  return x;
}
