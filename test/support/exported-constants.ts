/**
 * Reads the numeric constants a source file exports (`export const NAME[:
 * type] = number;`, one a line), for the tests that hold two languages'
 * copies of the engine's contract together (opcodes, ABI).
 */
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/test/support/). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A repository file's text. */
export function readRepoFile(rel: string): string {
  return readFileSync(join(REPO_ROOT, rel), 'utf8');
}

/** The file's exported numeric constants, in order; fails on a name defined twice or an export it cannot read. */
export function exportedConstants(rel: string): Map<string, number> {
  const text = readRepoFile(rel);
  const out = new Map<string, number>();
  const re = /^export\s+const\s+([A-Z_][A-Z0-9_]*)\s*(?::\s*\w+\s*)?=\s*(-?(?:0x[0-9a-fA-F]+|\d+))\s*;/gm;
  for (const m of text.matchAll(re)) {
    assert.not.ok(out.has(m[1]), `${rel}: ${m[1]} defined twice`);
    out.set(m[1], Number(m[2]));
  }
  const exported = [...text.matchAll(/^export\s+const\s+(\w+)/gm)].map((m) => m[1]);
  assert.equal(exported, [...out.keys()], `${rel}: an exported const the test could not read (keep one \`export const NAME: type = number;\` a line)`);
  return out;
}
