/**
 * Tensors as the interpret service sees them, and the check of a call's
 * inputs against a model's signature. The check runs before a worker is
 * asked, so a bad call costs no inference and its message names the input,
 * the dimension and what was expected.
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** Element types the service accepts (onnxruntime's names). */
export type TensorType = 'float32' | 'float64' | 'int32' | 'int64';

/** Typed array of each element type. */
export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array;

/** An input or output of a model: its name, element type and shape (a string is a symbolic dimension, any size). */
export interface TensorSpec {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** A tensor with its values, row-major. */
export interface TensorValue {
  name: string;
  type: TensorType;
  dims: number[];
  data: TensorData;
}

/** Most elements one tensor may hold (64 MiB of float32). */
export const MAX_TENSOR_ELEMENTS = 16 * 1024 * 1024;

/** `[batch, 2]`: a shape as messages write it. */
export function shapeText(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throws InvalidArgumentError naming the first input that does not fit the signature. */
export function checkInputs(signature: readonly TensorSpec[], inputs: readonly TensorValue[]): void {
  const seen = new Set<string>();
  inputs.forEach((input, i) => {
    const at = `inputs[${i}]`;
    const spec = signature.find((s) => s.name === input.name);
    if (!spec) throw new InvalidArgumentError(`${at}.name`, `the model has no input ${JSON.stringify(input.name)} (its inputs: ${signature.map((s) => s.name).join(', ')})`);
    if (seen.has(input.name)) throw new InvalidArgumentError(`${at}.name`, `input ${JSON.stringify(input.name)} given twice`);
    seen.add(input.name);
    if (spec.type !== input.type) throw new InvalidArgumentError(`${at}.type`, `input ${JSON.stringify(spec.name)} is ${spec.type}, got ${input.type}`);
    if (input.dims.length !== spec.shape.length) {
      throw new InvalidArgumentError(`${at}.dims`, `input ${JSON.stringify(spec.name)} has shape ${shapeText(spec.shape)} (rank ${spec.shape.length}), got ${shapeText(input.dims)} (rank ${input.dims.length})`);
    }
    let elements = 1;
    input.dims.forEach((d, k) => {
      if (!Number.isInteger(d) || d < 0) throw new InvalidArgumentError(`${at}.dims[${k}]`, `must be a non-negative integer, got ${d}`);
      const want = spec.shape[k];
      if (typeof want === 'number' && want >= 0 && d !== want) {
        throw new InvalidArgumentError(`${at}.dims[${k}]`, `input ${JSON.stringify(spec.name)} has shape ${shapeText(spec.shape)}: dimension ${k} must be ${want}, got ${d}`);
      }
      elements *= d;
    });
    if (elements > MAX_TENSOR_ELEMENTS) throw new InvalidArgumentError(`${at}.dims`, `${shapeText(input.dims)} is ${elements} elements, more than ${MAX_TENSOR_ELEMENTS}`);
    if (input.data.length !== elements) throw new InvalidArgumentError(`${at}`, `${input.data.length} values for dims ${shapeText(input.dims)} (${elements} expected)`);
  });
  const missing = signature.find((s) => !seen.has(s.name));
  if (missing) throw new InvalidArgumentError('inputs', `missing input ${JSON.stringify(missing.name)} (${missing.type} ${shapeText(missing.shape)})`);
}
