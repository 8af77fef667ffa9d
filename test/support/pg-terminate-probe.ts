/**
 * Run as a child process by data-pg-terminate.test.ts: a PgDatabase under
 * read and write load while another connection terminates its backends
 * every 20 ms (`rounds` times). An unhandled 'error' from pg kills this
 * process, which the test sees as a non-zero exit; otherwise it prints
 * one JSON line: the writes acknowledged, those missing from the table,
 * and the failures by name.
 * Usage: node pg-terminate-probe.js <database url> <schema> <rounds>
 */
import pg from 'pg';
import { PgDatabase } from '../../server/src/services/data/pg-database.js';

const [url, schema, roundsArg] = process.argv.slice(2) as [string, string, string];
const app = `aria-probe-${schema}`;
const rounds = Number(roundsArg);
const db = new PgDatabase({ connectionString: url, schema, max: 6, retryForMs: 10_000, applicationName: app });
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE SCHEMA "${schema}"`);
await admin.query(`CREATE TABLE "${schema}".acks (id int primary key)`);

let stop = false;
let reads = 0;
const acked: number[] = [];
const failures: Record<string, number> = {};
const failed = (e: unknown) => { const n = (e as Error).name ?? 'unknown'; failures[n] = (failures[n] ?? 0) + 1; };
const readers = Array.from({ length: 6 }, async () => {
  while (!stop) await db.query('select 1').then(() => void reads++, failed);
});
let next = 0;
const writer = (async () => {
  while (!stop) {
    const id = next++;
    await db.query(`insert into ${db.t('acks')} (id) values ($1)`, [id], { idempotent: false }).then(() => void acked.push(id), failed);
  }
})();
for (let i = 0; i < rounds; i++) {
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [app]);
  await new Promise((r) => setTimeout(r, 20));
}
stop = true;
await Promise.all([...readers, writer]);
const stored = new Set((await admin.query(`select id from "${schema}".acks`)).rows.map((r) => r.id as number));
const missing = acked.filter((id) => !stored.has(id));
await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
await admin.end();
await db.close();
process.stdout.write(`${JSON.stringify({ reads, acked: acked.length, missing, failures })}\n`);
