/**
 * One id per call, for following a call through the logs: the caller's own
 * `x-request-id` when it sends a sane one (1-64 letters, digits, '-', '_',
 * '.', ':'), else a fresh UUID. The id is put back in the call's metadata
 * (the logging interceptor and handlers read it there) and sent to the
 * caller in the response headers, or the trailers of a call refused before
 * any header (the JSON API returns it as an HTTP header).
 */
import { randomUUID } from 'node:crypto';
import { ServerInterceptingCall, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';

/** The metadata key (and HTTP header) of the request id. */
export const REQUEST_ID = 'x-request-id';
const SANE = /^[A-Za-z0-9._:-]{1,64}$/;

/** The call's id from its metadata, if the interceptor has run. */
export function requestIdOf(md: Metadata): string | undefined {
  const v = md.get(REQUEST_ID)[0];
  return typeof v === 'string' ? v : undefined;
}

/** Gives every call an id and sends it back. */
export function requestIdInterceptor(): ServerInterceptor {
  return (_method, call) => {
    let id: string | undefined;
    let headersSent = false;
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(md, pass) {
            const given = md.get(REQUEST_ID)[0];
            id = typeof given === 'string' && SANE.test(given) ? given : randomUUID();
            md.set(REQUEST_ID, id);
            pass(md);
          },
        });
      },
      sendMetadata(md, next) {
        if (id) md.set(REQUEST_ID, id);
        headersSent = true;
        next(md);
      },
      sendStatus(st, next) {
        if (id && !headersSent && st.metadata) st.metadata.set(REQUEST_ID, id);
        next(st);
      },
    });
  };
}
