// Links node_modules/.bin/aria to server/bin/aria (run by `npm install` through
// `prepare`). Why: package.json has no "bin" (with one, npm 11's `npx aria`
// packs this project into its cache, which runs `prepare`, a full rebuild,
// and rewrites dist/ under a running server). Without a "bin" and without
// this link, `npx aria` would install the unrelated "aria" package from the
// registry instead. With the link, `npx aria` runs server/bin/aria directly.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const link = join(root, 'node_modules', '.bin', 'aria');
if (process.platform === 'win32') {
  // No shebang scripts there: `node server/bin/aria ...` is the command.
  process.exit(0);
}
mkdirSync(dirname(link), { recursive: true });
rmSync(link, { force: true });
symlinkSync(join('..', '..', 'server', 'bin', 'aria'), link);
