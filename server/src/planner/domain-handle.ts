/**
 * A loaded domain: parsed, validated and compiled once, then planned on many
 * times (the handle itself is in compiled-handle.ts).
 */
import type { Domain } from './language/ast.js';
import { compileDomain } from './compile/compile-domain.js';
import { DomainError } from './errors.js';
import { parseDomain } from './language/parse-domain.js';
import { validateDomain } from './validation/validate-domain.js';
import { instantiateEngine } from './runtime/wasm-module.js';
import { DomainHandle } from './runtime/compiled-handle.js';

export { DomainHandle, canonicalDomain, domainHash, type ActOptions } from './runtime/compiled-handle.js';

let heapBase: number | undefined;
/** Where the engine's free memory starts; constant objects are placed there. */
export function constHeapBase(): number {
  heapBase ??= Math.ceil(instantiateEngine({ now: () => 0, cancelled: () => 0, traceFlush: () => 0 }).getHeapBase() / 8) * 8;
  return heapBase;
}

/**
 * Loads a domain from its text form or from data. Throws DomainError naming
 * the place of the first problem found.
 */
export function loadDomain(source: string | Domain, opts: { file?: string } = {}): DomainHandle {
  const file = opts.file ?? (typeof source === 'string' ? '<domain>' : (source as Domain)?.name ?? '<domain>');
  const domain = typeof source === 'string' ? parseDomain(source, file) : source;
  validateDomain(domain, typeof source === 'string' ? file : undefined);
  const compiled = compileDomain(domain, constHeapBase(), file);
  return new DomainHandle(domain, compiled);
}

export { DomainError };
