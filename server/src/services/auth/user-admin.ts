/**
 * User management: creating, listing, changing and deleting users, and
 * changing one's own password. Every change that takes something away (a
 * role, the password, the account) raises the user's token generation, so
 * the tokens issued before stop working at once on this server and within
 * one poll on the others.
 */
import { randomUUID } from 'node:crypto';
import type { TokenRepo, UserRecord, UserRepo } from '../data/index.js';
import { InvalidArgumentError, UnauthenticatedError } from '../../core/errors.js';
import type { TokenPair } from './tokens.js';
import type { PasswordHasher } from './passwords.js';
import type { Principal } from './principal.js';
import { parseRole, type RoleName } from './roles.js';
import type { TokenState } from './token-state.js';

/** What user administration needs of the auth service: new tokens for a user. */
export interface TokenIssuer {
  issue(user: UserRecord, sessionId: string): Promise<TokenPair>;
}

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Changes an admin may make to a user. */
export interface UserUpdate {
  role?: RoleName;
  password?: string;
  disabled?: boolean;
}

/** User management on top of the user and token repositories. */
export class UserAdmin {
  constructor(
    private readonly users: UserRepo,
    private readonly tokens: TokenRepo,
    private readonly state: TokenState,
    private readonly hasher: PasswordHasher,
    private readonly auth: TokenIssuer,
  ) {}

  /** Creates a user. */
  async create(username: string, password: string, role: string): Promise<UserRecord> {
    if (!USERNAME.test(username)) throw new InvalidArgumentError('username', 'use 1 to 64 letters, digits and _ . @ -');
    const r = checkRole(role);
    const user = await this.users.create(username, await this.hasher.hash(password), r);
    this.state.noteUser(user);
    return user;
  }

  /** Live users. */
  list(): Promise<UserRecord[]> {
    return this.users.list();
  }

  /** The caller as a user record. */
  async whoAmI(caller: Principal): Promise<UserRecord | undefined> {
    return caller.userId ? this.users.byId(caller.userId) : undefined;
  }

  /** Applies an admin's changes; the user's tokens stop working. */
  async update(idOrName: string, changes: UserUpdate): Promise<UserRecord> {
    const user = await this.users.find(idOrName);
    const passwordHash = changes.password === undefined ? undefined : await this.hasher.hash(changes.password);
    const updated = await this.users.update(user.id, { role: changes.role, passwordHash, disabled: changes.disabled, revokeTokens: true });
    await this.tokens.revokeUserRefresh(user.id);
    this.state.noteUser(updated);
    return updated;
  }

  /** Deletes a user; false when there was none. */
  async delete(idOrName: string): Promise<boolean> {
    const user = await this.users.find(idOrName).catch(() => undefined);
    if (!user) return false;
    const deleted = await this.users.delete(user.id);
    await this.tokens.revokeUserRefresh(user.id);
    const after = await this.users.byId(user.id);
    if (after) this.state.noteUser(after);
    return deleted;
  }

  /** Changes the caller's password after checking the current one; a new pair, the old tokens void. */
  async changePassword(caller: Principal, current: string, next: string): Promise<TokenPair> {
    const user = caller.userId ? await this.users.byId(caller.userId) : undefined;
    if (!user || user.deleted) throw new UnauthenticatedError('changing a password needs a signed-in user');
    if (!(await this.hasher.verify(user.passwordHash, current))) throw new UnauthenticatedError('current password is wrong');
    const updated = await this.users.update(user.id, { passwordHash: await this.hasher.hash(next, 'new_password'), revokeTokens: true });
    await this.tokens.revokeUserRefresh(user.id);
    this.state.noteUser(updated);
    return this.auth.issue(updated, randomUUID());
  }

  /** Voids every token of a user. */
  async revokeAll(userId: string): Promise<void> {
    const updated = await this.users.update(userId, { revokeTokens: true });
    await this.tokens.revokeUserRefresh(userId);
    this.state.noteUser(updated);
  }

  /** How many live users there are. */
  count(): Promise<number> {
    return this.users.count();
  }
}

function checkRole(role: string): RoleName {
  const r = parseRole(role);
  if (!r) throw new InvalidArgumentError('role', 'one of viewer, planner, admin');
  return r;
}
