/**
 * Resolves a `--domain` argument: a file (`.aria` text or `.json` data) or
 * the name of a built-in domain.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadDomain, readBuiltinDomain, type DomainHandle } from '../planner/index.js';
import type { Domain } from '../planner/ast.js';

/** Loads the domain a command line names. Throws DomainError for unknown names and bad domains. */
export function loadDomainArg(arg: string): DomainHandle {
  if (existsSync(arg)) {
    const text = readFileSync(arg, 'utf8');
    if (arg.endsWith('.json')) return loadDomain(JSON.parse(text) as Domain, { file: arg });
    return loadDomain(text, { file: arg });
  }
  const b = readBuiltinDomain(arg);
  return loadDomain(b.text, { file: b.file });
}
