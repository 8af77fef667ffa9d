/**
 * Builds small ONNX models here instead of downloading them: a multilayer
 * perceptron (Gemm, then Relu, Sigmoid or nothing per layer) over a float
 * input of shape [batch, features]. The tests and examples make their
 * models with this; tune exports the orderings it learns with it.
 */
import { onnxRoot, OnnxAttr, OnnxType } from './onnx-schema.js';

/** One dense layer: y = activation(x · Wᵀ + b), W given row by row (outputs × inputs). */
export interface DenseLayer {
  weights: number[][];
  bias: number[];
  activation: 'relu' | 'sigmoid' | 'none';
}

/** What the model is called and what it computes. */
export interface MlpSpec {
  layers: DenseLayer[];
  /** Input and output tensor names (default `x` and `y`). */
  input?: string;
  output?: string;
  /** Written into the model (producer and doc string). */
  doc?: string;
}

const MODEL = onnxRoot.lookupType('onnx.ModelProto');

/** The ONNX model file (bytes) of an MLP; throws on inconsistent layer sizes. */
export function mlpModel(spec: MlpSpec): Uint8Array {
  const input = spec.input ?? 'x';
  const output = spec.output ?? 'y';
  if (spec.layers.length === 0) throw new Error('an MLP needs at least one layer');
  const nodes: object[] = [];
  const initializers: object[] = [];
  let current = input;
  let width = spec.layers[0].weights[0]?.length ?? 0;
  spec.layers.forEach((layer, i) => {
    const outs = layer.weights.length;
    if (outs === 0 || layer.bias.length !== outs || layer.weights.some((row) => row.length !== width)) {
      throw new Error(`layer ${i}: weights must be ${layer.bias.length} rows of ${width} numbers, one bias per row`);
    }
    initializers.push(tensor(`W${i}`, [outs, width], layer.weights.flat()), tensor(`B${i}`, [outs], layer.bias));
    const last = i === spec.layers.length - 1;
    const gemmOut = last && layer.activation === 'none' ? output : `h${i}`;
    nodes.push({ opType: 'Gemm', name: `gemm${i}`, input: [current, `W${i}`, `B${i}`], output: [gemmOut], attribute: [{ name: 'transB', type: OnnxAttr.INT, i: 1 }] });
    current = gemmOut;
    if (layer.activation !== 'none') {
      const actOut = last ? output : `a${i}`;
      nodes.push({ opType: layer.activation === 'relu' ? 'Relu' : 'Sigmoid', name: `act${i}`, input: [current], output: [actOut] });
      current = actOut;
    }
    width = outs;
  });
  const model = MODEL.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'aria',
    producerVersion: '1',
    docString: spec.doc ?? '',
    graph: {
      name: 'mlp',
      node: nodes,
      initializer: initializers,
      input: [valueInfo(input, spec.layers[0].weights[0].length)],
      output: [valueInfo(output, width)],
    },
  });
  return MODEL.encode(model).finish();
}

function tensor(name: string, dims: number[], values: number[]): object {
  return { name, dims, dataType: OnnxType.FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) };
}

/** A float tensor of shape [batch, width], batch symbolic. */
function valueInfo(name: string, width: number): object {
  return { name, type: { tensorType: { elemType: OnnxType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } };
}
