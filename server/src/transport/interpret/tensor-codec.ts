/**
 * Tensors between the wire (aria.interpret.v1.Tensor: values in the field
 * of their type) and the service (typed arrays). int64 values travel as
 * JavaScript numbers (the server's generated code reads int64 that way), so
 * they are exact up to 2^53.
 */
import { DataType, type Tensor } from '../../../../gen/ts/aria/interpret/v1/interpret.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { TensorType, TensorValue } from '../../services/interpret/index.js';

const TYPE_OF: Partial<Record<DataType, TensorType>> = {
  [DataType.DATA_TYPE_FLOAT32]: 'float32',
  [DataType.DATA_TYPE_FLOAT64]: 'float64',
  [DataType.DATA_TYPE_INT32]: 'int32',
  [DataType.DATA_TYPE_INT64]: 'int64',
};
const FIELD_OF: Record<TensorType, 'floatData' | 'doubleData' | 'int32Data' | 'int64Data'> = {
  float32: 'floatData', float64: 'doubleData', int32: 'int32Data', int64: 'int64Data',
};
const WIRE_NAME: Record<string, string> = { floatData: 'float_data', doubleData: 'double_data', int32Data: 'int32_data', int64Data: 'int64_data' };

/** A request's tensor as the service takes it; `field` names it in errors. */
export function tensorFromWire(t: Tensor, field: string): TensorValue {
  const type = TYPE_OF[t.type];
  if (!type) throw new InvalidArgumentError(`${field}.type`, 'must be set: DATA_TYPE_FLOAT32, _FLOAT64, _INT32 or _INT64');
  const own = FIELD_OF[type];
  for (const other of Object.values(FIELD_OF)) {
    if (other !== own && t[other].length > 0) throw new InvalidArgumentError(`${field}.${WIRE_NAME[other]}`, `the values of a ${type} tensor go in ${WIRE_NAME[own]}`);
  }
  const dims = t.dims.map((d) => Number(d));
  switch (type) {
    case 'float32': return { name: t.name, type, dims, data: Float32Array.from(t.floatData) };
    case 'float64': return { name: t.name, type, dims, data: Float64Array.from(t.doubleData) };
    case 'int32': return { name: t.name, type, dims, data: Int32Array.from(t.int32Data) };
    case 'int64': return { name: t.name, type, dims, data: BigInt64Array.from(t.int64Data, (n) => BigInt(n)) };
  }
}

/** A result tensor for the answer. */
export function tensorToWire(t: TensorValue): Tensor {
  const out: Tensor = { name: t.name, type: DataType.DATA_TYPE_UNSPECIFIED, dims: t.dims, floatData: [], doubleData: [], int32Data: [], int64Data: [] };
  switch (t.type) {
    case 'float32': return { ...out, type: DataType.DATA_TYPE_FLOAT32, floatData: Array.from(t.data as Float32Array) };
    case 'float64': return { ...out, type: DataType.DATA_TYPE_FLOAT64, doubleData: Array.from(t.data as Float64Array) };
    case 'int32': return { ...out, type: DataType.DATA_TYPE_INT32, int32Data: Array.from(t.data as Int32Array) };
    case 'int64': return { ...out, type: DataType.DATA_TYPE_INT64, int64Data: Array.from(t.data as BigInt64Array, (n) => Number(n)) };
  }
}
