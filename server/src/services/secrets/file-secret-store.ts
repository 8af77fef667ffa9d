/**
 * The embedded secret store: every secret in one file, encrypted as a whole
 * with AES-256-GCM (a fresh 96-bit IV per write; the format name is the
 * additional data, so a file of another format does not decrypt). Encrypting
 * the whole file hides the paths too, and one authenticated blob cannot be
 * tampered with piecewise. Writes are atomic (temp file, fsync, rename).
 *
 * One process owns a file: the decrypted copy lives in memory and is the
 * truth between writes.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, NotFoundError, PreconditionError } from '../../core/errors.js';
import { Mutex } from '../../core/mutex.js';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { MAX_VERSIONS, underPrefix, type SecretEntry, type SecretStore, type SecretVersion } from './secret-store.js';

const FORMAT = 'aria-secrets/1';

interface StoredVersion {
  v: number;
  at: number;
  /** base64 */
  value: string;
}
/** The file's JSON form: an object keyed by path. */
interface Plain {
  secrets: Record<string, { versions: StoredVersion[] }>;
}
/** In memory: a Map, since a path may be any string (`valueOf`, `__proto__`). */
type Secrets = Map<string, StoredVersion[]>;
interface Envelope {
  format: string;
  iv: string;
  tag: string;
  data: string;
}

/** Secrets in an AES-256-GCM encrypted file. */
export class FileSecretStore implements SecretStore {
  get kind(): string {
    return this.file === null ? 'memory' : 'file';
  }
  private readonly mutex = new Mutex();

  private constructor(
    /** null: in memory only (a server without a data folder, tests). */
    private readonly file: string | null,
    private readonly key: Buffer,
    private secrets: Secrets,
  ) {}

  /** Opens (or starts) the store in `file` with a 32-byte key; a wrong key fails here. */
  static async open(file: string, key: Buffer): Promise<FileSecretStore> {
    let raw: string | undefined;
    try {
      raw = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new FileSecretStore(file, key, raw === undefined ? new Map() : decrypt(raw, key, file));
  }

  /** A store that keeps its secrets in memory only, gone at exit. */
  static memory(): FileSecretStore {
    return new FileSecretStore(null, randomBytes(32), new Map());
  }

  put(path: string, value: Buffer, cas?: number): Promise<SecretVersion> {
    return this.mutex.run(async () => {
      const versions = [...(this.secrets.get(path) ?? [])];
      const latest = versions.at(-1)?.v ?? 0;
      if (cas !== undefined && cas !== latest) {
        throw new PreconditionError(`secret ${path}: check-and-set expected version ${cas}, the latest is ${latest}`);
      }
      const stored: StoredVersion = { v: latest + 1, at: Date.now(), value: value.toString('base64') };
      versions.push(stored);
      if (versions.length > MAX_VERSIONS) versions.splice(0, versions.length - MAX_VERSIONS);
      await this.persist(new Map(this.secrets).set(path, versions));
      return { path, version: stored.v, createdUnixMs: stored.at };
    });
  }

  async get(path: string, version?: number): Promise<SecretEntry> {
    const versions = this.secrets.get(path) ?? [];
    const found = version === undefined ? versions.at(-1) : versions.find((v) => v.v === version);
    if (!found) throw new NotFoundError(version === undefined ? `secret ${path} not found` : `secret ${path} has no version ${version}`);
    return { meta: { path, version: found.v, createdUnixMs: found.at }, value: Buffer.from(found.value, 'base64') };
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.secrets.keys()].filter((p) => underPrefix(p, prefix)).sort();
  }

  delete(path: string): Promise<boolean> {
    return this.mutex.run(async () => {
      if (!this.secrets.has(path)) return false;
      const next = new Map(this.secrets);
      next.delete(path);
      await this.persist(next);
      return true;
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => undefined);
  }

  /** Writes `next` durably, then makes it the truth (a failed write changes nothing). */
  private async persist(next: Secrets): Promise<void> {
    if (this.file === null) {
      this.secrets = next;
      return;
    }
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, encrypt(next, this.key));
    this.secrets = next;
  }
}

function encrypt(secrets: Secrets, key: Buffer): string {
  // fromEntries defines each key as an own property, `__proto__` included.
  const plain: Plain = { secrets: Object.fromEntries([...secrets].map(([path, versions]) => [path, { versions }])) };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(FORMAT));
  const data = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
  const env: Envelope = { format: FORMAT, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  return `${JSON.stringify(env)}\n`;
}

function decrypt(raw: string, key: Buffer, file: string): Secrets {
  let env: Envelope;
  try {
    env = JSON.parse(raw) as Envelope;
  } catch {
    throw new ConfigError(`secret store ${file}: not a secret store file`);
  }
  if (env.format !== FORMAT) throw new ConfigError(`secret store ${file}: format ${JSON.stringify(env.format)}, expected ${FORMAT}`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(env.iv, 'base64'));
    decipher.setAAD(Buffer.from(FORMAT));
    decipher.setAuthTag(Buffer.from(env.tag, 'base64'));
    const text = Buffer.concat([decipher.update(Buffer.from(env.data, 'base64')), decipher.final()]).toString('utf8');
    const plain = JSON.parse(text) as Plain;
    return new Map(Object.entries(plain.secrets).map(([path, entry]) => [path, entry.versions]));
  } catch {
    // GCM cannot tell a wrong key from tampering; the cause would say nothing more.
    throw new ConfigError(`secret store ${file}: cannot decrypt it (wrong ARIA_MASTER_KEY or master key file, or the file was altered)`);
  }
}
