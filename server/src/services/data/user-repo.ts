/**
 * Users in the database. Deleting is soft (the row stays, marked deleted,
 * with its token generation raised) so that other servers polling for
 * changes learn that the user's tokens are void.
 */
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, NotFoundError } from '../../core/errors.js';
import type { RoleName } from '../../core/roles.js';
import { sqlState, type Database } from './database.js';

/** A user as stored. */
export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: RoleName;
  disabled: boolean;
  deleted: boolean;
  tokenGeneration: number;
  createdUnixMs: number;
  updatedUnixMs: number;
}

/** Changes to a user; unset fields stay. */
export interface UserChanges {
  role?: RoleName;
  passwordHash?: string;
  disabled?: boolean;
  /** Voids every token issued so far. */
  revokeTokens?: boolean;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: RoleName;
  disabled: boolean;
  deleted_at: Date | null;
  token_generation: number;
  created_at: Date;
  updated_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Users on a Database. */
export class UserRepo {
  constructor(private readonly db: Database) {}

  /** Creates a live user; AlreadyExistsError when the name (any case) is taken. */
  async create(username: string, passwordHash: string, role: RoleName): Promise<UserRecord> {
    const id = randomUUID();
    try {
      // ON CONFLICT (id): a retry after a lost connection finds its own row.
      const rows = await this.db.query<UserRow>(
        `INSERT INTO ${this.db.t('users')} (id, username, password_hash, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id RETURNING *`,
        [id, username, passwordHash, role],
        { idempotent: true },
      );
      return toRecord(rows[0]);
    } catch (err) {
      if (sqlState(err) === '23505') throw new AlreadyExistsError(`user ${JSON.stringify(username)} already exists`);
      throw err;
    }
  }

  /** A live user by name (any case). */
  async byUsername(username: string): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRow>(`SELECT * FROM ${this.db.t('users')} WHERE lower(username) = lower($1) AND deleted_at IS NULL`, [username]);
    return rows[0] && toRecord(rows[0]);
  }

  /** A user by id, deleted ones included (token checks need them). */
  async byId(id: string): Promise<UserRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows = await this.db.query<UserRow>(`SELECT * FROM ${this.db.t('users')} WHERE id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** A live user by id or name; NotFoundError otherwise. */
  async find(idOrName: string): Promise<UserRecord> {
    const byId = await this.byId(idOrName);
    const user = byId && !byId.deleted ? byId : await this.byUsername(idOrName);
    if (!user) throw new NotFoundError(`user ${JSON.stringify(idOrName)} not found`);
    return user;
  }

  /** Live users by name. */
  async list(): Promise<UserRecord[]> {
    const rows = await this.db.query<UserRow>(`SELECT * FROM ${this.db.t('users')} WHERE deleted_at IS NULL ORDER BY lower(username)`);
    return rows.map(toRecord);
  }

  /** How many live users there are. */
  async count(): Promise<number> {
    const rows = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.db.t('users')} WHERE deleted_at IS NULL`);
    return Number(rows[0]?.n ?? 0);
  }

  /** Applies changes to a live user; NotFoundError when there is none. */
  async update(id: string, changes: UserChanges): Promise<UserRecord> {
    // Raising the generation twice (a retried write) voids no token that once would not.
    const rows = await this.db.query<UserRow>(
      `UPDATE ${this.db.t('users')} SET
         role = COALESCE($2, role), password_hash = COALESCE($3, password_hash), disabled = COALESCE($4, disabled),
         token_generation = token_generation + (CASE WHEN $5 THEN 1 ELSE 0 END), updated_at = clock_timestamp()
       WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
      [id, changes.role ?? null, changes.passwordHash ?? null, changes.disabled ?? null, changes.revokeTokens === true],
      { idempotent: true },
    );
    if (!rows[0]) throw new NotFoundError(`user ${id} not found`);
    return toRecord(rows[0]);
  }

  /** Soft-deletes a live user and voids their tokens; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE ${this.db.t('users')} SET deleted_at = clock_timestamp(), disabled = true,
         token_generation = token_generation + 1, updated_at = clock_timestamp()
       WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id],
      { idempotent: true },
    );
    return rows.length > 0;
  }

  /** Users changed after `since` (for the token-state caches of all servers). */
  async changedSince(since: Date): Promise<UserRecord[]> {
    const rows = await this.db.query<UserRow>(`SELECT * FROM ${this.db.t('users')} WHERE updated_at > $1`, [since]);
    return rows.map(toRecord);
  }
}

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id, username: r.username, passwordHash: r.password_hash, role: r.role, disabled: r.disabled,
    deleted: r.deleted_at !== null, tokenGeneration: Number(r.token_generation),
    createdUnixMs: new Date(r.created_at).getTime(), updatedUnixMs: new Date(r.updated_at).getTime(),
  };
}
