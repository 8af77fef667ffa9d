/**
 * Decoding of ContextService requests into the service's plain inputs, and
 * its results as responses. Malformed values are InvalidArgumentError naming
 * the request's own (snake_case) field, such as `changes[2].set.key`.
 */
import type { Change, GetStateResponse, PlanResponse } from '../../../../gen/ts/aria/context/v1/context.js';
import type { Value } from '../../../../gen/ts/aria/planner/v1/value.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { jsonToState, valueToJson } from '../../pool/index.js';
import type { Principal } from '../../services/auth/index.js';
import type { Caller, EntryKey, StateChange, StateView } from '../../services/context/index.js';
import type { DomainEntry, PlanAnswer } from '../../services/engine/index.js';
import { encodePlanAnswer } from '../engine/response-codec.js';

/**
 * The caller as the context service sees it. Without an auth interceptor
 * there is no principal: every caller is the same anonymous owner ('').
 */
export function callerOf(principal: Principal | undefined): Caller {
  return principal ? { username: principal.username, admin: principal.role === 'admin' } : { username: '', admin: false };
}

/** Update's changes as state changes; the service checks what depends on the state. */
export function decodeChanges(changes: Change[]): StateChange[] {
  return changes.map((c, i) => {
    const at = `changes[${i}]`;
    const kind = c.kind;
    if (kind === undefined) throw new InvalidArgumentError(at, 'change has no kind (set, remove, replace or remove_var)');
    switch (kind.$case) {
      case 'set':
        return { kind: 'set', var: kind.set.var, key: decodeKey(kind.set.key, `${at}.set.key`), value: valueToJson(kind.set.value, `${at}.set.value`) };
      case 'remove':
        return { kind: 'remove', var: kind.remove.var, key: decodeKey(kind.remove.key, `${at}.remove.key`) };
      case 'replace':
        return { kind: 'replace', var: kind.replace.name, value: valueToJson(kind.replace.value, `${at}.replace.value`) };
      case 'removeVar':
        return { kind: 'remove_var', var: kind.removeVar };
    }
  });
}

function decodeKey(v: Value | undefined, field: string): EntryKey {
  const k = v?.kind;
  if (k?.$case === 'symbol') return k.symbol;
  if (k?.$case === 'number' && Number.isFinite(k.number)) return k.number;
  throw new InvalidArgumentError(field, 'map keys must be symbols or finite numbers');
}

/** A plan on a context as Plan's answer. */
export function encodeContextPlan(entry: DomainEntry, version: number, result: PlanAnswer): PlanResponse {
  return { result: encodePlanAnswer(entry, result), version };
}

/** A context's state as GetState's answer. */
export function encodeStateView(v: StateView): GetStateResponse {
  return { state: jsonToState(v.state), version: v.version, domainId: v.domainId, stateBytes: v.bytes };
}
