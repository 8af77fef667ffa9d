/**
 * An `aria serve` child process for the gRPC cases. The server runs in its
 * own process, as in production, so the bench client and the server do not
 * share an event loop; its memory is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../repo-paths.js';
import type { Resource } from './case-types.js';

const live = new Set<ChildProcess>();
// A bench that dies must not leave servers behind.
process.once('exit', () => { for (const c of live) c.kill('SIGKILL'); });

/** Resident set size of a process in bytes (Linux /proc); 0 where it cannot be read. */
export function processRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux everywhere in practice). */
const USER_HZ = 100;

/** CPU milliseconds (user + system, all threads) a process has used (Linux /proc); 0 where it cannot be read. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
  } catch {
    return 0;
  }
}

/** One running `aria serve` on a free loopback port, with a throwaway data folder. */
export class ServerProcess implements Resource {
  private constructor(private readonly child: ChildProcess, readonly address: string, private readonly dataDir: string, printed: string) {
    let out = '';
    const onData = (b: Buffer): void => {
      out = (out + b.toString()).slice(-4000);
      const m = /HTTP \(.*\) on http:\/\/(\S+)/.exec(out);
      if (m) { this.http = m[1]; child.stdout!.off('data', onData); }
    };
    child.stdout!.on('data', onData);
    onData(Buffer.from(printed));
  }

  /** The HTTP port's host:port, once the server has printed it. */
  private http: string | undefined;

  /** The HTTP port's host:port (waits up to 10 s for the line that names it). */
  async httpAddress(): Promise<string> {
    for (let i = 0; i < 100 && this.http === undefined; i++) await new Promise((r) => setTimeout(r, 100));
    if (this.http === undefined) throw new Error('aria serve printed no HTTP address');
    return this.http;
  }

  /** Starts a server with `workers` planner threads; resolves once it listens. `cli`: another build's main.js (an A/B run). */
  static async start(workers: number, timeoutMs = 30_000, cli = cliPath()): Promise<ServerProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'aria-bench-'));
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--workers', String(workers), '--data-dir', dataDir, '--log-level', 'warn', '--dev-no-auth'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
    try {
      let out = '';
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`aria serve did not start within ${timeoutMs} ms`)), timeoutMs);
        child.stdout!.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /listening on (\S+)/.exec(out);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        });
        child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`aria serve exited with ${code}: ${stderr.trim()}`)); });
      });
      return new ServerProcess(child, address, dataDir, out);
    } catch (err) {
      child.kill('SIGKILL');
      live.delete(child);
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The server's current resident set size in bytes. */
  rss(): number {
    return this.child.pid === undefined ? 0 : processRss(this.child.pid);
  }

  /** CPU milliseconds the server has used. */
  cpuMs(): number {
    return this.child.pid === undefined ? 0 : processCpuMs(this.child.pid);
  }

  /** SIGTERM (the server drains), then SIGKILL if it has not exited after 5 s. */
  async close(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Several servers driven together (the multi-process mode); one is the plain single-server case. */
export class ServerGroup implements Resource {
  private constructor(readonly servers: ServerProcess[]) {}

  /** Starts `count` servers of `workers` threads each, one after another (they compete for CPU while starting). */
  static async start(count: number, workers: number): Promise<ServerGroup> {
    const servers: ServerProcess[] = [];
    try {
      for (let i = 0; i < count; i++) servers.push(await ServerProcess.start(workers));
    } catch (err) {
      await Promise.all(servers.map((s) => s.close()));
      throw err;
    }
    return new ServerGroup(servers);
  }

  /** The servers' resident set sizes, summed. */
  rss(): number {
    return this.servers.reduce((sum, s) => sum + s.rss(), 0);
  }

  /** CPU milliseconds used by the servers and by this (client) process: everything a call costs the machine. */
  cpuMs(): number {
    const u = process.cpuUsage();
    return this.servers.reduce((sum, s) => sum + s.cpuMs(), (u.user + u.system) / 1000);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
  }
}
