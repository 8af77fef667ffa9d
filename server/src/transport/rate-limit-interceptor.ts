/**
 * Request rates per token and per client address, for every service (the
 * JSON API's calls pass here too, with the HTTP client's own address): a
 * caller over its limit gets RESOURCE_EXHAUSTED with the wait in the
 * `retry-after-ms` trailer (HTTP 429 with Retry-After through the gateway).
 * Health checks are never limited, so probes see the truth. Counters are
 * in memory (rate-limiter-flexible), per server process.
 */
import { createHash } from 'node:crypto';
import { ServerInterceptingCall, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import { ConfigError, ThrottledError } from '../core/errors.js';
import { FORWARDED_PEER, GATEWAY_KEY, GATEWAY_KEY_HEADER } from './gateway-key.js';
import { toStatus } from './status-mapping.js';

/** Calls per second allowed; 0 switches a limit off. */
export interface RateLimits {
  perToken: number;
  perAddress: number;
}

/** The limits from ARIA_RATE_LIMIT_PER_TOKEN and ARIA_RATE_LIMIT_PER_ADDRESS (calls per second; default 0: off). */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv): RateLimits {
  const read = (name: string): number => {
    const v = env[name];
    if (v === undefined || v === '') return 0;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number of calls per second (0: no limit), got ${JSON.stringify(v)}`);
    return n;
  };
  return { perToken: read('ARIA_RATE_LIMIT_PER_TOKEN'), perAddress: read('ARIA_RATE_LIMIT_PER_ADDRESS') };
}

/** The interceptor; undefined when both limits are off. */
export function rateLimitInterceptor(limits: RateLimits, log: Logger): ServerInterceptor | undefined {
  if (limits.perToken <= 0 && limits.perAddress <= 0) return undefined;
  const byToken = limits.perToken > 0 ? new RateLimiterMemory({ points: limits.perToken, duration: 1, keyPrefix: 'token' }) : undefined;
  const byAddress = limits.perAddress > 0 ? new RateLimiterMemory({ points: limits.perAddress, duration: 1, keyPrefix: 'address' }) : undefined;
  return (method, call) => {
    if (method.path.startsWith('/grpc.health.v1.Health/')) return new ServerInterceptingCall(call);
    const ic: ServerInterceptingCall = new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, pass) {
            const token = bearer(metadata);
            const limiter = token && byToken ? byToken : byAddress;
            if (!limiter) return pass(metadata);
            const key = token && byToken ? createHash('sha256').update(token).digest('hex').slice(0, 32) : addressOf(metadata, call.getPeer());
            limiter.consume(key).then(
              () => pass(metadata),
              (rej: unknown) => {
                const wait = rej instanceof RateLimiterRes ? rej.msBeforeNext : 1000;
                const who = token && byToken ? 'this token' : 'this address';
                ic.sendStatus(toStatus(new ThrottledError(`too many calls from ${who}: at most ${limiter.points} a second; retry in ${Math.ceil(wait)} ms`, wait), log, { method: method.path }));
              },
            );
          },
        });
      },
    });
    return ic;
  };
}

function bearer(md: Metadata): string | undefined {
  const v = md.get('authorization')[0];
  return typeof v === 'string' && v.startsWith('Bearer ') ? v.slice(7) : undefined;
}

/** The caller's IP: the gateway's forwarded one when its key vouches, else the connection's (port dropped). */
function addressOf(md: Metadata, peer: string): string {
  const forwarded = md.get(FORWARDED_PEER)[0];
  const p = typeof forwarded === 'string' && md.get(GATEWAY_KEY_HEADER)[0] === GATEWAY_KEY ? forwarded : peer;
  const m = /^(?:ipv[46]:)?\[?([^\]]*?)\]?:\d+$/.exec(p);
  return m ? m[1] : p;
}
