/**
 * Secrets in Vault or OpenBao, KV version 2, through node-vault. A secret
 * at `path` lives at `<mount>/data/<prefix>/<path>`; its value is kept as
 * `{ value: <base64>, encoding: "base64" }` so that any bytes round-trip.
 * Secrets written by other tools (`vault kv put secret/aria/x value=...`)
 * read back as their `value` field in UTF-8, or as the JSON of their data.
 *
 * node-vault's debug output would print written data, so it gets a no-op
 * logger; its errors are replaced by ours, which name the path and the HTTP
 * status only.
 */
import nodeVault from 'node-vault';
import { NotFoundError, PreconditionError, UnavailableError } from '../../core/errors.js';
import { underPrefix, type SecretEntry, type SecretStore, type SecretVersion } from './secret-store.js';

/** Where the store finds Vault. */
export interface VaultStoreOptions {
  /** VAULT_ADDR, e.g. https://vault.example:8200 */
  endpoint: string;
  /** VAULT_TOKEN */
  token: string;
  /** The KV v2 mount (default "secret"). */
  mount?: string;
  /** A folder inside the mount for this server's secrets (default "aria"; "" for the mount's root). */
  prefix?: string;
  /** Vault Enterprise / OpenBao namespace. */
  namespace?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

interface VaultFailure {
  response?: { statusCode?: number; body?: { errors?: unknown[] } };
  code?: string;
}

/** A SecretStore on Vault KV v2. */
export class VaultSecretStore implements SecretStore {
  readonly kind = 'vault';
  private readonly client: nodeVault.client;
  private readonly mount: string;
  private readonly prefix: string;

  constructor(options: VaultStoreOptions) {
    this.client = nodeVault({
      endpoint: options.endpoint,
      token: options.token,
      namespace: options.namespace,
      // GET ?list=1 instead of the LIST verb, which some proxies and HTTP stacks refuse.
      noCustomHTTPVerbs: true,
      debug: () => undefined,
      requestOptions: { timeout: options.timeoutMs ?? 10_000 },
    });
    this.mount = trimSlashes(options.mount ?? 'secret');
    this.prefix = trimSlashes(options.prefix ?? 'aria');
  }

  async put(path: string, value: Buffer, cas?: number): Promise<SecretVersion> {
    const body: Record<string, unknown> = { data: { value: value.toString('base64'), encoding: 'base64' } };
    if (cas !== undefined) body.options = { cas };
    const res = await this.call(path, () => this.client.write(this.url('data', path), body));
    return { path, version: Number(res?.data?.version), createdUnixMs: Date.parse(res?.data?.created_time) || Date.now() };
  }

  async get(path: string, version?: number): Promise<SecretEntry> {
    const query = version === undefined ? '' : `?version=${version}`;
    const res = await this.call(path, () => this.client.read(`${this.url('data', path)}${query}`), version);
    const meta = res?.data?.metadata ?? {};
    // A deleted or destroyed version answers 200 with null data in some versions of Vault.
    if (!res?.data?.data || meta.destroyed || meta.deletion_time) throw notFound(path, version);
    return {
      meta: { path, version: Number(meta.version), createdUnixMs: Date.parse(meta.created_time) || 0 },
      value: decodeValue(res.data.data as Record<string, unknown>),
    };
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    // A prefix may name a secret as well as a folder.
    if (prefix !== '' && (await this.exists(prefix))) out.push(prefix);
    await this.walk(prefix, out);
    return out.filter((p) => underPrefix(p, prefix)).sort();
  }

  async delete(path: string): Promise<boolean> {
    if (!(await this.exists(path))) return false;
    await this.call(path, () => this.client.delete(this.url('metadata', path)));
    return true;
  }

  async close(): Promise<void> {}

  private async exists(path: string): Promise<boolean> {
    try {
      await this.call(path, () => this.client.read(this.url('metadata', path)));
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  /** Lists folders depth-first; KV v2 lists one level at a time, folders ending in "/". */
  private async walk(folder: string, out: string[]): Promise<void> {
    let keys: string[];
    try {
      const res = await this.call(folder || '/', () => this.client.list(this.url('metadata', folder)));
      keys = (res?.data?.keys ?? []) as string[];
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
    for (const key of keys) {
      const full = folder === '' ? key : `${folder}/${key}`;
      if (key.endsWith('/')) await this.walk(full.slice(0, -1), out);
      else out.push(full);
    }
  }

  private url(kind: 'data' | 'metadata', path: string): string {
    return [this.mount, kind, this.prefix, path].filter((s) => s !== '').join('/');
  }

  /** Runs one request; maps Vault's failures to ours. */
  private async call(path: string, fn: () => Promise<any>, version?: number): Promise<any> {
    try {
      return await fn();
    } catch (err) {
      const e = err as VaultFailure;
      const code = e.response?.statusCode;
      if (code === 404) throw notFound(path, version);
      const reason = String(e.response?.body?.errors?.[0] ?? '');
      if (code === 400 && /check-and-set/i.test(reason)) throw new PreconditionError(`secret ${path}: check-and-set version did not match the latest version`);
      if (code !== undefined) throw new UnavailableError(`secrets backend answered HTTP ${code} for ${path}${reason ? `: ${reason.slice(0, 200)}` : ''}`);
      throw new UnavailableError(`secrets backend unreachable (${e.code ?? 'network error'})`);
    }
  }
}

function notFound(path: string, version?: number): NotFoundError {
  return new NotFoundError(version === undefined ? `secret ${path} not found` : `secret ${path} has no version ${version}`);
}

function decodeValue(data: Record<string, unknown>): Buffer {
  if (data.encoding === 'base64' && typeof data.value === 'string') return Buffer.from(data.value, 'base64');
  if (typeof data.value === 'string') return Buffer.from(data.value, 'utf8');
  return Buffer.from(JSON.stringify(data), 'utf8');
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}
