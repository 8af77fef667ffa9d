/**
 * A service definition whose request deserializers never throw. grpc-js
 * answers a message that fails to decode with INTERNAL; this puts a
 * MalformedMessageError in the message's place instead, so that the handler
 * answers INVALID_ARGUMENT through the status mapping.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import { MalformedMessageError } from './status-mapping.js';

/** Marks definitions made here: their handlers check each request for MalformedMessageError. */
const LENIENT = Symbol('aria.lenient');

/** Whether `definition` came from lenientService. */
export function isLenient(definition: ServiceDefinition): boolean {
  return (definition as { [LENIENT]?: boolean })[LENIENT] === true;
}

/** `definition` with lenient request deserializers; `pkg` names the request types in messages. */
export function lenientService(definition: ServiceDefinition, pkg: string): ServiceDefinition {
  const out: Record<string, ServiceDefinition[string]> = {};
  for (const [name, method] of Object.entries(definition)) {
    const typeName = `${pkg}.${method.path.split('/').pop()}Request`;
    const decode = method.requestDeserialize;
    out[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch (err) {
          return new MalformedMessageError(typeName, err);
        }
      },
    };
  }
  return Object.assign(out, { [LENIENT]: true }) as ServiceDefinition;
}
