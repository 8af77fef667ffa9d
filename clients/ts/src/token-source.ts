/**
 * Where the client's bearer token comes from: nothing (a server with auth
 * off), a fixed token, a function, or a login session that signs in with a
 * username and password and keeps its access token fresh with RefreshToken.
 * The interceptor puts `authorization: Bearer <token>` on every call but
 * Login and RefreshToken, which are open and are how a session gets a token.
 */
import { InterceptingCall, Metadata, status, type Interceptor, type ServiceError } from '@grpc/grpc-js';
import { LoginRequest, RefreshTokenRequest, type AuthServiceClient, type LoginResponse, type RefreshTokenResponse, type TokenPair, type User } from './gen/aria/auth/v1/auth.js';
import { unaryCall } from './call-settings.js';

/** A token, or a function that returns one (called before every call). */
export type TokenOption = string | (() => string | undefined | Promise<string | undefined>);

/** A username and password to log in with. */
export interface LoginCredentials {
  username: string;
  password: string;
}

const OPEN_METHODS = new Set(['/aria.auth.v1.AuthService/Login', '/aria.auth.v1.AuthService/RefreshToken']);

/**
 * The client's token: a fixed one, one from a function, or a session's. A
 * session refreshes its access token when less than `refreshMarginMs` of
 * its life is left, and logs in again when the refresh token is refused
 * (for example after a server restart with a new key, or a revocation).
 */
export class TokenSource {
  private pair?: TokenPair;
  private credentials?: LoginCredentials;
  private pending?: Promise<string | undefined>;

  /**
   * @param auth the raw AuthService client (Login and RefreshToken go out without a token)
   * @param fixed a fixed token or a token function, if any
   * @param refreshMarginMs refresh this long before the access token expires
   * @param deadlineMs deadline of Login and RefreshToken (the client's default deadline)
   */
  constructor(
    private readonly auth: AuthServiceClient,
    private readonly fixed: TokenOption | undefined,
    private readonly refreshMarginMs: number,
    private readonly deadlineMs?: number,
  ) {}

  /** Logs in (now) and uses the session's tokens from then on. */
  async login(credentials: LoginCredentials): Promise<{ user: User; tokens: TokenPair }> {
    const res = await unaryCall<AuthServiceClient, LoginRequest, LoginResponse>(this.auth, this.auth.login, LoginRequest.fromPartial(credentials), {}, this.deadlineMs);
    this.credentials = credentials;
    this.pair = res.tokens;
    return { user: res.user!, tokens: res.tokens! };
  }

  /** Logs in with these on the first call that needs a token (not now). */
  setCredentials(credentials: LoginCredentials): void {
    this.credentials = credentials;
  }

  /** Exchanges the session's refresh token for a new pair (now). */
  async refresh(): Promise<TokenPair> {
    if (!this.pair) throw new Error('not logged in: call login() first');
    const res = await unaryCall<AuthServiceClient, RefreshTokenRequest, RefreshTokenResponse>(
      this.auth, this.auth.refreshToken, RefreshTokenRequest.fromPartial({ refreshToken: this.pair.refreshToken }), {}, this.deadlineMs);
    this.pair = res.tokens;
    return res.tokens!;
  }

  /** Forgets the session (the tokens stay valid on the server until they expire or are revoked). */
  forget(): void {
    this.pair = undefined;
    this.credentials = undefined;
  }

  /** The session's current token pair, if logged in. */
  get tokens(): TokenPair | undefined {
    return this.pair;
  }

  /** The token for the next call, refreshed or renewed first when needed. */
  token(): Promise<string | undefined> {
    if (this.pair || this.credentials) {
      // One refresh at a time: concurrent calls wait for the same one (a refresh token works once).
      this.pending ??= this.sessionToken().finally(() => { this.pending = undefined; });
      return this.pending;
    }
    return Promise.resolve(typeof this.fixed === 'function' ? this.fixed() : this.fixed);
  }

  private async sessionToken(): Promise<string | undefined> {
    if (this.pair && this.pair.accessExpiresUnixMs - Date.now() > this.refreshMarginMs) return this.pair.accessToken;
    if (this.pair) {
      try {
        return (await this.refresh()).accessToken;
      } catch (err) {
        if (!this.credentials) throw err;
      }
    }
    return (await this.login(this.credentials!)).tokens.accessToken;
  }

  /** The grpc-js interceptor that puts the token on every call but Login and RefreshToken. */
  interceptor(): Interceptor {
    return (options, nextCall) => new InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        if (OPEN_METHODS.has(options.method_definition.path)) return next(metadata, listener);
        this.token().then(
          (token) => {
            if (token) metadata.set('authorization', `Bearer ${token}`);
            next(metadata, listener);
          },
          (err: Partial<ServiceError>) => {
            // The session could not get a token (a wrong password, say): the call fails with that status.
            const code = typeof err.code === 'number' ? err.code : status.UNAUTHENTICATED;
            listener.onReceiveStatus({ code, details: `cannot get a token: ${err.details ?? err.message}`, metadata: err.metadata ?? new Metadata() });
          },
        );
      },
    });
  }
}
