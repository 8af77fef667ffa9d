/**
 * Every service a server adds, ours and the libraries' (health,
 * reflection), gets the same two guarantees: a request that does not
 * decode is INVALID_ARGUMENT (grpc-js answers INTERNAL, which says the
 * server is at fault), and the health service reports the service by name.
 */
import { status, type Server, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { boundText } from '../core/bounded-text.js';
import { isLenient, lenientService } from './lenient-service.js';
import { MalformedMessageError } from './status-mapping.js';

/** The fully qualified name of a service definition (from its first method's path). */
export function serviceNameOf(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  return first ? first.path.split('/')[1] ?? '' : '';
}

/**
 * Makes `server.addService` add every later service with lenient
 * deserializers (handlers that do not check for malformed messages get
 * them answered with INVALID_ARGUMENT before they run), and tells
 * `onAdded` each service's name and its methods' paths.
 */
export function guardServices(server: Server, onAdded: (serviceName: string, methodPaths: string[]) => void): void {
  const add = server.addService.bind(server);
  server.addService = (definition: ServiceDefinition, implementation: UntypedServiceImplementation): void => {
    // The project's own services check each request themselves (one handler wrapper, status mapping).
    if (isLenient(definition)) add(definition, implementation);
    else {
      const name = serviceNameOf(definition);
      add(lenientService(definition, name.slice(0, name.lastIndexOf('.'))), guardImplementation(definition, implementation));
    }
    onAdded(serviceNameOf(definition), Object.values(definition).map((m) => m.path));
  };
}

function malformed(err: MalformedMessageError): { code: status; details: string } {
  return { code: status.INVALID_ARGUMENT, details: boundText(err.message) };
}

/** An error status with its details bounded and well-formed (other values pass through). */
function bounded(err: unknown): unknown {
  if (err === null || typeof err !== 'object' || typeof (err as { details?: unknown }).details !== 'string') return err;
  return { ...(err as object), details: boundText((err as { details: string }).details) };
}

/** A server-streaming call's 'error' statuses bounded too. */
function boundErrors(call: AnyCall): void {
  const emit = call.emit.bind(call);
  call.emit = (event: string | symbol, ...args: unknown[]): boolean => (event === 'error' ? emit(event, bounded(args[0])) : emit(event, ...args));
}

type AnyCall = { request?: unknown; emit(event: string | symbol, ...args: unknown[]): boolean };

/** Handlers that answer a malformed request (or stream message) with INVALID_ARGUMENT instead of running on it. */
function guardImplementation(definition: ServiceDefinition, implementation: UntypedServiceImplementation): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = {};
  for (const [key, handler] of Object.entries(implementation)) {
    const method = definition[key] ?? Object.values(definition).find((m) => m.originalName === key);
    if (!method || typeof handler !== 'function') { out[key] = handler; continue; }
    const h = handler as (...args: unknown[]) => void;
    if (!method.requestStream) {
      out[key] = ((call: AnyCall, callback?: (err: unknown, value?: unknown) => void) => {
        if (call.request instanceof MalformedMessageError) {
          if (callback) callback(malformed(call.request));
          else call.emit('error', malformed(call.request));
          return;
        }
        boundErrors(call);
        // The library's own errors echo the request (health: "unknown for service <name>"): bounded as ours are.
        h(call, callback && ((err: unknown, value?: unknown) => callback(bounded(err), value)));
      }) as typeof handler;
    } else {
      out[key] = ((call: AnyCall, callback?: (err: unknown, value?: unknown) => void) => {
        // A malformed message in a stream ends the call with INVALID_ARGUMENT; the handler never sees it.
        const emit = call.emit.bind(call);
        call.emit = (event: string | symbol, ...args: unknown[]): boolean => {
          if (event === 'data' && args[0] instanceof MalformedMessageError) {
            const st = malformed(args[0]);
            if (callback) callback(st);
            else emit('error', st);
            return true;
          }
          if (event === 'error') return emit(event, bounded(args[0]));
          return emit(event, ...args);
        };
        h(call, callback && ((err: unknown, value?: unknown) => callback(bounded(err), value)));
      }) as typeof handler;
    }
  }
  return out;
}
