/**
 * `web/debugger-100k`: the web page's debugger on a trace of 106,488 events
 * in headless Debian chromium (playwright-core, nothing downloaded), against
 * an `aria serve` child (issue 18: the first screen of a 100,000-event trace
 * in under 2 s). One operation is one Debug press on a freshly loaded page;
 * the runner's time per op is the time to the whole trace (the result line
 * shown), and the time to the first rows is measured in the page (a
 * MutationObserver from the click) and printed at the end with the median.
 * Without /usr/bin/chromium the case is left out with a message.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BenchCase, CaseDriver, OpResult } from './case-types.js';
import { ServerProcess } from './server-process.js';

/** Where Debian's package puts it (`apt-get install -y chromium`). */
const CHROMIUM = '/usr/bin/chromium';

/** 13 binary choices, an action that applies, then one that never does: all 8,192 branches fail (106,488 events). */
const DOMAIN = 'domain web_bits_100k\n\nvar bit, seen\n\naction set_bit(k, b) {\n  bit[k] = b\n}\n\naction touch() {\n  seen[0] = 1\n}\n\n'
  + 'action never() {\n  fail\n}\n\ntask choose {\n  method zero(k) { return [set_bit(k, 0)] }\n  method one(k) { return [set_bit(k, 1)] }\n}\n';
const TODO = [...Array.from({ length: 13 }, (_, k) => ['choose', k + 1]), ['touch'], ['never']];
/** The least events the trace must have for the case to mean what its name says. */
const MIN_EVENTS = 100_000;

/** What one Debug press measured in the page, in milliseconds from the click. */
interface PageTimes { firstRowsMs: number; wholeMs: number; events: number }

/** Presses Debug on a fresh page and measures, in the page, the first row and the result line. */
async function debugOnce(page: Page, base: string): Promise<PageTimes> {
  await page.goto(`${base}/`);
  await page.locator('#plan-domain').fill('web_bits_100k');
  await page.locator('#plan-state').fill(JSON.stringify({ bit: {}, seen: {} }));
  await page.locator('#plan-todo').fill(JSON.stringify(TODO));
  const done = page.evaluate(() => new Promise<{ firstRowsMs: number; wholeMs: number }>((resolve) => {
    const button = document.getElementById('debug-button')!;
    let t0 = 0;
    let first = -1;
    const check = (): void => {
      if (first < 0 && document.querySelector('#debug-rows .trace-row') !== null) first = performance.now() - t0;
      if (!document.getElementById('debug-result')!.hidden) {
        observer.disconnect();
        resolve({ firstRowsMs: first < 0 ? performance.now() - t0 : first, wholeMs: performance.now() - t0 });
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.getElementById('debugger')!, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
    t0 = performance.now();
    button.click();
  }));
  const t = await done;
  const events = Number(/of (\d+)/.exec(await page.locator('#debug-count').innerText())?.[1] ?? 0);
  return { ...t, events };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function debuggerCase(): BenchCase {
  return {
    name: 'web/debugger-100k', layer: 'web',
    async setup(): Promise<CaseDriver> {
      const server = await ServerProcess.start(Math.min(2, availableParallelism()));
      let browser: Browser | undefined;
      try {
        const http = await server.httpAddress();
        const base = `http://${http}`;
        const reg = await fetch(`${base}/v1/aria.planner.v1.PlannerService/RegisterDomain`, { method: 'POST', body: JSON.stringify({ text: DOMAIN }), signal: AbortSignal.timeout(30_000) });
        if (reg.status !== 200) throw new Error(`RegisterDomain: HTTP ${reg.status} ${(await reg.text()).slice(0, 200)}`);
        browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'], timeout: 30_000 });
        const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
        page.setDefaultTimeout(120_000);
        const times: PageTimes[] = [];
        const op = async (): Promise<OpResult> => {
          const t = await debugOnce(page, base);
          if (t.events < MIN_EVENTS) throw new Error(`the trace had ${t.events} events, fewer than ${MIN_EVENTS}`);
          times.push(t);
          return { planLength: null };
        };
        const b = browser;
        return {
          concurrency: 1, async: op, rss: () => server.rss(), cpuMs: () => server.cpuMs(),
          close: async () => {
            if (times.length > 0) {
              const first = times.map((t) => t.firstRowsMs);
              const whole = times.map((t) => t.wholeMs);
              process.stdout.write(`\nweb/debugger-100k: ${times[0]!.events} events, ${times.length} Debug presses in chromium (page-measured, from the click): `
                + `first rows median ${median(first).toFixed(0)} ms (max ${Math.max(...first).toFixed(0)} ms; issue 18 target < 2000 ms), `
                + `whole trace median ${median(whole).toFixed(0)} ms (max ${Math.max(...whole).toFixed(0)} ms)\n`);
            }
            await b.close();
            await server.close();
          },
        };
      } catch (e) {
        await browser?.close();
        await server.close();
        throw e;
      }
    },
  };
}

/** The web page's cases; none (with a message) when Debian's chromium is not installed. */
export function webCases(): BenchCase[] {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`web/debugger-100k skipped: ${CHROMIUM} not found (apt-get install -y chromium)\n`);
    return [];
  }
  return [debuggerCase()];
}
