/**
 * Shrinks a failing case further than fast-check's shrinking of the tape
 * can: deletes lines and whole blocks of the domain text, todo items and
 * state entries, one at a time, keeping each deletion after which the
 * planners still disagree. Greedy and bounded in time; the result is a
 * case a person can read.
 */
import type { JsonState } from '../../../server/src/planner/types.js';
import type { RandomCase } from './domain-builder.js';
import { compareCase } from './differential.js';

/** Line ranges [from, to] worth deleting: every line, and every block from a line ending in `{` to its `}`. */
function candidates(lines: string[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trimEnd().endsWith('{')) continue;
    let depth = 0;
    for (let j = i; j < lines.length; j++) {
      for (const ch of lines[j]) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      if (depth === 0) { out.push([i, j]); break; }
    }
  }
  for (let i = lines.length - 1; i >= 1; i--) out.push([i, i]);
  return out;
}

/** The smallest variant of c found within `ms` milliseconds that still makes the planners disagree. */
export function reduceCase(c: RandomCase, ms: number): RandomCase {
  const deadline = Date.now() + ms;
  const fails = (x: RandomCase): boolean => compareCase(x).kind === 'mismatch';
  let best = c;
  for (let progress = true; progress && Date.now() < deadline;) {
    progress = false;
    const lines = best.text.split('\n');
    for (const [from, to] of candidates(lines)) {
      if (Date.now() >= deadline) break;
      const text = [...lines.slice(0, from), ...lines.slice(to + 1)].join('\n');
      const x = { ...best, text };
      if (fails(x)) { best = x; progress = true; break; }
    }
    if (progress) continue;
    for (let i = 0; i < best.problem.todo.length && !progress; i++) {
      const x = { ...best, problem: { ...best.problem, todo: best.problem.todo.filter((_, j) => j !== i) } };
      if (fails(x)) { best = x; progress = true; }
    }
    for (const v of Object.keys(best.problem.state)) {
      if (progress) break;
      const entry = best.problem.state[v];
      const keys = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? Object.keys(entry) : [];
      for (const k of [undefined, ...keys]) {
        const state: JsonState = { ...best.problem.state };
        if (k === undefined) delete state[v];
        else state[v] = Object.fromEntries(Object.entries(entry as Record<string, never>).filter(([kk]) => kk !== k));
        const x = { ...best, problem: { ...best.problem, state } };
        if (fails(x)) { best = x; progress = true; break; }
      }
    }
  }
  return best;
}
