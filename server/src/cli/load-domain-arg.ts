/**
 * Resolves a `--domain` argument: a file (`.aria` text or `.json` data) or
 * the name of a built-in domain, loaded through the compiled-domain cache
 * (planner/compile/domain-cache.ts). Only the cache and the handle are imported
 * here: the compiler is imported on a cache miss.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readBuiltinDomain } from '../planner/builtin-domains.js';
import type { DomainHandle } from '../planner/runtime/compiled-handle.js';
import { loadDomainCached } from '../planner/compile/domain-cache.js';

/** Loads the domain a command line names. Throws DomainError for unknown names and bad domains. */
export async function loadDomainArg(arg: string): Promise<DomainHandle> {
  let src;
  if (existsSync(arg)) src = { text: readFileSync(arg, 'utf8'), file: arg, json: arg.endsWith('.json') };
  else { const b = readBuiltinDomain(arg); src = { text: b.text, file: b.file }; }
  return loadDomainSource(src);
}

/** Loads a domain given as text (`file` names it in errors). */
export async function loadDomainSource(src: { text: string; file: string; json?: boolean }): Promise<DomainHandle> {
  const { handle, cache } = await loadDomainCached(src);
  if (process.env.ARIA_CACHE_DEBUG === '1') process.stderr.write(`aria: domain cache ${cache}\n`);
  return handle;
}
