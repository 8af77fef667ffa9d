/**
 * The web page's files on the HTTP port: `GET /` is index.html and
 * `GET /ui/<name>` its assets, read from the folder `npm run build:web`
 * writes (build/web). Only the files listed in that folder's manifest.json
 * are served, looked up by the exact request path, so no request can name a
 * file the build did not write (no decoding, no path joining of user text).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the build writes beside the files: `{"files": ["index.html", "ui/app.js", ...]}`. */
export interface WebManifest {
  files: string[];
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
};

// The page talks only to this server and loads nothing from elsewhere; the CSP makes that a rule.
const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A manifest entry the route accepts: index.html or ui/<plain name>, nothing that could climb out of the folder. */
const SAFE = /^(index\.html|ui\/[A-Za-z0-9][A-Za-z0-9_.-]*)$/;

/** Whether `path` (the URL's path, undecoded) belongs to the web page: `/` or under `/ui/`. */
export function isWebPath(path: string): boolean {
  return path === '/' || path === '/index.html' || path.startsWith('/ui/');
}

/**
 * build/web in the repository that holds this file (walking up from
 * dist/server/src/... or server/src/...); the path is returned even when the
 * folder does not exist yet, so a later `npm run build:web` is picked up.
 */
export function defaultWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'build', 'web');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'build', 'web');
}

/**
 * Answers a GET or HEAD of a web path from `dir`: the file when the manifest
 * lists it, 404 when not, 503 with a hint when the page was never built.
 * The manifest is read on each request so a rebuild shows without a restart
 * (it is a few hundred bytes).
 */
export async function serveWebFile(req: IncomingMessage, res: ServerResponse, path: string, dir: string): Promise<void> {
  const headOnly = req.method === 'HEAD';
  let manifest: WebManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as WebManifest;
  } catch {
    return plain(res, 503, 'the web page is not built: run `npm run build:web` (npm install and npm run build do it)\n', headOnly);
  }
  const name = path === '/' ? 'index.html' : path.slice(1);
  if (!SAFE.test(name) || !Array.isArray(manifest.files) || !manifest.files.includes(name)) {
    return plain(res, 404, 'not found: the web page is at / and its files under /ui/\n', headOnly);
  }
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch {
    return plain(res, 503, 'the web page build is incomplete: run `npm run build:web`\n', headOnly);
  }
  const type = TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    // Files keep their names across builds: ask the server each time (cheap, and never stale).
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...(name === 'index.html' ? { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer' } : {}),
  });
  res.end(headOnly ? undefined : body);
}

function plain(res: ServerResponse, code: number, text: string, headOnly: boolean): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(headOnly ? undefined : text);
}
