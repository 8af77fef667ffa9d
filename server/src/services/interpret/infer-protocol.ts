/**
 * What the interpret pool's main side and its workers say to each other.
 * A model travels by its digest; the first task a worker gets for a model
 * also carries where to read it (a file) or its bytes, and the worker keeps
 * the session. Tensor data crosses as ArrayBuffers.
 */
import type { TensorSpec, TensorType } from './tensor-spec.js';

/** Where a worker finds a model it has not loaded yet. */
export interface ModelSource {
  digest: string;
  /** A file to read; else `bytes`. */
  path?: string;
  bytes?: Uint8Array;
}

/** A tensor on the wire between threads. */
export interface WireTensor {
  name: string;
  type: TensorType;
  dims: number[];
  buffer: ArrayBuffer;
}

/** Load a model (and say its signature). */
export interface LoadTask { op: 'load'; model: ModelSource }
/** Run a loaded (or loadable) model on inputs. */
export interface RunTask { op: 'run'; model: ModelSource; inputs: WireTensor[] }

/** A worker's answer. */
export type InferReply =
  | { ok: true; inputs: TensorSpec[]; outputs: TensorSpec[]; results?: WireTensor[] }
  | { ok: false; kind: 'model' | 'run'; message: string };
