/**
 * Debian's chromium driven by playwright-core for the web page's tests:
 * nothing is downloaded (the executable is the system's), and every wait is
 * bounded so a slow, loaded machine fails a test instead of hanging it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { within } from './time-slack.js';

/** Where Debian's package puts it (`apt-get install -y chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/** The repository root (this file runs from dist/test/support). */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Screenshots kept for people to look at (gitignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');

// No GPU, no network beyond the test server, no first-run or background work: a quiet headless browser.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Whether the browser tests can run; says so on one line when they cannot. */
export function chromiumPresent(): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.log('\n  chromium not installed: browser tests skipped (apt-get install -y chromium)');
  return false;
}

/** Whether a missing chromium fails the run (CI sets ARIA_REQUIRE_CHROMIUM=1) instead of skipping. */
export const chromiumRequired = process.env.ARIA_REQUIRE_CHROMIUM === '1';

/** Builds the web page (esbuild, a second or two) so the test sees the sources it was compiled with. */
export function buildWebPage(): void {
  execFileSync(process.execPath, [join(ROOT, 'web', 'build.mjs')], { cwd: ROOT, timeout: within(30_000), stdio: 'pipe' });
}

/** Starts headless chromium. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: within(15_000) });
}

/** A new page of `width` × `height` whose waits time out after a bounded time; errors on the page are collected in `errors`. */
export async function openPage(browser: Browser, width: number, height: number, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(within(5_000));
  page.setDefaultNavigationTimeout(within(10_000));
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  // The API's failures are part of the tests (401 before login, 400 for a syntax error): the browser logs
  // each as "Failed to load resource". Any other failed load (a missing asset, a CSP block) is an error.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !new URL(res.url()).pathname.startsWith('/v1/')) errors.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  return page;
}

/** Whether the page scrolls sideways (its content is wider than the viewport). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Saves a full-page screenshot as test-artifacts/web/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true, timeout: within(10_000) });
}
