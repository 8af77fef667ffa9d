/**
 * The one server interceptor that enforces authentication and roles for
 * every service. For each call it reads `authorization: Bearer <token>`,
 * asks the auth service who the caller is, looks up the permission the
 * method needs (roles.ts), and either lets the call through with the
 * principal attached or ends it: UNAUTHENTICATED without a valid token,
 * PERMISSION_DENIED when the role lacks the permission. Health, reflection,
 * Login and RefreshToken are open. Statuses come from status-mapping, like
 * every other failure.
 *
 * The handler does not start before the check is done: grpc-js holds the
 * request message until the metadata listener calls its `next`.
 */
import { ServerInterceptingCall, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { toStatus } from '../status-mapping.js';
import { PermissionDeniedError, UnauthenticatedError } from '../../core/errors.js';
import type { AuthMode } from '../../services/auth/index.js';
import { ANONYMOUS_ADMIN, type Principal, OPEN, permissionFor, roleAllows } from '../../services/auth/index.js';
import { attachPrincipal } from '../principal.js';

/** Who the caller is, from a bearer token (AuthService.authenticate). */
export interface Authenticator {
  authenticate(token: string): Promise<Principal>;
}

/** The principal of open methods: nobody in particular. */
const OPEN_CALLER: Principal = Object.freeze({ userId: null, username: '', role: 'viewer', authenticated: false });

/** The auth interceptor; with mode "off" it only attaches ANONYMOUS_ADMIN. */
export function authInterceptor(mode: AuthMode, auth: Authenticator | null, log: Logger): ServerInterceptor {
  if (mode === 'on' && !auth) throw new Error('authentication is on but no auth service was given');
  return (method, call) => {
    const permission = permissionFor(method.path);
    const ic: ServerInterceptingCall = new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, pass) {
            if (mode === 'off') return proceed(metadata, ANONYMOUS_ADMIN, pass);
            if (permission === OPEN) return proceed(metadata, OPEN_CALLER, pass);
            decide(metadata).then(
              (principal) => proceed(metadata, principal, pass),
              (err: unknown) => ic.sendStatus(toStatus(err, log, { method: method.path })),
            );
          },
        });
      },
    });
    const decide = async (metadata: Metadata): Promise<Principal> => {
      const principal = await auth!.authenticate(bearerToken(metadata));
      if (permission === undefined) throw new PermissionDeniedError(`${method.path} is not open to any role`);
      if (permission !== OPEN && !roleAllows(principal.role, permission)) {
        throw new PermissionDeniedError(`role ${principal.role} may not call ${method.path} (needs permission ${permission})`);
      }
      return principal;
    };
    return ic;
  };
}

function proceed(metadata: Metadata, principal: Principal, pass: (m: Metadata) => void): void {
  attachPrincipal(metadata, principal);
  pass(metadata);
}

/** The token of `authorization: Bearer <token>`; UnauthenticatedError when there is not exactly one. */
function bearerToken(metadata: Metadata): string {
  const values = metadata.get('authorization');
  if (values.length === 0) throw new UnauthenticatedError('authentication required: send "authorization: Bearer <access token>" (get one with AuthService.Login)');
  if (values.length > 1) throw new UnauthenticatedError('more than one authorization header');
  const m = /^Bearer\s+(\S+)$/i.exec(String(values[0]).trim());
  if (!m) throw new UnauthenticatedError('the authorization header must be "Bearer <access token>"');
  return m[1];
}
