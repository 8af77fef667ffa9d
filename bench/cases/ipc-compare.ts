/**
 * `--compare FILE` of the IPC sweep: another planner's results read from a
 * simple file and set beside ours, per domain. The file is one of:
 *
 * - JSON: `[{"domain": "Transport", "problem": "pfile01", "solved": true, "seconds": 0.12}, ...]`
 * - CSV with a header line `domain,problem,solved,seconds` (solved: true/false/1/0)
 * - a sweep's own JSON (`--json FILE` of an earlier run), to compare two runs
 *
 * Domains match ours case-insensitively (the partial-order track's are
 * `po/<folder>`); problems match after the same shortening as case names
 * (`pfile01.hddl` and `p01` are the same problem).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { shortProblemName } from './ipc.js';
import type { SweepReport } from './ipc-sweep-report.js';

/** One problem's result from another planner. */
export interface OtherResult { domain: string; problem: string; solved: boolean; seconds: number }

const key = (domain: string, problem: string): string => `${domain.toLowerCase()}|${shortProblemName(basename(problem))}`;

function row(x: Record<string, unknown>, where: string): OtherResult {
  const { domain, problem, solved, seconds } = x;
  if (typeof domain !== 'string' || typeof problem !== 'string') throw new Error(`${where}: domain and problem must be strings`);
  const ok = solved === true || solved === 'true' || solved === 1 || solved === '1';
  if (!ok && !(solved === false || solved === 'false' || solved === 0 || solved === '0')) throw new Error(`${where}: solved must be true or false`);
  const s = Number(seconds);
  if (!(s >= 0)) throw new Error(`${where}: seconds must be a non-negative number`);
  return { domain, problem, solved: ok, seconds: s };
}

/** Parses another planner's results (JSON, CSV or a sweep report); throws with the line or index at fault. */
export function parseOtherResults(text: string): OtherResult[] {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    const j = JSON.parse(t) as unknown;
    if (Array.isArray(j)) return j.map((x, i) => row(x as Record<string, unknown>, `entry ${i + 1}`));
    const rep = j as Partial<SweepReport>;
    if (!rep.domains || typeof rep.domains !== 'object') throw new Error('expected a JSON array of {domain, problem, solved, seconds} or a sweep report');
    return Object.entries(rep.domains).flatMap(([domain, d]) => Object.entries(d.problems).map(([problem, p]) => ({
      domain, problem, solved: p.status === 'plan' && p.valid !== false, seconds: p.seconds,
    })));
  }
  const lines = t.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const at = ['domain', 'problem', 'solved', 'seconds'].map((h) => head.indexOf(h));
  if (at.some((i) => i < 0)) throw new Error('line 1: the CSV header must name domain,problem,solved,seconds');
  return lines.slice(1).map((l, i) => {
    const cells = l.split(',').map((c) => c.trim());
    return row({ domain: cells[at[0]], problem: cells[at[1]], solved: cells[at[2]], seconds: cells[at[3]] }, `line ${i + 2}`);
  });
}

/** Reads another planner's result file. */
export function readOtherResults(file: string): OtherResult[] {
  return parseOtherResults(readFileSync(file, 'utf8'));
}

/**
 * Per domain of our report: problems solved by us and by them (among
 * those we ran), by both, by one only, and on those both solved the
 * geometric mean of our time over theirs (below 1: we are faster) and on
 * how many we were faster.
 */
export function compareTable(ours: SweepReport, other: OtherResult[]): string {
  const theirs = new Map(other.map((o) => [key(o.domain, o.problem), o]));
  const rows = [['domain', 'run', 'ours', 'theirs', 'both', 'ours only', 'theirs only', 'time ratio', 'ours faster']];
  const all = { run: 0, ours: 0, theirs: 0, both: 0, oo: 0, to: 0, logs: [] as number[], faster: 0 };
  for (const [domain, d] of Object.entries(ours.domains)) {
    const c = { run: 0, ours: 0, theirs: 0, both: 0, oo: 0, to: 0, logs: [] as number[], faster: 0 };
    for (const [problem, p] of Object.entries(d.problems)) {
      const us = p.status === 'plan' && p.valid !== false;
      const them = theirs.get(key(domain, problem));
      const they = them?.solved === true;
      c.run++;
      if (us) c.ours++;
      if (they) c.theirs++;
      if (us && they) {
        c.both++;
        // A floor of 1 ms keeps a reported 0 s from dividing by zero.
        c.logs.push(Math.log(Math.max(p.seconds, 0.001) / Math.max(them!.seconds, 0.001)));
        if (p.seconds < them!.seconds) c.faster++;
      } else if (us) c.oo++;
      else if (they) c.to++;
    }
    rows.push(cells(domain, c));
    all.run += c.run; all.ours += c.ours; all.theirs += c.theirs; all.both += c.both; all.oo += c.oo; all.to += c.to; all.faster += c.faster; all.logs.push(...c.logs);
  }
  rows.push(cells('all', all));
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((x, i) => x.padEnd(width[i])).join('  ').trimEnd()).join('\n');
}

function cells(domain: string, c: { run: number; ours: number; theirs: number; both: number; oo: number; to: number; logs: number[]; faster: number }): string[] {
  const ratio = c.logs.length === 0 ? '-' : `${Math.exp(c.logs.reduce((a, b) => a + b, 0) / c.logs.length).toFixed(2)}x`;
  return [domain, String(c.run), String(c.ours), String(c.theirs), String(c.both), String(c.oo), String(c.to), ratio, c.both === 0 ? '-' : `${c.faster}/${c.both}`];
}
