/**
 * The web page end to end in Debian's chromium, against a whole server
 * (auth, the real planner): log in, list and read domains, plan the travel
 * example, see a syntax error at its line, list a queue job, and the same
 * page at a phone's width (390 px) with no sideways scrolling. Screenshots
 * go to test-artifacts/web/.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { foundationServer, type FoundationServer } from '../support/foundation-server.js';
import { buildWebPage, chromiumPresent, chromiumRequired, horizontalOverflow, launchBrowser, openPage, screenshot } from '../support/browser.js';
import { within } from '../support/time-slack.js';

const PASSWORD = 'bootstrap-admin-password';
const BROKEN = 'domain broken\n\nvar x\n\naction oops(a {\n  x[a] = 1\n}\n';

let server: FoundationServer | undefined;
let browser: Browser | undefined;
let base = '';
const errors: string[] = [];

async function logIn(page: Page): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('#login-user').fill('admin');
  await page.locator('#login-password').fill(PASSWORD);
  await page.locator('#login-form button').click();
  await page.locator('#domain-list li button[data-domain="simple_htn"]').waitFor();
}

async function planTravel(page: Page): Promise<string[]> {
  await page.locator('#plan-domain').fill('simple_htn');
  await page.locator('#plan-form button[type="submit"]').click();
  await page.locator('#plan-steps li').nth(2).waitFor();
  return page.locator('#plan-steps li').allTextContents();
}

async function registerBroken(page: Page): Promise<string> {
  await page.locator('#register-text').fill(BROKEN);
  await page.locator('#register-form button').click();
  await page.locator('#register-error').waitFor();
  return page.locator('#register-error').innerText();
}

const present = chromiumPresent();

if (present) {
  test.before(async () => {
    buildWebPage();
    server = await foundationServer({ httpPort: 0, libraryUrl: null });
    base = `http://${server.server.http!.address}`;
    browser = await launchBrowser();
  });
  test.after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('log in as admin (a wrong password shows the server\'s message) and see simple_htn listed', async () => {
    const page = await openPage(browser!, 1280, 900, errors);
    await page.goto(`${base}/`);
    await page.locator('#login-form').waitFor();
    await page.locator('#login-user').fill('admin');
    await page.locator('#login-password').fill('not-the-password');
    await page.locator('#login-form button').click();
    await page.locator('#login-error').waitFor();
    assert.match(await page.locator('#login-error').innerText(), /UNAUTHENTICATED: wrong username or password/);
    await logIn(page);
    assert.match(await page.locator('#who').innerText(), /Logged in as admin/);
    await screenshot(page, '1-domains');

    // Reading a domain shows its source text.
    await page.locator('#domain-list button[data-domain="simple_htn"]').click();
    await page.locator('#domain-view').waitFor();
    assert.match(await page.locator('#domain-text').innerText(), /^# GTPyhop's Examples\/simple_htn\.py[\s\S]*domain simple_htn/);

    // The travel example is prefilled; its plan is the three taxi steps.
    const steps = await planTravel(page);
    assert.equal(steps, ['call_taxi(alice, home_a)', 'ride_taxi(alice, park)', 'pay_driver(alice, park)']);
    assert.match(await page.locator('#plan-status').innerText(), /Plan found: 3 steps/);
    await page.locator('#plan').scrollIntoViewIfNeeded();
    await screenshot(page, '2-plan');

    // A syntax error is shown at its line, with the line itself.
    const shown = await registerBroken(page);
    assert.match(shown, /Error at line 5, column \d+: /);
    assert.match(shown, /5 \| action oops\(a \{/);
    await screenshot(page, '3-syntax-error');

    // A good domain registers and joins the list.
    await page.locator('#register-text').fill('domain lamp_web\n\nvar power\n\naction on(l) {\n  power[l] = \'on\'\n}\n');
    await page.locator('#register-form button').click();
    await page.locator('#register-result').waitFor();
    assert.match(await page.locator('#register-result').innerText(), /Registered lamp_web v1/);
    await page.locator('#domain-list button[data-domain="lamp_web"]').waitFor();

    // An unknown domain: the API's message reaches the person.
    await page.locator('#plan-domain').fill('no_such_domain');
    await page.locator('#plan-form button[type="submit"]').click();
    await page.locator('#plan-error').waitFor();
    assert.match(await page.locator('#plan-error').innerText(), /Could not plan: NOT_FOUND: .*no_such_domain/);
    await page.context().close();
  });

  test('the queue\'s jobs are listed; a refused token asks for a login again', async () => {
    // A job submitted through the JSON API, as any client would.
    const login = await fetch(`${base}/v1/aria.auth.v1.AuthService/Login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: PASSWORD }), signal: AbortSignal.timeout(within(5_000)) });
    const token = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
    const problemJson = JSON.stringify({ state: { loc: { alice: 'home_a', taxi1: 'park' }, cash: { alice: 20 }, owe: { alice: 0 } }, todo: [['travel', 'alice', 'park']] });
    const submit = await fetch(`${base}/v1/aria.queue.v1.QueueService/SubmitPlanJob`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ domain: 'simple_htn', problems: [{ problemJson }], jobId: 'web-test-job' }), signal: AbortSignal.timeout(within(5_000)),
    });
    assert.is(submit.status, 200, await submit.clone().text());
    const page = await openPage(browser!, 1280, 900, errors);
    await logIn(page);
    await page.locator('#job-list li', { hasText: 'web-test-job' }).waitFor();
    assert.match(await page.locator('#job-list li', { hasText: 'web-test-job' }).innerText(), /simple_htn v1/);
    await page.locator('#jobs').scrollIntoViewIfNeeded();
    await screenshot(page, '4-jobs');

    // A token the server refuses (expired, revoked) brings the login form back with a reason.
    await page.evaluate(() => sessionStorage.setItem('aria.accessToken', 'not-a-token'));
    await page.locator('#domains-refresh').click();
    await page.locator('#login-section').waitFor();
    assert.match(await page.locator('#login-error').innerText(), /Your session ended .*: log in again\./);
    await page.context().close();
  });

  test('at a phone\'s width (390 px) the page never scrolls sideways', async () => {
    const page = await openPage(browser!, 390, 844, errors);
    await page.goto(`${base}/`);
    await page.locator('#login-form').waitFor();
    assert.is(await horizontalOverflow(page), 0, 'login form');
    await screenshot(page, '5-phone-login');
    await logIn(page);
    await page.locator('#domain-list button[data-domain="simple_htn"]').click();
    await page.locator('#domain-view').waitFor();
    assert.is(await horizontalOverflow(page), 0, 'domain source');
    assert.equal((await planTravel(page)).length, 3);
    await registerBroken(page);
    await page.locator('#jobs-refresh').click();
    await page.locator('#job-list li').first().waitFor();
    assert.is(await horizontalOverflow(page), 0, 'after planning, an error and the jobs');
    await screenshot(page, '6-phone');
    await page.context().close();
  });

  test('with --dev-no-auth the page needs no login', async () => {
    const open = await foundationServer({ httpPort: 0, libraryUrl: null, devNoAuth: true });
    try {
      const page = await openPage(browser!, 1280, 900, errors);
      await page.goto(`http://${open.server.http!.address}/`);
      await page.locator('#domain-list button[data-domain="simple_htn"]').waitFor();
      assert.match(await page.locator('#who').innerText(), /No login needed/);
      assert.ok(await page.locator('#login-section').isHidden());
      assert.ok(await page.locator('#logout').isHidden());
      assert.equal(await planTravel(page), ['call_taxi(alice, home_a)', 'ride_taxi(alice, park)', 'pay_driver(alice, park)']);
      await page.context().close();
    } finally {
      await open.stop();
    }
  });

  test('nothing went wrong on the page (no script errors, no blocked loads)', () => {
    assert.equal(errors, []);
  });
} else {
  test('browser tests: chromium not installed (skipped unless ARIA_REQUIRE_CHROMIUM=1)', () => {
    if (chromiumRequired) assert.unreachable('/usr/bin/chromium not found and ARIA_REQUIRE_CHROMIUM=1: apt-get install -y chromium');
  });
}

test.run();
