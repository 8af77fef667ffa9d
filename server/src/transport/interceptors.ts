/**
 * Server interceptors: per-call logging of method, status, duration and request id
 * (debug level for successes, so that a busy server pays nothing for them).
 */
import { ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { requestIdOf } from './request-id.js';

/** Logs each call's outcome; failures other than client errors at warn level. */
export function loggingInterceptor(log: Logger): ServerInterceptor {
  return (method, call) => {
    const started = performance.now();
    let requestId: string | undefined;
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(md, pass) {
            requestId = requestIdOf(md);
            pass(md);
          },
        });
      },
      sendStatus(statusObject, next) {
        const ms = Math.round((performance.now() - started) * 1000) / 1000;
        const code = statusObject.code;
        if (code === status.INTERNAL || code === status.UNKNOWN || code === status.DATA_LOSS) {
          log.warn({ method: method.path, code: status[code], ms, requestId }, 'call failed');
        } else if (log.isLevelEnabled('debug')) {
          log.debug({ method: method.path, code: status[code], ms, requestId, details: code === status.OK ? undefined : statusObject.details }, 'call');
        }
        next(statusObject);
      },
    });
  };
}
