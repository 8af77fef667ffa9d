/**
 * Preloaded by `npm test` (node --import): a rejection or exception that
 * escapes a test (a promise a failed assertion left behind, say) is
 * reported and counted instead of ending the process, so the run goes on
 * and still prints its totals; the exit code is then non-zero. It also
 * gives the run a compiled-domain cache folder of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let escaped = 0;

// The tests (and the CLIs they start, which inherit the environment) keep compiled
// domains in a folder of this run's own, not in the user's ~/.cache/aria.
const ownCache = process.env.ARIA_CACHE_DIR === undefined ? mkdtempSync(join(tmpdir(), 'aria-test-cache-')) : undefined;
if (ownCache) process.env.ARIA_CACHE_DIR = ownCache;

function report(kind: string, err: unknown): void {
  escaped++;
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`\n${kind} outside any test (the run goes on; it counts as a failure):\n${text}\n`);
}

process.on('unhandledRejection', (reason) => report('unhandled rejection', reason));
process.on('uncaughtException', (err) => report('uncaught exception', err));
process.on('exit', () => {
  if (ownCache) rmSync(ownCache, { recursive: true, force: true });
  if (escaped === 0) return;
  process.stderr.write(`\n${escaped} error(s) escaped the tests\n`);
  process.exitCode = 1;
});
