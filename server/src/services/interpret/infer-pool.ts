/**
 * The interpret service's worker pool (piscina): inference never runs on
 * the event loop. A model that fails to load is an error for that model
 * only; a call's AbortSignal drops it from the queue or stops waiting.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { CallAbortedError, InvalidArgumentError, UnavailableError } from '../../core/errors.js';
import { boundText } from '../../core/bounded-text.js';
import type { InferReply, LoadTask, ModelSource, RunTask, WireTensor } from './infer-protocol.js';
import type { TensorData, TensorSpec, TensorValue } from './tensor-spec.js';

const WORKER = new URL('./infer-worker.js', import.meta.url).href;

/** A model's inputs and outputs as onnxruntime reads them. */
export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/** Runs ONNX models on worker threads. */
export class InferPool {
  private readonly piscina: Piscina<LoadTask | RunTask, InferReply>;

  constructor(options: { size?: number; maxQueue?: number } = {}) {
    const size = Math.max(1, options.size ?? Math.min(4, availableParallelism()));
    // No thread until a model is used: a worker loads onnxruntime's native addon, which costs memory in
    // every server, and a worker terminated while the addon initialises (a server stopped just after it
    // started) aborted the whole process with an uncaught Napi::Error.
    this.piscina = new Piscina({ filename: WORKER, minThreads: 0, maxThreads: size, maxQueue: options.maxQueue ?? 1024, idleTimeout: 60_000 });
  }

  /** Loads `model` on a worker and reads its signature; a file onnxruntime cannot load is InvalidArgumentError. */
  async signature(model: ModelSource, signal?: AbortSignal): Promise<ModelSignature> {
    const r = await this.ask({ op: 'load', model }, signal);
    if (!r.ok) throw new InvalidArgumentError('model', `onnxruntime cannot load it: ${boundText(r.message, 500)}`);
    return { inputs: r.inputs, outputs: r.outputs };
  }

  /** Runs `model` on checked inputs; the outputs in the model's order. */
  async run(model: ModelSource, inputs: TensorValue[], signal?: AbortSignal): Promise<TensorValue[]> {
    const wire: WireTensor[] = inputs.map((t) => ({ name: t.name, type: t.type, dims: t.dims, buffer: ownBuffer(t.data) }));
    const r = await this.ask({ op: 'run', model, inputs: wire }, signal);
    if (!r.ok) {
      if (r.kind === 'model') throw new UnavailableError(`model ${model.digest.slice(0, 12)} did not load on a worker: ${boundText(r.message, 500)}`);
      throw new InvalidArgumentError('inputs', `the model refused them: ${boundText(r.message, 500)}`);
    }
    return (r.results ?? []).map((t) => ({ name: t.name, type: t.type, dims: t.dims, data: view(t) }));
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await this.piscina.destroy();
  }

  private async ask(task: LoadTask | RunTask, signal?: AbortSignal): Promise<InferReply> {
    signal?.throwIfAborted();
    try {
      return await this.piscina.run(task, { signal });
    } catch (err) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new CallAbortedError('cancelled');
      if ((err as Error).message?.includes('queue is full')) throw new UnavailableError('the interpret pool is busy; retry later');
      throw err;
    }
  }
}

/** The typed array's bytes as an ArrayBuffer of their own (a view may share a larger one). */
function ownBuffer(data: TensorData): ArrayBuffer {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? (data.buffer as ArrayBuffer) : (data.slice().buffer as ArrayBuffer);
}

function view(t: WireTensor): TensorData {
  switch (t.type) {
    case 'float32': return new Float32Array(t.buffer);
    case 'float64': return new Float64Array(t.buffer);
    case 'int32': return new Int32Array(t.buffer);
    case 'int64': return new BigInt64Array(t.buffer);
  }
}
