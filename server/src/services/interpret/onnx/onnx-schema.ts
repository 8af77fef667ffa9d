/**
 * The part of ONNX's own protobuf schema (onnx/onnx.proto, IR version 8)
 * that a model made here needs: a graph of nodes over named tensors, with
 * initializers for weights. Field numbers are ONNX's; protobufjs encodes
 * them, so the model files are what onnxruntime and every other ONNX tool
 * read.
 */
import protobuf from 'protobufjs';

const S = 'string';
const I64 = 'int64';

/** The ONNX messages, as a protobufjs root. */
export const onnxRoot = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { id: 1, type: I64 }, opsetImport: { id: 8, rule: 'repeated', type: 'OperatorSetIdProto' },
            producerName: { id: 2, type: S }, producerVersion: { id: 3, type: S }, domain: { id: 4, type: S },
            modelVersion: { id: 5, type: I64 }, docString: { id: 6, type: S }, graph: { id: 7, type: 'GraphProto' },
          },
        },
        OperatorSetIdProto: { fields: { domain: { id: 1, type: S }, version: { id: 2, type: I64 } } },
        GraphProto: {
          fields: {
            node: { id: 1, rule: 'repeated', type: 'NodeProto' }, name: { id: 2, type: S },
            initializer: { id: 5, rule: 'repeated', type: 'TensorProto' }, docString: { id: 10, type: S },
            input: { id: 11, rule: 'repeated', type: 'ValueInfoProto' }, output: { id: 12, rule: 'repeated', type: 'ValueInfoProto' },
          },
        },
        NodeProto: {
          fields: {
            input: { id: 1, rule: 'repeated', type: S }, output: { id: 2, rule: 'repeated', type: S }, name: { id: 3, type: S },
            opType: { id: 4, type: S }, attribute: { id: 5, rule: 'repeated', type: 'AttributeProto' }, domain: { id: 7, type: S },
          },
        },
        AttributeProto: {
          fields: {
            name: { id: 1, type: S }, f: { id: 2, type: 'float' }, i: { id: 3, type: I64 }, s: { id: 4, type: 'bytes' },
            ints: { id: 8, rule: 'repeated', type: I64 }, type: { id: 20, type: 'int32' },
          },
        },
        TensorProto: {
          fields: {
            dims: { id: 1, rule: 'repeated', type: I64 }, dataType: { id: 2, type: 'int32' },
            name: { id: 8, type: S }, rawData: { id: 9, type: 'bytes' },
          },
        },
        ValueInfoProto: { fields: { name: { id: 1, type: S }, type: { id: 2, type: 'TypeProto' } } },
        TypeProto: { fields: { tensorType: { id: 1, type: 'TypeProtoTensor' } } },
        TypeProtoTensor: { fields: { elemType: { id: 1, type: 'int32' }, shape: { id: 2, type: 'TensorShapeProto' } } },
        TensorShapeProto: { fields: { dim: { id: 1, rule: 'repeated', type: 'Dimension' } } },
        Dimension: { oneofs: { value: { oneof: ['dimValue', 'dimParam'] } }, fields: { dimValue: { id: 1, type: I64 }, dimParam: { id: 2, type: S } } },
      },
    },
  },
});

/** ONNX's TensorProto.DataType values used here. */
export const OnnxType = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;
/** ONNX's AttributeProto.AttributeType values used here. */
export const OnnxAttr = { FLOAT: 1, INT: 2, INTS: 7 } as const;
