/**
 * `aria conformance <file-or-folder>...`: runs conformance cases, prints a
 * line per failed case and ends with `N passed, N failed`.
 */
import { loadCases, runCase } from '../planner/conformance.js';
import { type DomainHandle } from '../planner/index.js';
import { loadDomainArg, loadDomainSource } from './load-domain-arg.js';
import { UsageError } from './usage-error.js';

/** Runs the cases; exit code 1 when any failed. */
export async function conformanceCommand(argv: string[]): Promise<number> {
  const paths = argv.filter((a) => !a.startsWith('--'));
  if (paths.length === 0) throw new UsageError('usage: aria conformance <file-or-folder>...');
  let cases;
  try {
    cases = loadCases(paths);
  } catch (e) {
    throw new UsageError(`cannot read cases: ${(e as Error).message}`);
  }
  const domains = new Map<string, DomainHandle | Error>();
  let passed = 0, failed = 0;
  for (const c of cases) {
    // A case may carry its own domain's text (GTPyhop's answers on random domains); its label then names no file.
    const key = c.domain_text ?? c.domain;
    let d = domains.get(key);
    if (!d) {
      try {
        d = c.domain_text === undefined ? await loadDomainArg(String(c.domain)) : await loadDomainSource({ text: c.domain_text, file: String(c.domain) });
      } catch (e) {
        d = e as Error;
      }
      domains.set(key, d);
    }
    const outcome = d instanceof Error ? { name: c.name, failure: `domain ${c.domain}: ${d.message}` } : await runCase(c, d);
    if (outcome.failure === null) passed++;
    else { failed++; process.stdout.write(`FAIL ${outcome.name}: ${outcome.failure}\n`); }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
