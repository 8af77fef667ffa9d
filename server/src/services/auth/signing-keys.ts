/**
 * The JWT signing keys (Ed25519), kept in the secrets service at
 * `system/auth/signing-keys` so that every server of a deployment signs and
 * verifies with the same ring. Rotation adds a key and makes it current;
 * the previous keys keep verifying until every token they signed has
 * expired (`keepMs`), then drop out at a later rotation. Writes use
 * check-and-set, so two servers rotating at once cannot lose a key; a
 * server that meets a key id it does not know reloads the ring (at most
 * once a second, so forged key ids cannot make it hammer the backend).
 */
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { Mutex } from '../../core/mutex.js';
import type { SecretsService } from '../secrets/index.js';

/** Where the ring lives in the secrets service. */
export const SIGNING_KEYS_PATH = 'system/auth/signing-keys';
/** The JWS algorithm. */
export const ALG = 'Ed25519';

interface StoredKey {
  kid: string;
  jwk: JWK;
  createdUnixMs: number;
  /** Once past this, the key neither signs nor verifies and is dropped at the next write. */
  retiresUnixMs?: number;
}
interface StoredRing {
  current: string;
  keys: StoredKey[];
}
interface LoadedKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  createdUnixMs: number;
  retiresUnixMs?: number;
}

/** The signing keys of a deployment. */
export class KeyRing {
  private keys = new Map<string, LoadedKey>();
  private currentKid = '';
  private version = 0;
  private lastReload = 0;
  private readonly mutex = new Mutex();

  private constructor(
    private readonly secrets: SecretsService,
    private readonly keepMs: number,
  ) {}

  /** Loads the ring, creating it with one key when there is none. `keepMs`: how long a replaced key keeps verifying. */
  static async open(secrets: SecretsService, keepMs: number): Promise<KeyRing> {
    const ring = new KeyRing(secrets, keepMs);
    await ring.mutex.run(() => ring.loadOrCreate());
    return ring;
  }

  /** The key that signs new tokens. */
  current(): { kid: string; privateKey: CryptoKey } {
    const k = this.keys.get(this.currentKid);
    if (!k) throw new Error('no current signing key');
    return { kid: k.kid, privateKey: k.privateKey };
  }

  /** The age of the current key (ms). */
  currentAgeMs(): number {
    return Date.now() - (this.keys.get(this.currentKid)?.createdUnixMs ?? 0);
  }

  /** The ids of the keys that still verify, newest first. */
  activeKids(): string[] {
    const now = Date.now();
    return [...this.keys.values()].filter((k) => !k.retiresUnixMs || k.retiresUnixMs > now).sort((a, b) => b.createdUnixMs - a.createdUnixMs).map((k) => k.kid);
  }

  /** The public key for `kid`, reloading the ring once when the id is new to this server. */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    let k = this.keys.get(kid);
    if (!k && Date.now() - this.lastReload > 1000) {
      // Marked before the reload starts, so that a burst of unknown ids triggers one reload.
      this.lastReload = Date.now();
      await this.reload();
      k = this.keys.get(kid);
    }
    if (!k || (k.retiresUnixMs !== undefined && k.retiresUnixMs <= Date.now())) return undefined;
    return k.publicKey;
  }

  /** The public key for `kid` if this server already holds it (no I/O). */
  knownPublicKey(kid: string): CryptoKey | undefined {
    const k = this.keys.get(kid);
    return k && (k.retiresUnixMs === undefined || k.retiresUnixMs > Date.now()) ? k.publicKey : undefined;
  }

  /** Reads the ring again (other servers may have rotated). */
  reload(): Promise<void> {
    return this.mutex.run(async () => {
      this.lastReload = Date.now();
      const got = await this.secrets.get(SIGNING_KEYS_PATH);
      if (got.meta.version !== this.version) await this.adopt(JSON.parse(got.value.reveal().toString('utf8')) as StoredRing, got.meta.version);
    });
  }

  /** Makes a new key current; the others retire after `keepMs`. */
  rotate(): Promise<{ kid: string; active: string[] }> {
    return this.mutex.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const got = await this.secrets.get(SIGNING_KEYS_PATH);
        const ring = JSON.parse(got.value.reveal().toString('utf8')) as StoredRing;
        const now = Date.now();
        const fresh = await newKey();
        const keys = ring.keys
          .filter((k) => !k.retiresUnixMs || k.retiresUnixMs > now)
          .map((k) => ({ ...k, retiresUnixMs: k.retiresUnixMs ?? now + this.keepMs }));
        const next: StoredRing = { current: fresh.kid, keys: [...keys, fresh] };
        try {
          const written = await this.secrets.put(SIGNING_KEYS_PATH, Buffer.from(JSON.stringify(next)), got.meta.version);
          await this.adopt(next, written.version);
          return { kid: fresh.kid, active: this.activeKids() };
        } catch (err) {
          // Another server rotated in between: start again from its ring.
          if ((err as Error).name !== 'PreconditionError' || attempt >= 5) throw err;
        }
      }
    });
  }

  private async loadOrCreate(): Promise<void> {
    try {
      const got = await this.secrets.get(SIGNING_KEYS_PATH);
      await this.adopt(JSON.parse(got.value.reveal().toString('utf8')) as StoredRing, got.meta.version);
      return;
    } catch (err) {
      if ((err as Error).name !== 'NotFoundError') throw err;
    }
    const first = await newKey();
    const ring: StoredRing = { current: first.kid, keys: [first] };
    try {
      const written = await this.secrets.put(SIGNING_KEYS_PATH, Buffer.from(JSON.stringify(ring)), 0);
      await this.adopt(ring, written.version);
    } catch (err) {
      // Another server created the ring first: use theirs.
      if ((err as Error).name !== 'PreconditionError') throw err;
      const got = await this.secrets.get(SIGNING_KEYS_PATH);
      await this.adopt(JSON.parse(got.value.reveal().toString('utf8')) as StoredRing, got.meta.version);
    }
  }

  private async adopt(ring: StoredRing, version: number): Promise<void> {
    const keys = new Map<string, LoadedKey>();
    for (const k of ring.keys) {
      const known = this.keys.get(k.kid);
      if (known) {
        keys.set(k.kid, { ...known, retiresUnixMs: k.retiresUnixMs });
        continue;
      }
      const { d: _private, ...pub } = k.jwk;
      keys.set(k.kid, {
        kid: k.kid, createdUnixMs: k.createdUnixMs, retiresUnixMs: k.retiresUnixMs,
        privateKey: (await importJWK(k.jwk, ALG)) as CryptoKey, publicKey: (await importJWK(pub, ALG)) as CryptoKey,
      });
    }
    if (!keys.has(ring.current)) throw new Error(`signing key ring names current key ${ring.current}, which it does not hold`);
    this.keys = keys;
    this.currentKid = ring.current;
    this.version = version;
  }
}

async function newKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  return { kid: randomUUID(), jwk: await exportJWK(privateKey), createdUnixMs: Date.now() };
}
