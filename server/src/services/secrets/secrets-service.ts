/**
 * SecretsService's logic, shared by the gRPC adapter and by the server's
 * other services, which take their credentials (signing keys, a database
 * URL) from here in-process. Values come back wrapped in Redacted so that
 * logging a result by mistake prints "[redacted]".
 *
 * Paths under `system/` belong to the server; clients (the adapter) must go
 * through the `client*` methods, which refuse them.
 */
import { PermissionDeniedError } from '../../core/errors.js';
import { Redacted } from '../../core/redacted.js';
import { checkPath, checkPrefix, checkValue, checkVersion, underPrefix, type SecretStore, type SecretVersion } from './secret-store.js';

/** The server's own secrets live under this prefix. */
export const SYSTEM_PREFIX = 'system';

/** A secret version and its (redacted) value. */
export interface SecretValue {
  meta: SecretVersion;
  value: Redacted<Buffer>;
}

/** Versioned secrets by path on one backend. */
export class SecretsService {
  constructor(private readonly store: SecretStore) {}

  /** The backend's kind ("vault" or "file"). */
  get backend(): string {
    return this.store.kind;
  }

  /** Stores a new version; `cas` as in SecretStore.put. */
  async put(path: string, value: Buffer | Redacted<Buffer>, cas?: number): Promise<SecretVersion> {
    const bytes = value instanceof Redacted ? value.reveal() : value;
    return this.store.put(checkPath(path), checkValue(bytes), cas);
  }

  /** One version (the latest by default). */
  async get(path: string, version?: number): Promise<SecretValue> {
    const entry = await this.store.get(checkPath(path), checkVersion(version));
    return { meta: entry.meta, value: new Redacted(entry.value) };
  }

  /** The latest version as UTF-8 text, or undefined when there is none. */
  async getText(path: string): Promise<Redacted<string> | undefined> {
    try {
      return new Redacted((await this.get(path)).value.reveal().toString('utf8'));
    } catch (err) {
      if ((err as Error).name === 'NotFoundError') return undefined;
      throw err;
    }
  }

  /** The paths under a prefix. */
  async list(prefix: string): Promise<string[]> {
    return this.store.list(checkPrefix(prefix));
  }

  /** Removes every version of a secret. */
  async delete(path: string): Promise<boolean> {
    return this.store.delete(checkPath(path));
  }

  /** put, for clients: system paths refused. */
  async clientPut(path: string, value: Buffer, cas?: number): Promise<SecretVersion> {
    return this.put(clientPath(path), value, cas);
  }

  /** get, for clients. */
  async clientGet(path: string, version?: number): Promise<SecretValue> {
    return this.get(clientPath(path), version);
  }

  /** list, for clients: system paths left out. */
  async clientList(prefix: string): Promise<string[]> {
    const paths = await this.list(prefix);
    return paths.filter((p) => !underPrefix(p, SYSTEM_PREFIX));
  }

  /** delete, for clients. */
  async clientDelete(path: string): Promise<boolean> {
    return this.delete(clientPath(path));
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function clientPath(path: string): string {
  checkPath(path);
  if (underPrefix(path, SYSTEM_PREFIX)) throw new PermissionDeniedError(`secret paths under ${SYSTEM_PREFIX}/ belong to the server`);
  return path;
}
