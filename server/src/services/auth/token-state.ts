/**
 * What a token check needs to know beyond the signature, kept in memory so
 * that checking a token costs no database round trip: the access tokens
 * revoked before their expiry, and each user's token generation and
 * standing (a user who is deleted, disabled, or whose generation moved past
 * the token's, has lost it). Changes made by this server apply at once;
 * changes made by other servers of the deployment arrive with the next poll
 * (every `pollMs`, default 2 s). Polls overlap by a few seconds, because a
 * row's timestamp is set before its transaction commits.
 */
import type { Logger } from 'pino';
import type { TokenRepo, UserRecord, UserRepo } from '../data/index.js';

/** Polling settings. */
export interface TokenStateOptions {
  pollMs?: number;
  log?: Pick<Logger, 'warn'>;
}

/** A user as token checks see them. */
export interface UserStanding {
  active: boolean;
  generation: number;
}

const OVERLAP_MS = 5000;

/** The in-memory token state of one server. */
export class TokenState {
  private readonly revoked = new Map<string, number>();
  private readonly users = new Map<string, UserStanding>();
  private since = new Date(0);
  private timer: NodeJS.Timeout | undefined;
  private polls = 0;

  constructor(
    private readonly userRepo: UserRepo,
    private readonly tokenRepo: TokenRepo,
    private readonly options: TokenStateOptions = {},
  ) {}

  /** Loads everything once, then polls. */
  async start(): Promise<void> {
    await this.poll();
    const every = this.options.pollMs ?? 2000;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.poll()
          .catch((err: unknown) => this.options.log?.warn({ err: (err as Error).message }, 'token state poll failed; keeping the last known state'))
          .finally(() => {
            if (this.timer) tick();
          });
      }, every);
      this.timer.unref();
    };
    tick();
  }

  /** True when access token `jti` was revoked. */
  isRevoked(jti: string): boolean {
    const exp = this.revoked.get(jti);
    return exp !== undefined && exp > Date.now();
  }

  /** The standing of a user if this server knows it (no I/O). */
  knownUser(userId: string): UserStanding | undefined {
    return this.users.get(userId);
  }

  /** The standing of a user, from the database when this server has not seen them yet. */
  async user(userId: string): Promise<UserStanding | undefined> {
    const known = this.users.get(userId);
    if (known) return known;
    const record = await this.userRepo.byId(userId);
    if (record) this.noteUser(record);
    return record && this.users.get(userId);
  }

  /** Records a revocation made here. */
  noteRevoked(jti: string, expiresUnixMs: number): void {
    this.revoked.set(jti, expiresUnixMs);
  }

  /** Records a user's current row (after a change made here, or from a poll). */
  noteUser(u: UserRecord): void {
    const prev = this.users.get(u.id);
    // A poll can bring an older row than a change this server just made.
    if (prev && prev.generation > u.tokenGeneration) return;
    this.users.set(u.id, { active: !u.disabled && !u.deleted, generation: u.tokenGeneration });
  }

  /** Reads what changed since the last poll. */
  async poll(): Promise<void> {
    const started = new Date(Date.now() - OVERLAP_MS);
    const since = this.since;
    const [revoked, users] = await Promise.all([this.tokenRepo.revokedSince(since), this.userRepo.changedSince(since)]);
    for (const r of revoked) this.revoked.set(r.jti, r.expiresUnixMs);
    for (const u of users) this.noteUser(u);
    this.since = started;
    const now = Date.now();
    for (const [jti, exp] of this.revoked) if (exp <= now) this.revoked.delete(jti);
    // Once an hour or so, the expired rows go from the database too.
    if (++this.polls % 1800 === 1) await this.tokenRepo.purgeExpired();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
