/**
 * Token state in the database: refresh tokens (each spent once, chained in
 * families) and access tokens revoked before they expire.
 */
import type { Database } from './database.js';

/** A new refresh token's row. */
export interface RefreshTokenRow {
  jti: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
}

/** What spending a refresh token found. */
export type SpendOutcome =
  | { ok: true; userId: string; familyId: string }
  /** unknown: no such token; reused: spent before (its family is now revoked); revoked or expired. */
  | { ok: false; reason: 'unknown' | 'reused' | 'revoked' | 'expired' };

/** A revoked access token. */
export interface RevokedAccess {
  jti: string;
  expiresUnixMs: number;
}

/** Token rows on a Database. */
export class TokenRepo {
  constructor(private readonly db: Database) {}

  /** Records a refresh token issued at login. */
  async insertRefresh(row: RefreshTokenRow): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.db.t('refresh_tokens')} (jti, user_id, family_id, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (jti) DO NOTHING`,
      [row.jti, row.userId, row.familyId, row.expiresAt],
      { idempotent: true },
    );
  }

  /**
   * Spends refresh token `jti` and records `next` in its family, in one
   * transaction. Presenting a spent token again revokes the family: someone
   * holds a copy. A retry of this very exchange (same `next`) is recognised
   * and succeeds.
   */
  spend(jti: string, next: Omit<RefreshTokenRow, 'userId' | 'familyId'>): Promise<SpendOutcome> {
    const t = this.db.t('refresh_tokens');
    return this.db.transaction(
      async (tx): Promise<SpendOutcome> => {
        const rows = await tx.query<{ user_id: string; family_id: string; used_at: Date | null; revoked_at: Date | null; replaced_by: string | null; expired: boolean }>(
          `SELECT user_id, family_id, used_at, revoked_at, replaced_by, expires_at <= clock_timestamp() AS expired FROM ${t} WHERE jti = $1 FOR UPDATE`,
          [jti],
        );
        const row = rows[0];
        if (!row) return { ok: false, reason: 'unknown' };
        if (row.used_at !== null && row.replaced_by === next.jti) return { ok: true, userId: row.user_id, familyId: row.family_id };
        if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
        if (row.used_at !== null) {
          await tx.query(`UPDATE ${t} SET revoked_at = clock_timestamp() WHERE family_id = $1 AND revoked_at IS NULL`, [row.family_id]);
          return { ok: false, reason: 'reused' };
        }
        if (row.expired) return { ok: false, reason: 'expired' };
        await tx.query(`UPDATE ${t} SET used_at = clock_timestamp(), replaced_by = $2 WHERE jti = $1`, [jti, next.jti]);
        await tx.query(`INSERT INTO ${t} (jti, user_id, family_id, expires_at) VALUES ($1, $2, $3, $4)`, [next.jti, row.user_id, row.family_id, next.expiresAt]);
        return { ok: true, userId: row.user_id, familyId: row.family_id };
      },
      { idempotent: true },
    );
  }

  /** Revokes the family of refresh token `jti` (one login session); false when unknown. */
  async revokeRefreshFamily(jti: string): Promise<boolean> {
    const t = this.db.t('refresh_tokens');
    const rows = await this.db.query(
      `UPDATE ${t} SET revoked_at = COALESCE(revoked_at, clock_timestamp())
       WHERE family_id = (SELECT family_id FROM ${t} WHERE jti = $1) RETURNING jti`,
      [jti],
      { idempotent: true },
    );
    return rows.length > 0;
  }

  /** Revokes every refresh token of a user. */
  async revokeUserRefresh(userId: string): Promise<void> {
    await this.db.query(`UPDATE ${this.db.t('refresh_tokens')} SET revoked_at = clock_timestamp() WHERE user_id = $1 AND revoked_at IS NULL`, [userId], {
      idempotent: true,
    });
  }

  /** Records a revoked access token until it would have expired. */
  async revokeAccess(jti: string, userId: string | null, expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.db.t('revoked_tokens')} (jti, user_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING`,
      [jti, userId, expiresAt],
      { idempotent: true },
    );
  }

  /** Access tokens revoked after `since` that have not expired. */
  async revokedSince(since: Date): Promise<RevokedAccess[]> {
    const rows = await this.db.query<{ jti: string; expires_at: Date }>(
      `SELECT jti, expires_at FROM ${this.db.t('revoked_tokens')} WHERE revoked_at > $1 AND expires_at > clock_timestamp()`,
      [since],
    );
    return rows.map((r) => ({ jti: r.jti, expiresUnixMs: new Date(r.expires_at).getTime() }));
  }

  /** Drops rows of tokens that have expired (a day late, so that a reuse just after expiry is still recognised). */
  async purgeExpired(): Promise<void> {
    await this.db.query(`DELETE FROM ${this.db.t('revoked_tokens')} WHERE expires_at < clock_timestamp()`, [], { idempotent: true });
    await this.db.query(`DELETE FROM ${this.db.t('refresh_tokens')} WHERE expires_at < clock_timestamp() - interval '1 day'`, [], { idempotent: true });
  }
}
