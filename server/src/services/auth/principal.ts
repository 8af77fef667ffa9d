/**
 * Who makes a call. The auth interceptor attaches the principal to the
 * call's request metadata object through a WeakMap: a client can send any
 * metadata entry it likes, but cannot reach this map, so a principal cannot
 * be forged by a header.
 */
import type { Metadata } from '@grpc/grpc-js';
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

const principals = new WeakMap<Metadata, Principal>();

/** Attaches a principal to a call's request metadata (the interceptor does this). */
export function attachPrincipal(metadata: Metadata, principal: Principal): void {
  principals.set(metadata, principal);
}

/** The principal of a call, from its request metadata; undefined when no auth interceptor saw it. */
export function principalOf(call: { metadata: Metadata }): Principal | undefined {
  return principals.get(call.metadata);
}
