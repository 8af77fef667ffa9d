/**
 * Password hashing with Argon2id (@node-rs/argon2: prebuilt native binaries,
 * no compiler needed, hashing on libuv's thread pool so the event loop stays
 * free). The parameters are OWASP's minimum for Argon2id: 19 MiB, 2 passes,
 * 1 lane; they are stored in each hash (PHC string), so raising them later
 * keeps old hashes verifiable.
 *
 * Checking a login costs the same whether or not the user exists: an
 * unknown user is checked against a dummy hash made with the same
 * parameters, so response time does not reveal which usernames exist.
 */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '../../core/errors.js';

/** Argon2id parameters. */
export interface HashParams {
  /** KiB (default 19456). */
  memoryCost?: number;
  /** Passes (default 2). */
  timeCost?: number;
}

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: bounds the work one request can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum in the package's types)

/** Hashes and checks passwords. */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly params: HashParams = {}) {}

  /** A PHC-format Argon2id hash of `password`, which must meet the length rules. */
  async hash(password: string, field = 'password'): Promise<string> {
    checkPassword(password, field);
    return hash(password, { algorithm: ARGON2ID, memoryCost: this.params.memoryCost ?? 19456, timeCost: this.params.timeCost ?? 2, parallelism: 1 });
  }

  /**
   * True when `password` matches `stored`; with `stored` undefined (no such
   * user) the same work is done and the answer is false.
   */
  async verify(stored: string | undefined, password: string): Promise<boolean> {
    // Over-long input is not hashed at all: the length is not a secret, the CPU is.
    const tooLong = password.length > MAX_PASSWORD_LENGTH;
    const candidate = tooLong ? '' : password;
    const target = stored ?? (await this.dummyHash());
    let ok: boolean;
    try {
      ok = await verify(target, candidate);
    } catch {
      ok = false;
    }
    return ok && stored !== undefined && !tooLong;
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64url'));
    return this.dummy;
  }
}

/** Checks the length rules; never echoes the password. */
export function checkPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidArgumentError(field, `at least ${MIN_PASSWORD_LENGTH} characters are needed`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new InvalidArgumentError(field, `at most ${MAX_PASSWORD_LENGTH} characters are allowed`);
}
