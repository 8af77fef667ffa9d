/**
 * What the HTTP port's gateways (the JSON API and gRPC-Web) send with each
 * call they make on the server's own gRPC port: the caller's token and
 * request id, and its address under this process's gateway key, so that
 * auth, throttling and logs see the HTTP client, not the loopback.
 */
import { Metadata } from '@grpc/grpc-js';
import type { IncomingMessage } from 'node:http';
import { FORWARDED_PEER, GATEWAY_KEY, GATEWAY_KEY_HEADER } from '../gateway-key.js';
import { REQUEST_ID } from '../request-id.js';

/** Longest deadline an HTTP client may ask for. */
export const MAX_TIMEOUT_MS = 10 * 60_000;

/** The metadata of a call made on behalf of HTTP request req. */
export function callerMetadata(req: IncomingMessage): Metadata {
  const md = new Metadata();
  const auth = req.headers.authorization;
  if (auth) md.set('authorization', auth);
  md.set(FORWARDED_PEER, `${req.socket.remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? 0}`);
  md.set(GATEWAY_KEY_HEADER, GATEWAY_KEY);
  const given = req.headers[REQUEST_ID];
  if (typeof given === 'string') md.set(REQUEST_ID, given);
  return md;
}

/** A deadline `ms` from now, capped at MAX_TIMEOUT_MS; undefined for none or nonsense. */
export function deadlineIn(ms: number): Date | undefined {
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return new Date(Date.now() + Math.min(ms, MAX_TIMEOUT_MS));
}

/** The request's body, at most `max` bytes; larger, `tooLarge()` is thrown and the rest is drained. */
export function readBody(req: IncomingMessage, max: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
