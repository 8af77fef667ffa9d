/**
 * The one handler wrapper (server/src/transport/handler.ts), on a real
 * grpc-js server with the project's generated clients: each kind of method
 * gets a HandlerContext, maps failures to statuses, refuses unguarded calls
 * when asked to, and tells `done` how the call ended.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, Metadata, Server, ServerCredentials, status, type ServiceError } from '@grpc/grpc-js';
import pino from 'pino';
import { DataServiceClient, DataServiceService, type GetDataStatusResponse } from '../../gen/ts/aria/data/v1/data.js';
import { QueueServiceClient, QueueServiceService, type WatchJobRequest, type WatchJobResponse } from '../../gen/ts/aria/queue/v1/queue.js';
import { PlanRequest, PlannerServiceClient, PlannerServiceService, type PlanStreamRequest, type PlanStreamResponse } from '../../gen/ts/aria/planner/v1/planner.js';
import { InvalidArgumentError, NotFoundError } from '../../server/src/core/errors.js';
import { StorageServiceClient, StorageServiceService, type PutChunksRequest, type PutChunksResponse } from '../../gen/ts/aria/storage/v1/storage.js';
import { authedUnary, bidiStream, clientStream, decoded, messages, serverStream, unary, type CallOutcome, type HandlerContext } from '../../server/src/transport/handler.js';
import { lenientService } from '../../server/src/transport/lenient-service.js';
import { readErrorDetail } from '../../server/src/transport/status-mapping.js';

const log = pino({ level: 'silent' });
const shutdown = new AbortController();
const server = { log, shutdown: shutdown.signal };
const outcomes: { method: string; outcome: CallOutcome<unknown> }[] = [];
const seen: { ctx: HandlerContext; peer: string }[] = [];
const streamAborts: string[] = [];

let grpc: Server;
let address = '';

test.before(async () => {
  grpc = new Server();
  const done = (_req: unknown, ctx: HandlerContext, outcome: CallOutcome<unknown>) => outcomes.push({ method: ctx.method, outcome });
  grpc.addService(lenientService(DataServiceService, 'aria.data.v1'), {
    // No auth interceptor runs on this server: the guarded method must refuse.
    listPlanHistory: authedUnary(server, 'ListPlanHistory', async () => ({ records: [] })),
    getDataStatus: unary(server, 'GetDataStatus', (_req, ctx) => {
      seen.push({ ctx, peer: ctx.peer });
      if (ctx.metadata.get('fail')[0] === 'sync') throw new NotFoundError('nothing here');
      if (ctx.metadata.get('fail')[0] === 'bug') throw new Error('a secret stack detail');
      return { backend: 'test', schemaVersion: 7, schema: ctx.principal === undefined ? 'no-principal' : 'principal' };
    }, { done }),
  });
  grpc.addService(lenientService(QueueServiceService, 'aria.queue.v1'), {
    watchJob: serverStream<WatchJobRequest, WatchJobResponse, string>(server, 'WatchJob', async (req, _ctx, stream) => {
      if (req.jobId === 'bad') throw new InvalidArgumentError('job_id', 'no such shape');
      for (let i = 1; i <= 2; i++) stream.write({ event: { $case: 'progress', progress: { state: 0, done: i, total: 2 } } });
      return req.jobId;
    }, { done }),
  } as never);
  grpc.addService(lenientService(PlannerServiceService, 'aria.planner.v1'), {
    planStream: bidiStream<PlanStreamRequest, PlanStreamResponse>(server, 'PlanStream', (call) => new Promise<void>((resolve, reject) => {
      let index = 0;
      call.on('data', (m) => {
        try {
          const req = decoded(m);
          if (req.problem?.domain === 'stop') throw new InvalidArgumentError('problem.domain', 'stop asked');
          call.write({ index: index++ });
        } catch (err) {
          reject(err);
        }
      });
      call.on('end', () => resolve());
    })),
  } as never);
  grpc.addService(lenientService(StorageServiceService, 'aria.storage.v1'), {
    putChunks: clientStream<PutChunksRequest, PutChunksResponse>(server, 'PutChunks', async (call, ctx) => {
      let received = 0;
      try {
        for await (const m of messages(call, ctx.signal)) {
          if (m.data.toString() === 'stop') throw new InvalidArgumentError('data', 'stop asked');
          if (m.data.toString() === 'slow') await new Promise((r) => setTimeout(r, 300));
          received++;
        }
      } catch (err) {
        if (ctx.signal.aborted) streamAborts.push(String(ctx.signal.reason?.kind ?? ctx.signal.reason));
        throw err;
      }
      return { received, stored: ctx.principal === undefined ? 0 : 1 };
    }, { done }),
  } as never);
  const port = await new Promise<number>((resolve, reject) => grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  address = `127.0.0.1:${port}`;
});

test.after(async () => {
  shutdown.abort();
  await new Promise<void>((resolve) => grpc.tryShutdown(() => resolve()));
});

const deadline = () => new Date(Date.now() + 30_000);

test('unary: the answer, a HandlerContext with signal, peer and metadata, and done told of it', async () => {
  const client = new DataServiceClient(address, credentials.createInsecure());
  try {
    const res = await new Promise<GetDataStatusResponse>((resolve, reject) => client.getDataStatus({}, new Metadata(), { deadline: deadline() }, (e, r) => (e ? reject(e) : resolve(r))));
    assert.equal(res, { backend: 'test', schemaVersion: 7, schema: 'no-principal' });
    const { ctx, peer } = seen.at(-1)!;
    assert.is(ctx.method, 'GetDataStatus');
    assert.match(peer, /127\.0\.0\.1/);
    assert.ok(ctx.signal instanceof AbortSignal);
    assert.ok(outcomes.some((o) => o.method === 'GetDataStatus' && 'response' in o.outcome));
  } finally {
    client.close();
  }
});

test('unary: a thrown AriaError is its status with an ErrorDetail; anything else is INTERNAL without its message', async () => {
  const client = new DataServiceClient(address, credentials.createInsecure());
  try {
    const call = (fail: string) => new Promise<ServiceError>((resolve) => {
      const md = new Metadata();
      md.set('fail', fail);
      client.getDataStatus({}, md, { deadline: deadline() }, (e) => resolve(e!));
    });
    const [notFound, bug] = await Promise.all([call('sync'), call('bug')]);
    assert.is(notFound.code, status.NOT_FOUND);
    assert.is(readErrorDetail(notFound.metadata)?.message, 'nothing here');
    assert.is(bug.code, status.INTERNAL);
    assert.not.match(bug.details, /secret stack detail/);
    assert.ok(outcomes.some((o) => o.method === 'GetDataStatus' && 'code' in o.outcome && o.outcome.code === status.NOT_FOUND));
  } finally {
    client.close();
  }
});

test('authedUnary refuses a call no auth interceptor saw (UNAUTHENTICATED)', async () => {
  const client = new DataServiceClient(address, credentials.createInsecure());
  try {
    const err = await new Promise<ServiceError | null>((resolve) => client.listPlanHistory({ limit: 1, beforeUnixMs: 0, domainName: '' }, new Metadata(), { deadline: deadline() }, (e) => resolve(e)));
    assert.is(err?.code, status.UNAUTHENTICATED);
    assert.match(err!.details, /no auth interceptor/);
  } finally {
    client.close();
  }
});

test('serverStream: messages then the end, done told the result; a failure ends the stream with its status', async () => {
  const client = new QueueServiceClient(address, credentials.createInsecure());
  try {
    const read = (jobId: string) => new Promise<{ messages: WatchJobResponse[]; error?: ServiceError }>((resolve) => {
      const messages: WatchJobResponse[] = [];
      const s = client.watchJob({ jobId }, new Metadata(), { deadline: deadline() });
      s.on('data', (m: WatchJobResponse) => messages.push(m));
      s.on('error', (error: ServiceError) => resolve({ messages, error }));
      s.on('end', () => resolve({ messages }));
    });
    const ok = await read('job-1');
    assert.is(ok.error, undefined);
    assert.is(ok.messages.length, 2);
    assert.ok(outcomes.some((o) => o.method === 'WatchJob' && 'response' in o.outcome && o.outcome.response === 'job-1'));
    const bad = await read('bad');
    assert.is(bad.error?.code, status.INVALID_ARGUMENT);
    assert.is(readErrorDetail(bad.error?.metadata)?.field, 'job_id');
  } finally {
    client.close();
  }
});

test('bidiStream: answers while the client writes, ends with it; a failure is the stream status', async () => {
  const client = new PlannerServiceClient(address, credentials.createInsecure());
  try {
    const run = (domains: string[]) => new Promise<{ answers: PlanStreamResponse[]; error?: ServiceError }>((resolve) => {
      const answers: PlanStreamResponse[] = [];
      const s = client.planStream(new Metadata(), { deadline: deadline() });
      s.on('data', (m: PlanStreamResponse) => answers.push(m));
      s.on('error', (error: ServiceError) => resolve({ answers, error }));
      s.on('end', () => resolve({ answers }));
      for (const domain of domains) s.write({ problem: PlanRequest.fromPartial({ domain }) });
      s.end();
    });
    const ok = await run(['a', 'b', 'c']);
    assert.is(ok.error, undefined);
    assert.equal(ok.answers.map((a) => a.index), [0, 1, 2]);
    const stopped = await run(['a', 'stop']);
    assert.is(stopped.error?.code, status.INVALID_ARGUMENT);
    assert.match(stopped.error!.details, /stop asked/);
  } finally {
    client.close();
  }
});

test('clientStream: reads every message, answers once; a failure is the status; a cancel aborts the signal', async () => {
  const client = new StorageServiceClient(address, credentials.createInsecure());
  const put = (datas: string[], end = true) => {
    let cancel = () => {};
    const p = new Promise<PutChunksResponse>((resolve, reject) => {
      const call = client.putChunks(new Metadata(), { deadline: deadline() }, (e, r) => (e ? reject(e) : resolve(r!)));
      for (const d of datas) call.write({ chunkId: Buffer.alloc(32), data: Buffer.from(d) });
      if (end) call.end();
      cancel = () => call.cancel();
    });
    return { p, cancel: () => cancel() };
  };
  try {
    assert.equal(await put(['a', 'b', 'c']).p, { received: 3, stored: 0 });
    assert.ok(outcomes.some((o) => o.method === 'PutChunks' && 'response' in o.outcome));
    const failed = await put(['a', 'stop', 'c']).p.catch((e: ServiceError) => e);
    assert.is((failed as ServiceError).code, status.INVALID_ARGUMENT);
    assert.is(readErrorDetail((failed as ServiceError).metadata)?.message, 'data: stop asked');
    const open = put(['slow'], false);
    await new Promise((r) => setTimeout(r, 100));
    open.cancel();
    assert.is(((await open.p.catch((e: ServiceError) => e)) as ServiceError).code, status.CANCELLED);
    for (let i = 0; i < 50 && streamAborts.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(streamAborts, ['cancelled']);
  } finally {
    client.close();
  }
});

test.run();
