/**
 * Loading a domain with the JIT on or off (ARIA_JIT is read when a domain
 * is compiled), for tests that compare the compiled engine with the
 * interpreter.
 */
import { loadDomain } from '../../server/src/planner/index.js';

/** `loadDomain(text)` with ARIA_JIT set for the call only. */
export function loadDomainWith(text: string, jit: boolean): ReturnType<typeof loadDomain> {
  const saved = process.env.ARIA_JIT;
  process.env.ARIA_JIT = jit ? '1' : '0';
  try { return loadDomain(text); } finally {
    if (saved === undefined) delete process.env.ARIA_JIT; else process.env.ARIA_JIT = saved;
  }
}
