/**
 * Registered models: each version's name, digest, signature and owner in a
 * manifest (`models.json`, replaced atomically), the ONNX bytes in
 * `<digest>.onnx` beside it, shared by versions with the same content.
 * Without a folder everything stays in memory. One server owns a folder
 * (the data folder is locked); the manifest is the truth between writes.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { Mutex } from '../../core/mutex.js';
import { writeFileAtomic } from '../../core/atomic-file.js';
import type { ModelSource } from './infer-protocol.js';
import type { TensorSpec } from './tensor-spec.js';

/** One version of a registered model. */
export interface ModelVersion {
  name: string;
  version: number;
  /** Hex SHA-256 of the ONNX file. */
  digest: string;
  sizeBytes: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  owner: string;
  createdUnixMs: number;
}

/** Calls without a version go to `a`, or to `b` for a share of them. */
export interface Route {
  a: number;
  b: number;
  /** 0-1: the share of calls `b` gets. */
  shareB: number;
}

interface Manifest {
  format: 'aria-models/1';
  versions: ModelVersion[];
  routes: Record<string, Route>;
  /** The highest version each name ever had: a deleted version's number is never given again. */
  highest: Record<string, number>;
}

const EMPTY: Manifest = { format: 'aria-models/1', versions: [], routes: {}, highest: {} };

/** `obj` with `key` set to `value` (or removed when undefined), whatever the key: names are the user's. */
function withKey<T>(obj: Record<string, T>, key: string, value: T | undefined): Record<string, T> {
  const out = Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));
  if (value !== undefined) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Throws InvalidArgumentError unless `name` is a model name. */
export function checkModelName(name: string, field = 'name'): void {
  if (!NAME.test(name)) throw new InvalidArgumentError(field, 'a model name is 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');
}

/** The registry of models and routes. */
export class ModelStore {
  private readonly mutex = new Mutex();
  /** In-memory bytes by digest (a store without a folder). */
  private readonly bytes = new Map<string, Uint8Array>();

  private constructor(private readonly dir: string | null, private manifest: Manifest) {}

  /** Opens the store in `dir` (created when missing), or in memory when null. */
  static async open(dir: string | null): Promise<ModelStore> {
    if (dir === null) return new ModelStore(null, EMPTY);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let manifest: Manifest = EMPTY;
    try {
      const parsed = JSON.parse(await readFile(join(dir, 'models.json'), 'utf8')) as Manifest;
      if (parsed.format !== 'aria-models/1' || !Array.isArray(parsed.versions)) throw new Error('unknown format');
      manifest = { ...parsed, routes: parsed.routes ?? {}, highest: parsed.highest ?? {} };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`model store ${dir}: models.json is unreadable (${(err as Error).message})`);
    }
    return new ModelStore(dir, manifest);
  }

  /** Where a worker reads a version's bytes. */
  source(v: ModelVersion): ModelSource {
    return this.dir === null ? { digest: v.digest, bytes: this.bytes.get(v.digest) } : { digest: v.digest, path: join(this.dir, `${v.digest}.onnx`) };
  }

  /** Adds a version unless the latest of `name` has the same digest; `created` says which. */
  add(entry: Omit<ModelVersion, 'version' | 'createdUnixMs'>, bytes: Uint8Array): Promise<{ model: ModelVersion; created: boolean }> {
    return this.mutex.run(async () => {
      const latest = this.latest(entry.name);
      if (latest?.digest === entry.digest) return { model: latest, created: false };
      const highest = Object.hasOwn(this.manifest.highest, entry.name) ? this.manifest.highest[entry.name] : 0;
      const model: ModelVersion = { ...entry, version: Math.max(highest, latest?.version ?? 0) + 1, createdUnixMs: Date.now() };
      if (this.dir === null) this.bytes.set(entry.digest, bytes);
      else await writeFileAtomic(join(this.dir, `${entry.digest}.onnx`), bytes);
      await this.save({ ...this.manifest, versions: [...this.manifest.versions, model], highest: withKey(this.manifest.highest, entry.name, model.version) });
      return { model, created: true };
    });
  }

  /** A version (the latest when `version` is undefined); NotFoundError when there is none. */
  get(name: string, version?: number): ModelVersion {
    const found = version === undefined ? this.latest(name) : this.manifest.versions.find((v) => v.name === name && v.version === version);
    if (!found) throw new NotFoundError(version === undefined ? `model ${name} not found` : `model ${name} has no version ${version}`);
    return found;
  }

  /** Every version, by name then version. */
  list(): ModelVersion[] {
    return [...this.manifest.versions].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.version - y.version));
  }

  /** The route of `name`, if one is set. */
  route(name: string): Route | undefined {
    return Object.hasOwn(this.manifest.routes, name) ? this.manifest.routes[name] : undefined;
  }

  /** Sets (or with null clears) the route of `name`; both versions must exist. */
  setRoute(name: string, route: Route | null): Promise<void> {
    return this.mutex.run(async () => {
      if (route) {
        this.get(name, route.a);
        this.get(name, route.b);
      }
      await this.save({ ...this.manifest, routes: withKey(this.manifest.routes, name, route ?? undefined) });
    });
  }

  /** Removes a version (and its route, if it was in one); the file goes when no version uses it. */
  remove(name: string, version: number): Promise<void> {
    return this.mutex.run(async () => {
      const gone = this.get(name, version);
      const versions = this.manifest.versions.filter((v) => v !== gone);
      const route = this.route(name);
      const routes = route && (route.a === version || route.b === version) ? withKey(this.manifest.routes, name, undefined) : this.manifest.routes;
      await this.save({ ...this.manifest, versions, routes });
      if (!versions.some((v) => v.digest === gone.digest)) {
        this.bytes.delete(gone.digest);
        if (this.dir !== null) await rm(join(this.dir, `${gone.digest}.onnx`), { force: true });
      }
    });
  }

  private latest(name: string): ModelVersion | undefined {
    let best: ModelVersion | undefined;
    for (const v of this.manifest.versions) if (v.name === name && (!best || v.version > best.version)) best = v;
    return best;
  }

  private async save(next: Manifest): Promise<void> {
    if (this.dir !== null) await writeFileAtomic(join(this.dir, 'models.json'), Buffer.from(`${JSON.stringify(next)}\n`));
    this.manifest = next;
  }
}
