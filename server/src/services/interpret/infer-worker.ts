/**
 * An interpret pool worker: one onnxruntime InferenceSession per model,
 * made on first use and kept (the few most recent), each with one intra-op
 * thread, since the pool already runs one worker per core.
 */
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import type { InferReply, LoadTask, ModelSource, RunTask, WireTensor } from './infer-protocol.js';
import type { TensorSpec, TensorType } from './tensor-spec.js';

/** Sessions kept per worker; the least recently used goes first. */
const KEEP = 8;
const sessions = new Map<string, Promise<ort.InferenceSession>>();
ort.env.logLevel = 'fatal';

async function session(model: ModelSource): Promise<ort.InferenceSession> {
  let s = sessions.get(model.digest);
  if (s) {
    sessions.delete(model.digest);
    sessions.set(model.digest, s);
    return s;
  }
  s = (async () => {
    const bytes = model.bytes ?? (model.path ? new Uint8Array(await readFile(model.path)) : undefined);
    if (!bytes) throw new Error('no model bytes or file');
    // Warnings (shape merges and the like) would land on the server's stderr; errors come back as values.
    return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 4 });
  })();
  sessions.set(model.digest, s);
  s.catch(() => sessions.delete(model.digest));
  while (sessions.size > KEEP) {
    const oldest = sessions.keys().next().value as string;
    const gone = sessions.get(oldest);
    sessions.delete(oldest);
    gone?.then((x) => x.release(), () => undefined);
  }
  return s;
}

function specs(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorSpec[] {
  return meta.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] }));
}

const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: BigInt64Array } as const;

function toOrt(t: WireTensor): ort.Tensor {
  return new ort.Tensor(t.type, new ARRAYS[t.type](t.buffer), t.dims);
}

function fromOrt(name: string, t: ort.Tensor): WireTensor {
  const data = t.data as Float32Array | Float64Array | Int32Array | BigInt64Array;
  if (!(t.type in ARRAYS)) throw new Error(`output ${name} is ${t.type}, which the service does not return`);
  const copy = data.slice();
  return { name, type: t.type as TensorType, dims: [...t.dims], buffer: copy.buffer as ArrayBuffer };
}

/** The worker's entry: load or run; failures come back as values, never as thrown errors. */
export default async function handle(task: LoadTask | RunTask): Promise<InferReply> {
  let s: ort.InferenceSession;
  try {
    s = await session(task.model);
  } catch (err) {
    return { ok: false, kind: 'model', message: (err as Error).message };
  }
  const sig = { inputs: specs(s.inputMetadata), outputs: specs(s.outputMetadata) };
  if (task.op === 'load') return { ok: true, ...sig };
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of task.inputs) feeds[t.name] = toOrt(t);
    const out = await s.run(feeds);
    return { ok: true, ...sig, results: s.outputNames.map((n) => fromOrt(n, out[n] as ort.Tensor)) };
  } catch (err) {
    return { ok: false, kind: 'run', message: (err as Error).message };
  }
}
