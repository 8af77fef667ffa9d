/**
 * The domains shipped in `domains/*.aria` (GTPyhop's examples and the
 * conformance probes), found relative to the repository root.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from './errors.js';

let root: string | undefined;

/**
 * The repository root: the nearest folder above this module whose
 * package.json is named `aria`. Walking up works both from the source
 * (server/src/planner) and from the build (dist/server/src/planner).
 */
function repoRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'aria') return (root = dir);
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new DomainError('', "cannot find the built-in domains: no package.json named 'aria' above this module");
    dir = up;
  }
}

function domainsDir(): string {
  return join(repoRoot(), 'domains');
}

/** The names of the built-in domains (the `.aria` files in `domains/`), sorted. */
export function builtinDomainNames(): string[] {
  const dir = domainsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.aria'))
    .map((f) => f.slice(0, -'.aria'.length))
    .sort();
}

/**
 * The text of built-in domain `name` and its file path (for error places).
 * Throws DomainError for a name that is not a built-in domain.
 */
export function readBuiltinDomain(name: string): { text: string; file: string } {
  const names = builtinDomainNames();
  // Checking against the list (not just the file system) keeps names like '../x' out.
  if (!names.includes(name)) {
    throw new DomainError('', `unknown domain '${name}'; built-in domains: ${names.join(', ')}`);
  }
  const file = join(domainsDir(), `${name}.aria`);
  return { text: readFileSync(file, 'utf8'), file };
}
