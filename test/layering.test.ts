/**
 * The layering of server/src (server/dependency-cruiser.cjs) holds: zero
 * violations on the real tree, and the rules do catch a planted violation
 * of each kind in a scratch tree.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = join(ROOT, 'server', 'dependency-cruiser.cjs');
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

async function cruise(cwd: string): Promise<Violation[]> {
  // Exit code 1 means "violations found": the JSON on stdout says which.
  const out = await run(process.execPath, [CLI, '--config', CONFIG, '--output-type', 'json', 'server/src'], { cwd, timeout: 120_000, maxBuffer: 64 << 20 }).catch(
    (err: { stdout?: string; code?: number }) => {
      if (typeof err.stdout === 'string' && err.stdout.startsWith('{')) return { stdout: err.stdout };
      throw err;
    },
  );
  return (JSON.parse(out.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const describe = (v: Violation) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`;

test('server/src keeps its layering: zero dependency-cruiser violations', async () => {
  const violations = await cruise(ROOT);
  assert.equal(violations.map(describe), []);
});

test('the rules catch a planted violation of each kind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aria-layering-'));
  try {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }),
      'server/src/core/errors.ts': `import { helper } from '../services/auth/helper.js';\nexport const e = helper;\n`,
      'server/src/services/auth/index.ts': `export { helper } from './helper.js';\n`,
      'server/src/services/auth/helper.ts': `import { x } from '../../transport/handler.js';\nexport const helper = x;\n`,
      'server/src/services/data/index.ts': `import { helper } from '../auth/helper.js';\nexport const d = helper;\n`,
      'server/src/transport/handler.ts': `import { p } from '../planner/runtime/engine.js';\nexport const x = p;\n`,
      'server/src/planner/index.ts': `export { p } from './runtime/engine.js';\n`,
      'server/src/planner/runtime/engine.ts': `import { q } from './cycle.js';\nexport const p = q;\n`,
      'server/src/planner/runtime/cycle.ts': `import { p } from './engine.js';\nexport const q = () => p;\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const found = new Set((await cruise(dir)).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`));
    for (const expected of [
      'core-imports-nothing: server/src/core/errors.ts -> server/src/services/auth/helper.ts',
      'service-through-index: server/src/core/errors.ts -> server/src/services/auth/helper.ts',
      'service-to-service-through-index: server/src/services/data/index.ts -> server/src/services/auth/helper.ts',
      'services-below-transport: server/src/services/auth/helper.ts -> server/src/transport/handler.ts',
      'library-through-index: server/src/transport/handler.ts -> server/src/planner/runtime/engine.ts',
    ]) {
      assert.ok(found.has(expected), `expected ${expected}; found:\n${[...found].join('\n')}`);
    }
    // A cycle is reported from whichever of its files the cruise meets first.
    assert.ok([...found].some((f) => f.startsWith('no-circular: server/src/planner/runtime/')), `expected the planted cycle; found:\n${[...found].join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
