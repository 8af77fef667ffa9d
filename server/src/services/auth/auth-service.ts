/**
 * AuthService's logic: logging in, refreshing and revoking tokens, and
 * turning a bearer token into the caller's Principal (the interceptor's
 * question). User management is in user-admin.ts. Nothing here knows about
 * gRPC.
 *
 * Access tokens live `accessTtlMs` (default 15 min); refresh tokens
 * `refreshTtlMs` (default 30 days) and work once each: every refresh spends
 * the old one and hands out a new pair in the same family, and presenting a
 * spent one again revokes the family (a stolen copy is being replayed).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../data/index.js';
import { TokenRepo, UserRepo, type UserRecord } from '../data/index.js';
import { InvalidArgumentError, PermissionDeniedError, UnauthenticatedError } from '../../core/errors.js';
import type { SecretsService } from '../secrets/index.js';
import { PasswordHasher, type HashParams } from './passwords.js';
import type { Principal } from './principal.js';
import type { LoginThrottle } from './login-throttle.js';
import { KeyRing } from './signing-keys.js';
import { TokenState } from './token-state.js';
import { TokenCodec, TokenError, type TokenClaims, type TokenPair } from './tokens.js';

export type { TokenPair } from './tokens.js';
import { UserAdmin } from './user-admin.js';

/** Settings; every field has a default. */
export interface AuthOptions {
  accessTtlMs?: number;
  refreshTtlMs?: number;
  /** How often other servers' revocations are picked up (default 2 s). */
  pollMs?: number;
  /** Rotate the signing key when the current one is older (default 30 days; 0: never by itself). */
  rotateAfterMs?: number;
  hashParams?: HashParams;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** Slows password guessing (login-throttle.ts); none: logins are not throttled. */
  loginThrottle?: LoginThrottle;
}

const DAY = 24 * 3600 * 1000;

