/**
 * On a server with authentication, `/metrics` counts the calls the auth
 * interceptor refuses (they never reach a handler), and calls to methods no
 * service has are counted under one label, whatever path a client makes up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { PlanRequest, PlannerServiceClient } from '../../../gen/ts/aria/planner/v1/planner.js';
import { call, foundationServer, refused, type FoundationServer } from '../../support/foundation-server.js';
import { httpRequest, sample } from '../../support/http-get.js';

let s: FoundationServer;
let metricsUrl: string;
test.before(async () => {
  s = await foundationServer({ httpPort: 0 });
  metricsUrl = `http://${s.server.http!.address}/metrics`;
});
test.after(async () => {
  await s.stop();
});

test('a call the auth interceptor refuses is counted as UNAUTHENTICATED', async () => {
  const client = new PlannerServiceClient(s.address, credentials.createInsecure());
  try {
    const f = await refused(call(client, 'plan', PlanRequest.fromPartial({ domain: 'simple_htn', problemJson: '{"state":{},"todo":[]}' })));
    assert.is(f.code, status.UNAUTHENTICATED);
    const text = (await httpRequest(metricsUrl)).body;
    assert.is(sample(text, 'aria_rpc_requests_total', { service: 'aria.planner.v1.PlannerService', method: 'Plan', code: 'UNAUTHENTICATED' }), 1);
  } finally {
    client.close();
  }
});

test('made-up method paths share one label', async () => {
  const client = new Client(s.address, credentials.createInsecure());
  const ask = (path: string) => new Promise<ServiceError | null>((resolve) => {
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), new Metadata(), (err) => resolve(err));
  });
  try {
    for (const path of ['/aria.made.v1.Up/One', '/aria.made.v1.Up/Two', '/x/y']) {
      const err = await ask(path);
      assert.ok(err, `${path} must fail`);
      assert.ok(err.code === status.UNIMPLEMENTED || err.code === status.UNAUTHENTICATED, `${path}: ${status[err.code]}`);
    }
    const text = (await httpRequest(metricsUrl)).body;
    assert.not.match(text, 'aria.made.v1');
    assert.not.match(text, 'method="One"');
  } finally {
    client.close();
  }
});

test.run();
