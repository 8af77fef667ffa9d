/**
 * Where things are, found from this module so that the bench works both
 * from the source tree and from dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The repository root: the nearest folder above this module whose package.json is named `aria`. */
export function repoRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'aria') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("bench: no package.json named 'aria' above this module");
    dir = up;
  }
}

/**
 * The conformance cases file: $ARIA_CONFORMANCE if set, else
 * ../shared/conformance/gtpyhop/cases.json next to the repository.
 */
export function conformancePath(): string {
  return process.env.ARIA_CONFORMANCE ?? resolve(repoRoot(), '..', 'shared', 'conformance', 'gtpyhop', 'cases.json');
}

/** The aria command line's entry point in the build. */
export function cliPath(): string {
  return join(repoRoot(), 'dist', 'server', 'src', 'cli', 'main.js');
}

/** The GTPyhop driver script (kept in bench/, not compiled). */
export function gtpyhopDriverPath(): string {
  return join(repoRoot(), 'bench', 'gtpyhop-driver.py');
}
