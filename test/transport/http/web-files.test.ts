/**
 * The web page's route on the HTTP port: `/` and `/ui/<name>` serve exactly
 * the files the build's manifest lists, with their content types; anything
 * else under those paths is 404 (no traversal, no unlisted file); a folder
 * never built answers 503 saying how to build it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ServerMetrics } from '../../../server/src/services/monitor/index.js';
import { startHttpFront, type HttpFront } from '../../../server/src/transport/http/http-front.js';
import { httpRequest } from '../../support/http-get.js';

let dir: string;
let front: HttpFront;
let base: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aria-web-files-'));
  await mkdir(join(dir, 'ui'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Aria</title>');
  await writeFile(join(dir, 'ui', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'ui', 'app.css'), 'body{}');
  // On disk but not in the manifest: must not be served.
  await writeFile(join(dir, 'ui', 'secret.txt'), 'not listed');
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ files: ['index.html', 'ui/app.js', 'ui/app.css', '../package.json'] }));
  front = await startHttpFront({
    host: '127.0.0.1', port: 0, metrics: new ServerMetrics({ defaultMetrics: false }), log: pino({ level: 'silent' }),
    health: () => ({ serving: true, services: {} }), webDir: dir,
  });
  base = `http://${front.address}`;
});
test.after(async () => {
  await front.close();
  await rm(dir, { recursive: true, force: true });
});

test('/ is index.html and /ui/ files have their content types', async () => {
  const index = await httpRequest(`${base}/`);
  assert.is(index.status, 200);
  assert.is(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.is(index.body, '<!doctype html><title>Aria</title>');
  assert.match(String(index.headers['content-security-policy']), /default-src 'self'/);
  const js = await httpRequest(`${base}/ui/app.js?v=1`);
  assert.is(js.status, 200);
  assert.is(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.is(js.headers['x-content-type-options'], 'nosniff');
  assert.is((await httpRequest(`${base}/ui/app.css`)).headers['content-type'], 'text/css; charset=utf-8');
  const head = await httpRequest(`${base}/ui/app.js`, 'HEAD');
  assert.is(head.status, 200);
  assert.is(head.body, '');
  assert.is(head.headers['content-length'], '14');
});

test('only listed files, by exact name: traversal, encodings and unlisted files are 404', async () => {
  for (const path of ['/ui/secret.txt', '/ui/../package.json', '/ui/%2e%2e/package.json', '/ui/', '/ui/app.js/', '/ui//app.js', '/ui/APP.JS', '/manifest.json', '/ui/..%2fpackage.json']) {
    const res = await httpRequest(`${base}${path}`);
    assert.is(res.status, 404, path);
    assert.not.match(res.body, /not listed|"name"/, path);
  }
  // The manifest's own unsafe entry is refused too.
  assert.is((await httpRequest(`${base}/../package.json`)).status, 404);
});

test('only GET and HEAD', async () => {
  const post = await httpRequest(`${base}/`, 'POST', 10_000, 'x');
  assert.is(post.status, 405);
  assert.is(post.headers.allow, 'GET, HEAD');
});

test('a web folder never built answers / with 503 and the command to run', async () => {
  const bare = await startHttpFront({
    host: '127.0.0.1', port: 0, metrics: new ServerMetrics({ defaultMetrics: false }), log: pino({ level: 'silent' }),
    health: () => ({ serving: true, services: {} }), webDir: join(dir, 'missing'),
  });
  try {
    const res = await httpRequest(`http://${bare.address}/`);
    assert.is(res.status, 503);
    assert.is(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(res.body, /npm run build:web/);
    assert.is((await httpRequest(`http://${bare.address}/healthz`)).status, 200);
  } finally {
    await bare.close();
  }
});

test.run();
