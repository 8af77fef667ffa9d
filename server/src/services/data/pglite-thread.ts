/**
 * The thread that runs the embedded database. PGlite executes SQL
 * synchronously inside WebAssembly, so on the server's own thread every
 * statement (a plan-history batch of 2,000 rows takes tens of
 * milliseconds) would stall every gRPC call; here it stalls nobody.
 *
 * Requests are answered as PGlite finishes them. A transaction stays open
 * across messages: its callback waits until the server's thread says
 * commit or roll back.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { toPlainError, type PgliteReply, type PgliteRequest, type PgliteThreadConfig } from './pglite-thread-protocol.js';

const port = parentPort!;
const config = workerData as PgliteThreadConfig;
/** Thrown inside a transaction's callback to roll it back. */
const ROLLBACK = Symbol('rollback');

interface OpenTx {
  tx: Transaction;
  decide: (commit: boolean) => void;
  ended: Promise<void>;
}

const send = (reply: PgliteReply): void => port.postMessage(reply);

async function main(): Promise<void> {
  let pg: PGlite;
  try {
    if (config.dataDir !== null) await mkdir(config.dataDir, { recursive: true });
    // PostgreSQL's 128 MB of shared buffers is most of PGlite's resident memory (about 780 MB in all,
    // 660 MB with 32 MB); the embedded database holds a single server's domains, users and history.
    const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];
    pg = await PGlite.create(config.dataDir === null ? { startParams } : { dataDir: config.dataDir, startParams });
  } catch (err) {
    send({ id: 0, ok: false, error: toPlainError(err) });
    return;
  }
  const open = new Map<number, OpenTx>();
  let nextTx = 1;

  const target = (tx: number | undefined): PGlite | Transaction => {
    if (tx === undefined) return pg;
    const t = open.get(tx);
    if (!t) throw new Error(`transaction ${tx} is not open`);
    return t.tx;
  };

  const begin = (): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const id = nextTx++;
      const ended = pg
        .transaction(async (tx) => {
          const commit = await new Promise<boolean>((decide) => {
            open.set(id, { tx, decide, ended });
            resolve(id);
          });
          if (!commit) throw ROLLBACK;
        })
        .catch((err: unknown) => {
          if (err !== ROLLBACK) throw err;
        })
        .finally(() => open.delete(id));
      // BEGIN itself failed: the callback never ran.
      ended.catch(reject);
    });

  const handle = async (m: PgliteRequest): Promise<unknown> => {
    switch (m.op) {
      case 'query':
        return (await target(m.tx).query(m.sql, m.params)).rows;
      case 'exec':
        await target(m.tx).exec(m.sql);
        return null;
      case 'begin':
        return begin();
      case 'end': {
        const t = open.get(m.tx);
        if (!t) throw new Error(`transaction ${m.tx} is not open`);
        t.decide(m.commit);
        await t.ended;
        return null;
      }
      case 'close':
        for (const t of open.values()) t.decide(false);
        await pg.close();
        return null;
    }
  };

  port.on('message', (m: PgliteRequest) => {
    handle(m).then(
      (value) => {
        send({ id: m.id, ok: true, value });
        if (m.op === 'close') port.close();
      },
      (err: unknown) => send({ id: m.id, ok: false, error: toPlainError(err) }),
    );
  });
  send({ id: 0, ok: true, value: null });
}

void main();
