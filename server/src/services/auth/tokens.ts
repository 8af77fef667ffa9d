/**
 * JWTs: issuing (access and refresh tokens, signed with the ring's current
 * key) and checking (signature, issuer, audience, expiry, type). A token
 * that checked out once is remembered until it expires, so the signature is
 * verified once per token, not once per call; revocation and the user's
 * standing are still looked at on every call (TokenState). Only tokens that
 * verified enter the cache, so a forged token always pays the full check.
 */
import { decodeProtectedHeader, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { UnauthenticatedError } from '../../core/errors.js';
import { parseRole, type RoleName } from './roles.js';
import { ALG, type KeyRing } from './signing-keys.js';

const ISSUER = 'aria';
const AUDIENCE = 'aria';
/** Longer strings are not tokens of ours; refusing them early bounds the work. */
const MAX_TOKEN_LENGTH = 4096;

/** Why a token was refused. */
export type TokenFault = 'malformed' | 'invalid' | 'expired' | 'wrong-type';

/** A token that does not check out (UNAUTHENTICATED). */
export class TokenError extends UnauthenticatedError {
  constructor(readonly fault: TokenFault, message: string) {
    super(message);
  }
}

/** The claims Aria puts in its tokens. */
export interface TokenClaims {
  typ: 'access' | 'refresh';
  /** The user's id. */
  sub: string;
  jti: string;
  /** The user's token generation when it was issued. */
  gen: number;
  /** Expiry, ms since the epoch. */
  expiresUnixMs: number;
  /** Access tokens: the username and role. */
  name?: string;
  role?: RoleName;
  /** Refresh tokens: the login session (family). */
  fam?: string;
}

/** Signs and checks tokens. */
export class TokenCodec {
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly ring: KeyRing,
    private readonly cacheSize = 10_000,
  ) {}

  /** A signed token. */
  async sign(claims: Omit<TokenClaims, 'expiresUnixMs'>, ttlMs: number): Promise<{ token: string; expiresUnixMs: number }> {
    const { kid, privateKey } = this.ring.current();
    const now = Date.now();
    const expiresUnixMs = now + ttlMs;
    const { sub, jti, ...rest } = claims;
    const token = await new SignJWT({ ...rest })
      .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setJti(jti)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresUnixMs / 1000))
      .sign(privateKey);
    return { token, expiresUnixMs: Math.floor(expiresUnixMs / 1000) * 1000 };
  }

  /** The claims of a valid token of type `typ` whose key is known without I/O; undefined when that cannot be decided at once. */
  cached(token: string, typ: TokenClaims['typ']): TokenClaims | undefined {
    const hit = this.verified.get(token);
    if (!hit) return undefined;
    if (hit.expiresUnixMs <= Date.now() || hit.typ !== typ) return undefined;
    return hit;
  }

  /** The claims of a valid token of type `typ`; UnauthenticatedError otherwise. */
  async verify(token: string, typ: TokenClaims['typ']): Promise<TokenClaims> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expiresUnixMs <= Date.now()) {
        this.verified.delete(token);
        throw new TokenError('expired', 'token expired');
      }
      if (hit.typ !== typ) throw new TokenError('wrong-type', `not ${typ === 'access' ? 'an' : 'a'} ${typ} token`);
      return hit;
    }
    const claims = await this.check(token);
    if (claims.typ !== typ) throw new TokenError('wrong-type', `not ${typ === 'access' ? 'an' : 'a'} ${typ} token`);
    if (this.verified.size >= this.cacheSize) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, claims);
    return claims;
  }

  private async check(token: string): Promise<TokenClaims> {
    if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) throw new TokenError('malformed', 'malformed token');
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new TokenError('malformed', 'malformed token');
    }
    const key = kid ? await this.ring.publicKey(kid) : undefined;
    if (!key) throw new TokenError('invalid', 'invalid token: unknown or retired signing key');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: [ALG], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['sub', 'jti', 'exp'] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new TokenError('expired', 'token expired');
      throw new TokenError('invalid', 'invalid token');
    }
    const typ = payload.typ;
    const gen = payload.gen;
    if ((typ !== 'access' && typ !== 'refresh') || typeof gen !== 'number') throw new TokenError('invalid', 'invalid token');
    const claims: TokenClaims = { typ, sub: String(payload.sub), jti: String(payload.jti), gen, expiresUnixMs: Number(payload.exp) * 1000 };
    if (typ === 'access') {
      const role = parseRole(String(payload.role));
      if (!role || typeof payload.name !== 'string') throw new TokenError('invalid', 'invalid token');
      claims.role = role;
      claims.name = payload.name;
    } else {
      if (typeof payload.fam !== 'string') throw new TokenError('invalid', 'invalid token');
      claims.fam = payload.fam;
    }
    return claims;
  }
}

/** A new token pair. */
export interface TokenPair {
  accessToken: string;
  accessExpiresUnixMs: number;
  refreshToken: string;
  refreshExpiresUnixMs: number;
}
