/**
 * The interpret service's face: ONNX models registered, checked and run on
 * worker threads (onnxruntime-node), with A/B routes between versions, and
 * the builder of the small models the tests, examples and tune make.
 */
export { InterpretService, MAX_MODEL_BYTES, type VersionFigures } from './interpret-service.js';
export { InferPool, type ModelSignature } from './infer-pool.js';
export { ModelStore, checkModelName, type ModelVersion, type Route } from './model-store.js';
export { checkInputs, shapeText, MAX_TENSOR_ELEMENTS, type TensorSpec, type TensorType, type TensorValue, type TensorData } from './tensor-spec.js';
export { mlpModel, type DenseLayer, type MlpSpec } from './onnx/mlp-model.js';
