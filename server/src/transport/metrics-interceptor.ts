/**
 * Counts every call for the monitor: service, method, status code and time
 * from arrival to status. It sits with the logging interceptor, where the
 * final status of every call passes, so handler code counts nothing. Method
 * paths no service registered (a client's typo) share one label value, so
 * that a stranger cannot grow the label set without bound.
 */
import { ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import type { ServerMetrics } from '../services/monitor/index.js';

/** Counts each call's outcome into `metrics`; `known` says whether a full method path is served. */
export function metricsInterceptor(metrics: ServerMetrics, known: (path: string) => boolean): ServerInterceptor {
  return (method, call) => {
    const started = performance.now();
    return new ServerInterceptingCall(call, {
      sendStatus(statusObject, next) {
        try {
          const [service, name] = known(method.path) ? splitPath(method.path) : ['unknown', 'unknown'];
          metrics.rpc(service, name, status[statusObject.code] ?? String(statusObject.code), (performance.now() - started) / 1000);
        } catch {
          // A figure must never break a call.
        }
        next(statusObject);
      },
    });
  };
}

/** `/pkg.Service/Method` as [pkg.Service, Method]. */
function splitPath(path: string): [string, string] {
  const slash = path.lastIndexOf('/');
  return [path.slice(1, slash), path.slice(slash + 1)];
}
