/**
 * Who makes a call. The transport finds it (transport/principal.ts) and
 * hands it to every handler in its HandlerContext.
 */
import type { RoleName } from './roles.js';

/** The caller of one RPC. */
export interface Principal {
  /** The user's id; null when authentication is off. */
  userId: string | null;
  username: string;
  role: RoleName;
  /** False when the server runs with authentication off (everyone is an admin then). */
  authenticated: boolean;
  /** The access token's id (jti), for revoking it. */
  tokenId?: string;
  /** The access token's expiry (ms since the epoch). */
  expiresUnixMs?: number;
}

/** The principal of calls when authentication is switched off. */
export const ANONYMOUS_ADMIN: Principal = Object.freeze({ userId: null, username: '', role: 'admin', authenticated: false });
