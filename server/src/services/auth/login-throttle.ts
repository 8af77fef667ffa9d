/**
 * Login throttling: password guessing is slowed per user (a targeted guess)
 * and per peer address (one machine trying many users), with
 * rate-limiter-flexible. The counters live in Redis (REDIS_URL) or
 * PostgreSQL (the server's database) when the server has them, so that every
 * server behind a balancer shares them, else in memory.
 *
 * Each attempt takes a point before the password is checked (so a burst of
 * parallel guesses cannot slip past the count while the hashes are being
 * verified); a successful login clears the user's counter and gives the
 * peer its point back, so only failures add up. When the store fails, a
 * memory limiter with the same limits stands in (the library's insurance
 * limiter): a broken Redis must neither lock everyone out nor open the door.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ConfigError, ThrottledError } from '../../core/errors.js';

/** Limits; every field has a default. */
export interface LoginThrottleOptions {
  /** Failed logins of one username in a window before further attempts wait (default 10; 0: no per-user limit). */
  maxFailuresPerUser?: number;
  /** Failed logins from one peer address in a window (default 100; 0: no per-peer limit). */
  maxFailuresPerPeer?: number;
  /** The window in seconds (default 900). */
  windowSeconds?: number;
  /** Prefix of the keys (Redis) or the table name (PostgreSQL); default "aria_login". */
  keyPrefix?: string;
}

/** Where the counters live. */
export type ThrottleStore =
  | { kind: 'memory' }
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; url: string; schema: string };

/** Reads ARIA_LOGIN_MAX_FAILURES_PER_USER, ARIA_LOGIN_MAX_FAILURES_PER_PEER and ARIA_LOGIN_WINDOW_S. */
export function throttleOptionsFromEnv(env: NodeJS.ProcessEnv): LoginThrottleOptions {
  const int = (name: string): number | undefined => {
    const v = env[name]?.trim();
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number (0 switches the limit off), got ${JSON.stringify(v)}`);
    return n;
  };
  const windowSeconds = int('ARIA_LOGIN_WINDOW_S');
  if (windowSeconds === 0) throw new ConfigError('ARIA_LOGIN_WINDOW_S must be at least 1');
  return { maxFailuresPerUser: int('ARIA_LOGIN_MAX_FAILURES_PER_USER'), maxFailuresPerPeer: int('ARIA_LOGIN_MAX_FAILURES_PER_PEER'), windowSeconds };
}

/** The peer's address without its port ("ipv4:1.2.3.4:5678", "[::1]:5678" and "1.2.3.4:5678" give the address). */
export function peerAddress(peer: string | undefined): string {
  if (!peer) return 'unknown';
  const p = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\]/.exec(p);
  if (bracketed) return bracketed[1];
  const colons = p.split(':').length - 1;
  // One colon: address:port. More: a bare IPv6 address without a port.
  return colons === 1 ? p.slice(0, p.lastIndexOf(':')) : p;
}

/** Throttles logins per user and per peer. */
export class LoginThrottle {
  private constructor(
    private readonly perUser: RateLimiterAbstract | undefined,
    private readonly perPeer: RateLimiterAbstract | undefined,
    readonly store: ThrottleStore['kind'],
    private readonly closeStore: () => Promise<void>,
  ) {}

  /** Opens the throttle on `store` (the PostgreSQL table is created when missing). */
  static async open(store: ThrottleStore, options: LoginThrottleOptions = {}, log?: Pick<Logger, 'warn'>): Promise<LoginThrottle> {
    const duration = options.windowSeconds ?? 900;
    const prefix = options.keyPrefix ?? 'aria_login';
    const limits = { user: options.maxFailuresPerUser ?? 10, peer: options.maxFailuresPerPeer ?? 100 };
    const memory = (points: number, keyPrefix: string) => new RateLimiterMemory({ points, duration, keyPrefix });
    let make: (points: number, keyPrefix: string) => Promise<RateLimiterAbstract>;
    let closeStore = async () => {};
    if (store.kind === 'redis') {
      // No offline queue and a short command timeout: while Redis is away, the insurance limiter answers at once.
      const client = new Redis(store.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 });
      let warned = false;
      client.on('error', (err: Error) => {
        if (!warned) log?.warn({ err: err.message }, 'login throttle: Redis unreachable; counting in memory meanwhile');
        warned = true;
      });
      client.on('ready', () => (warned = false));
      make = async (points, keyPrefix) => new RateLimiterRedis({ storeClient: client, points, duration, keyPrefix, insuranceLimiter: memory(points, keyPrefix) });
      closeStore = async () => client.disconnect();
    } else if (store.kind === 'postgres') {
      const pool = new pg.Pool({ connectionString: store.url, max: 2 });
      pool.on('error', (err) => log?.warn({ err: err.message }, 'login throttle: PostgreSQL connection lost'));
      make = (points, keyPrefix) => new Promise<RateLimiterAbstract>((resolve, reject) => {
        const limiter: RateLimiterPostgres = new RateLimiterPostgres(
          { storeClient: pool, storeType: 'pool', schemaName: store.schema, tableName: prefix, points, duration, keyPrefix, insuranceLimiter: memory(points, keyPrefix) },
          (err?: Error) => (err ? reject(err) : resolve(limiter)),
        );
      });
      closeStore = () => pool.end();
    } else {
      make = async (points, keyPrefix) => memory(points, keyPrefix);
    }
    try {
      const perUser = limits.user > 0 ? await make(limits.user, `${prefix}:user`) : undefined;
      const perPeer = limits.peer > 0 ? await make(limits.peer, `${prefix}:peer`) : undefined;
      return new LoginThrottle(perUser, perPeer, store.kind, closeStore);
    } catch (err) {
      await closeStore();
      throw err;
    }
  }

  /**
   * Counts an attempt of `username` from `peer`; throws ThrottledError
   * (with the wait) when either has used up its window.
   */
  async attempt(username: string, peer: string): Promise<void> {
    if (this.perPeer) await take(this.perPeer, peerKey(peer), 'too many failed logins from this address');
    if (this.perUser) await take(this.perUser, userKey(username), 'too many failed logins for this user');
  }

  /** A login succeeded: the user's failures are forgotten, and the peer gets its point back. */
  async succeeded(username: string, peer: string): Promise<void> {
    await Promise.all([this.perUser?.delete(userKey(username)), this.perPeer?.reward(peerKey(peer), 1)]);
  }

  /** Closes the store's connection. */
  close(): Promise<void> {
    return this.closeStore();
  }
}

async function take(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (rej) {
    // Only a RateLimiterRes means "used up": the insurance limiter turns store errors into answers.
    if (!(rej instanceof RateLimiterRes)) throw rej;
    throw new ThrottledError(`${what}; try again in ${Math.ceil(rej.msBeforeNext / 1000)} s`, rej.msBeforeNext);
  }
}

/**
 * Usernames are hashed: keys in a shared Redis should not list who is being
 * attacked, and stay short. Lower-cased first, as the user table matches
 * them, so "Alice" and "ALICE" share one count.
 */
function userKey(username: string): string {
  return createHash('sha256').update(username.toLowerCase()).digest('hex').slice(0, 40);
}

function peerKey(peer: string): string {
  return peer.slice(0, 200);
}
