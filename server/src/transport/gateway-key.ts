/**
 * The HTTP gateway calls the server's own gRPC port, so every call it makes
 * comes from 127.0.0.1. It forwards the HTTP client's address in metadata,
 * with this process's secret key beside it; the handler wrapper believes a
 * forwarded address only with the key, which no client can know. Login
 * throttling per address then counts HTTP clients one by one.
 */
import { randomBytes } from 'node:crypto';

/** Metadata key of the forwarded client address. */
export const FORWARDED_PEER = 'x-aria-forwarded-peer';
/** Metadata key of the gateway's key. */
export const GATEWAY_KEY_HEADER = 'x-aria-gateway-key';
/** This process's gateway key (random per process). */
export const GATEWAY_KEY = randomBytes(32).toString('hex');