/** Authentication for one server. */
export class AuthService {
  readonly users: UserAdmin;
  private rotationTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly userRepo: UserRepo,
    private readonly tokenRepo: TokenRepo,
    readonly ring: KeyRing,
    private readonly codec: TokenCodec,
    private readonly state: TokenState,
    readonly hasher: PasswordHasher,
    private readonly options: AuthOptions,
  ) {
    this.users = new UserAdmin(userRepo, tokenRepo, state, hasher, this);
  }

  /** Opens the service: the signing keys from `secrets`, users and token state from `db`. */
  static async open(db: Database, secrets: SecretsService, options: AuthOptions = {}): Promise<AuthService> {
    const accessTtl = options.accessTtlMs ?? 15 * 60 * 1000;
    const refreshTtl = options.refreshTtlMs ?? 30 * DAY;
    // A replaced key must verify every token it signed until that token expires.
    const ring = await KeyRing.open(secrets, Math.max(accessTtl, refreshTtl) + 60_000);
    const users = new UserRepo(db);
    const tokens = new TokenRepo(db);
    const state = new TokenState(users, tokens, { pollMs: options.pollMs, log: options.log });
    await state.start();
    const svc = new AuthService(users, tokens, ring, new TokenCodec(ring), state, new PasswordHasher(options.hashParams), {
      ...options, accessTtlMs: accessTtl, refreshTtlMs: refreshTtl,
    });
    svc.scheduleRotation();
    return svc;
  }

  /**
   * Checks a username and password; a token pair on success. Same cost
   * whether or not the user exists. With a throttle, too many failures for
   * the user or from `peer` (the caller's address) throw ThrottledError
   * before the password is looked at, right password or not.
   */
  async login(username: string, password: string, peer = 'unknown'): Promise<{ tokens: TokenPair; user: UserRecord }> {
    const throttle = this.options.loginThrottle;
    await throttle?.attempt(username, peer);
    const user = username.length <= 256 ? await this.userRepo.byUsername(username) : undefined;
    const ok = await this.hasher.verify(user?.passwordHash, password);
    if (!ok || !user || user.disabled) throw new UnauthenticatedError('wrong username or password');
    await throttle?.succeeded(username, peer);
    return { tokens: await this.issue(user, randomUUID()), user };
  }

  /** Spends a refresh token for a new pair. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const claims = await this.codec.verify(refreshToken, 'refresh');
    const user = await this.liveUser(claims);
    const next = { jti: randomUUID(), expiresAt: new Date(Date.now() + this.refreshTtl) };
    const spent = await this.tokenRepo.spend(claims.jti, next);
    if (!spent.ok) {
      if (spent.reason === 'reused') this.options.log?.warn({ user: user.id, family: claims.fam }, 'refresh token reused: its session is revoked');
      throw new UnauthenticatedError(spent.reason === 'reused' ? 'refresh token already used; the session is revoked' : 'refresh token revoked or expired');
    }
    return this.issue(user, spent.familyId, next);
  }

  /** The caller of a call that carries `token` (an access token). */
  async authenticate(token: string): Promise<Principal> {
    const claims = this.codec.cached(token, 'access') ?? (await this.codec.verify(token, 'access'));
    if (this.state.isRevoked(claims.jti)) throw new UnauthenticatedError('token revoked');
    const standing = this.state.knownUser(claims.sub) ?? (await this.state.user(claims.sub));
    if (!standing || !standing.active || standing.generation !== claims.gen) throw new UnauthenticatedError('token revoked');
    return { userId: claims.sub, username: claims.name ?? '', role: claims.role ?? 'viewer', authenticated: true, tokenId: claims.jti, expiresUnixMs: claims.expiresUnixMs };
  }

  /**
   * Revokes `token` (access or refresh; revoking a refresh token ends its
   * session), or with `allSessions` every token of the caller. A caller may
   * revoke only their own tokens unless they are an admin.
   */
  async revoke(caller: Principal, token: string, allSessions: boolean): Promise<void> {
    if (allSessions) {
      if (!caller.userId) throw new UnauthenticatedError('all_sessions needs a signed-in caller');
      await this.users.revokeAll(caller.userId);
      return;
    }
    const claims = await this.claimsOfAny(token);
    if (!claims) return; // expired: nothing left to revoke
    if (claims.sub !== caller.userId && caller.role !== 'admin') throw new PermissionDeniedError('only an admin may revoke another user\'s token');
    if (claims.typ === 'refresh') {
      await this.tokenRepo.revokeRefreshFamily(claims.jti);
      return;
    }
    await this.tokenRepo.revokeAccess(claims.jti, claims.sub, new Date(claims.expiresUnixMs));
    this.state.noteRevoked(claims.jti, claims.expiresUnixMs);
  }

  /** Starts signing with a new key. */
  rotateSigningKey(): Promise<{ kid: string; active: string[] }> {
    return this.ring.rotate();
  }

  /** A new pair for `user` in session `familyId` (a refresh row is written unless `spentInto` already was). */
  async issue(user: UserRecord, familyId: string, spentInto?: { jti: string; expiresAt: Date }): Promise<TokenPair> {
    const access = await this.codec.sign({ typ: 'access', sub: user.id, jti: randomUUID(), gen: user.tokenGeneration, name: user.username, role: user.role }, this.accessTtl);
    const refreshJti = spentInto?.jti ?? randomUUID();
    const refreshTtl = spentInto ? spentInto.expiresAt.getTime() - Date.now() : this.refreshTtl;
    const refresh = await this.codec.sign({ typ: 'refresh', sub: user.id, jti: refreshJti, gen: user.tokenGeneration, fam: familyId }, refreshTtl);
    if (!spentInto) await this.tokenRepo.insertRefresh({ jti: refreshJti, userId: user.id, familyId, expiresAt: new Date(refresh.expiresUnixMs) });
    return { accessToken: access.token, accessExpiresUnixMs: access.expiresUnixMs, refreshToken: refresh.token, refreshExpiresUnixMs: refresh.expiresUnixMs };
  }

  /** Stops the background work. */
  close(): void {
    this.state.stop();
    clearTimeout(this.rotationTimer);
  }

  private get accessTtl(): number {
    return this.options.accessTtlMs!;
  }

  private get refreshTtl(): number {
    return this.options.refreshTtlMs!;
  }

  /** The claims of an access or refresh token given in a request; undefined when it has expired. */
  private async claimsOfAny(token: string): Promise<TokenClaims | undefined> {
    for (const typ of ['access', 'refresh'] as const) {
      try {
        return await this.codec.verify(token, typ);
      } catch (err) {
        const fault = err instanceof TokenError ? err.fault : undefined;
        if (fault === 'expired') return undefined;
        if (fault !== 'wrong-type') throw new InvalidArgumentError('token', fault ? (err as Error).message : 'not a token');
      }
    }
    throw new InvalidArgumentError('token', 'not a token');
  }

  private async liveUser(claims: TokenClaims): Promise<UserRecord> {
    const user = await this.userRepo.byId(claims.sub);
    if (!user || user.deleted || user.disabled || user.tokenGeneration !== claims.gen) throw new UnauthenticatedError('token revoked');
    return user;
  }

  /** Rotates the signing key when it gets old (checked hourly; check-and-set keeps servers from rotating twice). */
  private scheduleRotation(): void {
    const after = this.options.rotateAfterMs ?? 30 * DAY;
    if (after <= 0) return;
    const check = () => {
      if (this.ring.currentAgeMs() > after) {
        this.ring.reload().then(
          () => (this.ring.currentAgeMs() > after ? this.ring.rotate().then(() => undefined) : undefined),
        ).catch((err: unknown) => this.options.log?.warn({ err: (err as Error).message }, 'signing key rotation failed'));
      }
      this.rotationTimer = setTimeout(check, Math.min(after, 3600_000)).unref();
    };
    check();
  }
}
