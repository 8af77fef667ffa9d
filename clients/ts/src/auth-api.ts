/**
 * AuthService, typed: who am I, users (admin), tokens. Roles are the
 * strings 'viewer', 'planner' and 'admin'. Logging in is on AriaClient
 * (`client.login`), since it sets the client's token.
 */
import {
  AuthServiceClient, ChangePasswordRequest, CreateUserRequest, DeleteUserRequest, ListUsersRequest, RevokeTokenRequest, Role,
  RotateSigningKeyRequest, UpdateUserRequest, WhoAmIRequest, type TokenPair, type User as UserMessage,
} from './gen/aria/auth/v1/auth.js';
import { unaryCall, type CallSettings } from './call-settings.js';
import { AriaError } from './errors.js';

/** What a user may do. */
export type RoleName = 'viewer' | 'planner' | 'admin';

/** A user, without the password. */
export interface User {
  id: string;
  username: string;
  role: RoleName;
  disabled: boolean;
  createdUnixMs: number;
}

/** UpdateUser's changes; what is left out stays as it is. */
export interface UserChanges {
  role?: RoleName;
  /** At least 12 characters. */
  password?: string;
  disabled?: boolean;
}

export type { TokenPair };

const ROLES: Record<RoleName, Role> = { viewer: Role.ROLE_VIEWER, planner: Role.ROLE_PLANNER, admin: Role.ROLE_ADMIN };

/** A User message with the role as a name. */
export function userOf(u: UserMessage): User {
  const role = (Object.keys(ROLES) as RoleName[]).find((k) => ROLES[k] === u.role);
  if (!role) throw new AriaError(13, `unknown role ${u.role}`);
  return { id: u.id, username: u.username, role, disabled: u.disabled, createdUnixMs: u.createdUnixMs };
}

/** The calls of aria.auth.v1.AuthService (Login and RefreshToken: see AriaClient.login and refreshSession). */
export class AuthApi {
  /** @param raw the generated client; @param deadlineMs the default deadline */
  constructor(readonly raw: AuthServiceClient, private readonly deadlineMs?: number) {}

  /** The caller (undefined user and `authenticated: false` on a server with auth off). */
  async whoAmI(settings: CallSettings = {}): Promise<{ user?: User; authenticated: boolean }> {
    const res = await unaryCall(this.raw, this.raw.whoAmI, WhoAmIRequest.fromPartial({}), settings, this.deadlineMs);
    return { user: res.user && userOf(res.user), authenticated: res.authenticated };
  }

  /** Changes the caller's password; the caller's other tokens stop working, so the answer is a new pair. */
  async changePassword(currentPassword: string, newPassword: string, settings: CallSettings = {}): Promise<TokenPair> {
    return (await unaryCall(this.raw, this.raw.changePassword, ChangePasswordRequest.fromPartial({ currentPassword, newPassword }), settings, this.deadlineMs)).tokens!;
  }

  /** Revokes a token (the caller's, or anyone's for an admin). */
  async revokeToken(token: string, settings: CallSettings = {}): Promise<void> {
    await unaryCall(this.raw, this.raw.revokeToken, RevokeTokenRequest.fromPartial({ token }), settings, this.deadlineMs);
  }

  /** Revokes every token of the caller, the one of this call included. */
  async revokeAllSessions(settings: CallSettings = {}): Promise<void> {
    await unaryCall(this.raw, this.raw.revokeToken, RevokeTokenRequest.fromPartial({ allSessions: true }), settings, this.deadlineMs);
  }

  /** Admin: creates a user (password at least 12 characters). */
  async createUser(username: string, password: string, role: RoleName, settings: CallSettings = {}): Promise<User> {
    const res = await unaryCall(this.raw, this.raw.createUser, CreateUserRequest.fromPartial({ username, password, role: ROLES[role] }), settings, this.deadlineMs);
    return userOf(res.user!);
  }

  /** Admin: the users. */
  async listUsers(settings: CallSettings = {}): Promise<User[]> {
    return (await unaryCall(this.raw, this.raw.listUsers, ListUsersRequest.fromPartial({}), settings, this.deadlineMs)).users.map(userOf);
  }

  /** Admin: changes a user (id or username); the user's tokens stop working. */
  async updateUser(user: string, changes: UserChanges, settings: CallSettings = {}): Promise<User> {
    const req: UpdateUserRequest = { user };
    // Each change is a oneof of one field on the wire: set only what was given.
    if (changes.role !== undefined) req.roleChange = { $case: 'role', role: ROLES[changes.role] };
    if (changes.password !== undefined) req.passwordChange = { $case: 'password', password: changes.password };
    if (changes.disabled !== undefined) req.disabledChange = { $case: 'disabled', disabled: changes.disabled };
    return userOf((await unaryCall(this.raw, this.raw.updateUser, req, settings, this.deadlineMs)).user!);
  }

  /** Admin: deletes a user (id or username); their tokens stop working. */
  async deleteUser(user: string, settings: CallSettings = {}): Promise<void> {
    await unaryCall(this.raw, this.raw.deleteUser, DeleteUserRequest.fromPartial({ user }), settings, this.deadlineMs);
  }

  /** Admin: signs with a new key from now on; returns its id and the ids still accepted. */
  async rotateSigningKey(settings: CallSettings = {}): Promise<{ keyId: string; activeKeyIds: string[] }> {
    return unaryCall(this.raw, this.raw.rotateSigningKey, RotateSigningKeyRequest.fromPartial({}), settings, this.deadlineMs);
  }
}
