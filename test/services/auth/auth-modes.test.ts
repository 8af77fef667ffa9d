/**
 * When authentication is on: always, unless the development switch turns it
 * off, which only a loopback server accepts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pino } from 'pino';
import { ListDomainsRequest, PlannerServiceClient, type ListDomainsResponse } from '../../../gen/ts/aria/planner/v1/planner.js';
import { AuthServiceClient, WhoAmIRequest, type WhoAmIResponse } from '../../../gen/ts/aria/auth/v1/auth.js';
import { isLoopback, resolveAuthMode } from '../../../server/src/services/auth/auth-mode.js';
import { openFoundation } from '../../../server/src/app/foundation.js';
import { call, clientFor, foundationServer } from '../../support/foundation-server.js';

test('auth is on by default everywhere; the dev switch turns it off on loopback only', () => {
  for (const host of ['127.0.0.1', '0.0.0.0', '::', '10.1.2.3', 'example.org']) assert.is(resolveAuthMode(host, false), 'on', host);
  for (const host of ['127.0.0.1', '127.3.2.1', 'localhost', '::1', '[::1]']) {
    assert.ok(isLoopback(host), host);
    assert.is(resolveAuthMode(host, true), 'off', host);
  }
  for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.org', '127.0.0.1.example.org']) {
    assert.throws(() => resolveAuthMode(host, true), /only be switched off/, host);
  }
});

test('a server bound to a non-loopback address refuses the dev switch before opening anything', async () => {
  try {
    await openFoundation({ host: '0.0.0.0', dataDir: null, devNoAuth: true, log: pino({ level: 'silent' }), env: {} });
    assert.unreachable('must refuse');
  } catch (err) {
    assert.match((err as Error).message, /loopback/);
  }
  try {
    await openFoundation({ host: '0.0.0.0', dataDir: null, log: pino({ level: 'silent' }), env: { ARIA_DEV_NO_AUTH: '1' } });
    assert.unreachable('must refuse the environment switch too');
  } catch (err) {
    assert.match((err as Error).message, /loopback/);
  }
});

test('with the dev switch on loopback, calls need no token and the caller is an unauthenticated admin', async () => {
  const fs = await foundationServer({ devNoAuth: true });
  try {
    const planner = clientFor(PlannerServiceClient, fs.address);
    const auth = clientFor(AuthServiceClient, fs.address);
    assert.ok((await call<ListDomainsResponse>(planner, 'listDomains', ListDomainsRequest.fromPartial({}))).domains.length > 0);
    const me = await call<WhoAmIResponse>(auth, 'whoAmI', WhoAmIRequest.fromPartial({}));
    assert.is(me.authenticated, false);
    assert.ok(fs.logs.join('').includes('authentication is OFF'));
    planner.close();
    auth.close();
  } finally {
    await fs.stop();
  }
});

test.run();
