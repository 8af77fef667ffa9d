/**
 * The storage behind SecretsService: versioned secrets by path. Two
 * backends implement it: Vault/OpenBao KV v2 (vault-secret-store.ts) and an
 * encrypted local file (file-secret-store.ts). Paths and values are checked
 * here, once, before any backend sees them.
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** One version of a secret, without its value. */
export interface SecretVersion {
  path: string;
  /** 1, 2, ... per path. */
  version: number;
  createdUnixMs: number;
}

/** A version and its value. */
export interface SecretEntry {
  meta: SecretVersion;
  value: Buffer;
}

/** A backend. Failures: NotFoundError, PreconditionError (cas), UnavailableError; never with a value in the message. */
export interface SecretStore {
  /** "vault" or "file", for status lines. */
  readonly kind: string;
  /** Stores a new version; with `cas`, only when the latest version is `cas` (0: absent). */
  put(path: string, value: Buffer, cas?: number): Promise<SecretVersion>;
  /** The latest version, or `version`. */
  get(path: string, version?: number): Promise<SecretEntry>;
  /** The paths at or under `prefix` (a segment boundary), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes every version; false when there was none. */
  delete(path: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Largest secret value. Secrets are credentials and keys, not documents. */
export const MAX_SECRET_BYTES = 64 * 1024;
/** Versions kept per path (Vault KV v2's default); older ones are dropped. */
export const MAX_VERSIONS = 10;

// Segments of a safe character set only: paths become Vault URL paths and
// file keys, so '..', '%', '?' and the like must never get through.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Checks a secret path ("a/b/c"); throws InvalidArgumentError naming `field`. */
export function checkPath(path: string, field = 'path'): string {
  if (!path) throw new InvalidArgumentError(field, 'missing');
  if (path.length > 512) throw new InvalidArgumentError(field, 'longer than 512 characters');
  for (const seg of path.split('/')) {
    if (!SEGMENT.test(seg)) {
      throw new InvalidArgumentError(field, `${JSON.stringify(path)} is not a path of segments [A-Za-z0-9_][A-Za-z0-9_.-]* separated by "/"`);
    }
  }
  return path;
}

/** Checks a list prefix: "" or a path, with or without a trailing "/". */
export function checkPrefix(prefix: string, field = 'prefix'): string {
  const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return bare === '' ? '' : checkPath(bare, field);
}

/** Checks a value's size (never its content, which must not reach a message). */
export function checkValue(value: Buffer, field = 'value'): Buffer {
  if (value.length > MAX_SECRET_BYTES) throw new InvalidArgumentError(field, `${value.length} bytes, more than the ${MAX_SECRET_BYTES} allowed`);
  return value;
}

/** Checks a version number (0 or undefined: the latest). */
export function checkVersion(version: number | undefined, field = 'version'): number | undefined {
  if (version === undefined || version === 0) return undefined;
  if (!Number.isInteger(version) || version < 0) throw new InvalidArgumentError(field, 'not a version number');
  return version;
}

/** True when `path` is `prefix` itself or lies under it. */
export function underPrefix(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}
