/**
 * The interpret service's logic: register ONNX models (checked by loading
 * them on a worker, which also reads their signature), run inference on
 * inputs checked against that signature, list and delete versions, and
 * route calls that name no version between two versions (A/B) with
 * figures per version.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../../core/errors.js';
import type { InferPool } from './infer-pool.js';
import { checkModelName, type ModelStore, type ModelVersion, type Route } from './model-store.js';
import { checkInputs, type TensorSpec, type TensorValue } from './tensor-spec.js';

/** Largest model file accepted (the gRPC message limit is usually lower). */
export const MAX_MODEL_BYTES = 64 * 1024 * 1024;
const TYPES = new Set(['float32', 'float64', 'int32', 'int64']);

/** Calls, failures and time of one model version since the server started. */
export interface VersionFigures {
  calls: number;
  errors: number;
  totalMs: number;
}

/** Registers and runs ONNX models. */
export class InterpretService {
  private readonly figures = new Map<string, VersionFigures>();

  constructor(
    private readonly store: ModelStore,
    private readonly pool: InferPool,
    /** Picks A/B routes; replaceable so that tests can count the split exactly. */
    private readonly random: () => number = Math.random,
  ) {}

  /** Stores `bytes` as the next version of `name` (the same content as the latest: no new version). */
  async register(name: string, bytes: Uint8Array, owner: string, signal?: AbortSignal): Promise<{ model: ModelVersion; created: boolean }> {
    checkModelName(name);
    if (bytes.length === 0) throw new InvalidArgumentError('onnx', 'must not be empty');
    if (bytes.length > MAX_MODEL_BYTES) throw new InvalidArgumentError('onnx', `${bytes.length} bytes, more than ${MAX_MODEL_BYTES}`);
    const digest = createHash('sha256').update(bytes).digest('hex');
    const sig = await this.pool.signature({ digest, bytes }, signal);
    checkSupported(sig.inputs, 'inputs');
    checkSupported(sig.outputs, 'outputs');
    return this.store.add({ name, digest, sizeBytes: bytes.length, inputs: sig.inputs, outputs: sig.outputs, owner }, bytes);
  }

  /** A version (the latest when `version` is 0 or undefined). */
  get(name: string, version?: number): ModelVersion {
    checkModelName(name);
    return this.store.get(name, version || undefined);
  }

  /** Every registered version. */
  list(): ModelVersion[] {
    return this.store.list();
  }

  /** Deletes one version. */
  async remove(name: string, version: number): Promise<void> {
    checkModelName(name);
    if (!Number.isInteger(version) || version < 1) throw new InvalidArgumentError('version', 'must be a version number (1, 2, ...)');
    await this.store.remove(name, version);
  }

  /** The A/B route of `name`, if any. */
  route(name: string): Route | undefined {
    return this.store.route(name);
  }

  /** Routes calls that name no version: `shareB` of them to version `b`, the rest to `a`; null removes the route. */
  async setRoute(name: string, route: Route | null): Promise<void> {
    checkModelName(name);
    if (route && !(route.shareB >= 0 && route.shareB <= 1)) throw new InvalidArgumentError('share_b', `must be from 0 to 1, got ${route.shareB}`);
    await this.store.setRoute(name, route);
  }

  /** Runs a version of `name` (the routed or latest one when `version` is 0 or undefined) on `inputs`. */
  async infer(name: string, version: number | undefined, inputs: TensorValue[], signal?: AbortSignal): Promise<{ model: ModelVersion; outputs: TensorValue[] }> {
    checkModelName(name);
    const model = this.store.get(name, version || this.routed(name));
    checkInputs(model.inputs, inputs);
    const fig = this.figuresOf(model);
    const started = performance.now();
    fig.calls++;
    try {
      return { model, outputs: await this.pool.run(this.store.source(model), inputs, signal) };
    } catch (err) {
      fig.errors++;
      throw err;
    } finally {
      fig.totalMs += performance.now() - started;
    }
  }

  /** The figures of one version (zeros before its first call). */
  figuresOf(model: Pick<ModelVersion, 'name' | 'version'>): VersionFigures {
    const key = `${model.name}@${model.version}`;
    let f = this.figures.get(key);
    if (!f) this.figures.set(key, (f = { calls: 0, errors: 0, totalMs: 0 }));
    return f;
  }

  private routed(name: string): number | undefined {
    const r = this.store.route(name);
    if (!r) return undefined;
    return this.random() < r.shareB ? r.b : r.a;
  }
}

/** Refuses models whose inputs or outputs the service cannot carry (strings, maps, sequences). */
function checkSupported(specs: TensorSpec[], which: 'inputs' | 'outputs'): void {
  const bad = specs.find((s) => !TYPES.has(s.type));
  if (bad) throw new InvalidArgumentError('onnx', `${which.slice(0, -1)} ${JSON.stringify(bad.name)} is ${bad.type}; the service carries float32, float64, int32 and int64 tensors`);
}
