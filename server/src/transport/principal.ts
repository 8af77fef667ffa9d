/**
 * Which principal made a call. The auth interceptor attaches it to the
 * call's request metadata object through a WeakMap: a client can send any
 * metadata entry it likes, but cannot reach this map, so a principal cannot
 * be forged by a header.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { Principal } from '../services/auth/index.js';

const principals = new WeakMap<Metadata, Principal>();

/** Attaches a principal to a call's request metadata (the interceptor does this). */
export function attachPrincipal(metadata: Metadata, principal: Principal): void {
  principals.set(metadata, principal);
}

/** The principal of a call, from its request metadata; undefined when no auth interceptor saw it. */
export function principalOf(call: { metadata: Metadata }): Principal | undefined {
  return principals.get(call.metadata);
}
