/**
 * Plan history's queue, without a database: batches keep their order and
 * their ids across a failed write, the oldest records go first when the
 * queue is full (and are counted), and the times sent are the record times.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Database } from '../../../server/src/services/data/database.js';
import { PlanHistory, type PlanRecordInput } from '../../../server/src/services/data/plan-history.js';

/** A Database that fails the first `failures` writes and keeps the parameters of the others. */
function fakeDb(failures: number): Database & { writes: unknown[][]; tries: unknown[][] } {
  const writes: unknown[][] = [];
  const tries: unknown[][] = [];
  return {
    kind: 'pglite', schema: 'fake', writes, tries,
    t: (n: string) => n,
    async query<R>(_sql: string, params: unknown[] = []): Promise<R[]> {
      tries.push(params);
      if (failures-- > 0) throw new Error('database away');
      writes.push(params);
      return [];
    },
    exec: async () => undefined,
    transaction: () => Promise.reject(new Error('not used')),
    onAvailability: () => () => undefined,
    close: async () => undefined,
  };
}

const rec = (i: number): PlanRecordInput => ({
  username: `u${i}`, method: 'Plan', domainId: `id${i}`, domainName: `d${i}`, status: 'plan', planLength: i, durationMs: i + 0.5,
});

test('a failed batch is written later in the same order with the same ids', async () => {
  const db = fakeDb(1);
  const history = new PlanHistory(db, { flushMs: 60_000, batchSize: 100 });
  const before = Date.now();
  for (let i = 0; i < 3; i++) history.record(rec(i));
  await history.flush().then(() => assert.unreachable('the first write fails'), () => undefined);
  history.record(rec(3));
  await history.flush();
  assert.is(db.writes.length, 1);
  const [ids, times, users, , , names, , lengths, durations] = db.writes[0]!;
  assert.equal(users, ['u0', 'u1', 'u2', 'u3']);
  assert.equal(names, ['d0', 'd1', 'd2', 'd3']);
  assert.equal(lengths, [0, 1, 2, 3]);
  assert.equal(durations, [0.5, 1.5, 2.5, 3.5]);
  const firstIds = db.tries[0]![0] as string[];
  assert.equal((ids as string[]).slice(0, 3), firstIds, 'a retried row keeps its id');
  assert.is(new Set(ids as string[]).size, 4);
  for (const t of times as number[]) assert.ok(t >= before && t <= Date.now(), 'record times in epoch ms');
  await history.close();
});

test('past maxQueued the oldest records are dropped and counted', async () => {
  const db = fakeDb(0);
  const history = new PlanHistory(db, { flushMs: 60_000, batchSize: 1000, maxQueued: 5 });
  for (let i = 0; i < 8; i++) history.record(rec(i));
  assert.is(history.dropped, 3);
  await history.flush();
  assert.equal(db.writes[0]![2], ['u3', 'u4', 'u5', 'u6', 'u7']);
  await history.close();
});

test('a full batch is written at once, in batches of batchSize', async () => {
  const db = fakeDb(0);
  const history = new PlanHistory(db, { flushMs: 60_000, batchSize: 2 });
  for (let i = 0; i < 5; i++) history.record(rec(i));
  await history.close();
  assert.equal(db.writes.map((w) => w[2]), [['u0', 'u1'], ['u2', 'u3'], ['u4']]);
});

test('records queued while a write is under way do not each start a flush', async () => {
  const db = fakeDb(0);
  const slow = db.query.bind(db);
  db.query = async <R>(sql: string, params?: unknown[]) => {
    await new Promise((r) => setTimeout(r, 30));
    return slow<R>(sql, params);
  };
  const history = new PlanHistory(db, { flushMs: 60_000, batchSize: 10 });
  let flushes = 0;
  const flush = history.flush.bind(history);
  history.flush = () => { flushes++; return flush(); };
  for (let i = 0; i < 500; i++) history.record(rec(i));
  assert.ok(flushes <= 2, `${flushes} flushes asked for while one write ran`);
  await history.close();
  assert.is(db.writes.flatMap((w) => w[2] as string[]).length, 500, 'every record written');
});

test.run();
