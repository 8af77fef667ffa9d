/**
 * The AuthService gRPC adapter: decodes requests, calls the auth service,
 * encodes responses. Passwords and tokens in requests are never logged;
 * failures go through status-mapping like every other.
 */
import { Role, type AuthServiceServer, type TokenPair as TokenPairMessage, type User } from '../../../../gen/ts/aria/auth/v1/auth.js';
import type { UserRecord } from '../../services/data/index.js';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import { authedUnary, type ServerContext } from '../handler.js';
import type { AuthService, TokenPair, RoleName } from '../../services/auth/index.js';
import { peerAddress } from '../../services/auth/index.js';

const TO_PROTO: Record<RoleName, Role> = { viewer: Role.ROLE_VIEWER, planner: Role.ROLE_PLANNER, admin: Role.ROLE_ADMIN };

/** The handlers of aria.auth.v1.AuthService. */
export function authServiceHandlers(auth: AuthService, ctx: ServerContext): AuthServiceServer {
  return {
    login: authedUnary(ctx, 'Login', async (req, { peer }) => {
      const { tokens, user } = await auth.login(req.username, req.password, peerAddress(peer));
      return { tokens: pair(tokens), user: userOf(user) };
    }),
    refreshToken: authedUnary(ctx, 'RefreshToken', async (req) => ({ tokens: pair(await auth.refresh(req.refreshToken)) })),
    revokeToken: authedUnary(ctx, 'RevokeToken', async (req, { principal }) => {
      if (!req.allSessions && !req.token) throw new InvalidArgumentError('token', 'give a token, or set all_sessions');
      await auth.revoke(principal, req.token, req.allSessions);
      return {};
    }),
    whoAmI: authedUnary(ctx, 'WhoAmI', async (_req, { principal }) => {
      const user = await auth.users.whoAmI(principal);
      return { user: user && userOf(user), authenticated: principal.authenticated };
    }),
    changePassword: authedUnary(ctx, 'ChangePassword', async (req, { principal }) => ({
      tokens: pair(await auth.users.changePassword(principal, req.currentPassword, req.newPassword)),
    })),
    createUser: authedUnary(ctx, 'CreateUser', async (req) => ({ user: userOf(await auth.users.create(req.username, req.password, roleName(req.role))) })),
    listUsers: authedUnary(ctx, 'ListUsers', async () => ({ users: (await auth.users.list()).map(userOf) })),
    updateUser: authedUnary(ctx, 'UpdateUser', async (req) => {
      // Each field is a oneof of one: absent means "leave it as it is".
      const role = req.roleChange === undefined ? undefined : roleName(req.roleChange.role);
      const password = req.passwordChange?.password;
      const disabled = req.disabledChange?.disabled;
      return { user: userOf(await auth.users.update(req.user, { role, password, disabled })) };
    }),
    deleteUser: authedUnary(ctx, 'DeleteUser', async (req) => {
      if (!(await auth.users.delete(req.user))) throw new NotFoundError(`user ${JSON.stringify(req.user)} not found`);
      return {};
    }),
    rotateSigningKey: authedUnary(ctx, 'RotateSigningKey', async () => {
      const { kid, active } = await auth.rotateSigningKey();
      return { keyId: kid, activeKeyIds: active };
    }),
  };
}

function roleName(role: Role): RoleName {
  const name = (Object.keys(TO_PROTO) as RoleName[]).find((k) => TO_PROTO[k] === role);
  if (!name) throw new InvalidArgumentError('role', 'ROLE_VIEWER, ROLE_PLANNER or ROLE_ADMIN');
  return name;
}

function userOf(u: UserRecord): User {
  return { id: u.id, username: u.username, role: TO_PROTO[u.role], disabled: u.disabled, createdUnixMs: u.createdUnixMs };
}

function pair(t: TokenPair): TokenPairMessage {
  return { ...t, tokenType: 'Bearer' };
}
