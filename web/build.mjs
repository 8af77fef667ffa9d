/**
 * Builds the web page into build/web: index.html, ui/app.js (esbuild's
 * bundle of src/main.ts, with its source map) and ui/app.css, plus
 * manifest.json, the list of files the HTTP port may serve
 * (server/src/transport/http/web-files.ts). Type checking is a separate
 * step (`tsc -p web/tsconfig.json`, in `npm run build:web`): esbuild only
 * strips types.
 */
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'build', 'web');

// A fresh folder each time, so the manifest lists exactly what this build wrote.
await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'ui'), { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: join(out, 'ui', 'app.js'),
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await copyFile(join(here, 'index.html'), join(out, 'index.html'));
await copyFile(join(here, 'styles.css'), join(out, 'ui', 'app.css'));

const files = [];
for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
  if (entry.isFile()) files.push(relative(out, join(entry.parentPath, entry.name)).split('\\').join('/'));
}
files.sort();
await writeFile(join(out, 'manifest.json'), `${JSON.stringify({ files }, null, 2)}\n`);
console.log(`web page built: ${files.length} files in ${relative(process.cwd(), out) || '.'}`);
