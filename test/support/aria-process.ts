/**
 * The built `aria` command as a child process, for tests of what an operator
 * sees: exit codes, stderr, and servers started with `aria serve`. Every wait
 * is bounded, and the child's environment is stripped of the backends the CI
 * may set (DATABASE_URL, REDIS_URL, Vault), so a test never shares the
 * external database's default schema with another.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The built CLI entry point. */
export const MAIN = new URL('../../server/src/cli/main.js', import.meta.url).pathname;

/** The repository root, where commands run (relative paths such as `../shared` resolve from it). */
export const REPO_ROOT = new URL('../../..', import.meta.url).pathname;

/** How long a start may take on a loaded two-core machine (the embedded database migrates on first start). */
export const START_LIMIT_MS = 180_000;

/** What a finished command left. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for a child: this one's, minus external backends and
 * Aria settings, plus `extra`. The test run's own compiled-domain cache
 * folder is kept (keep-running.ts makes it), so no test writes to the
 * user's cache.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(DATABASE_URL|REDIS_URL|VAULT_|ARIA_)/.test(k) && k !== 'ARIA_CACHE_DIR') delete env[k];
  return { ...env, ...extra };
}

/** Runs `aria <args>` to its end (killed after `limitMs`). */
export function runAria(args: string[], extraEnv: NodeJS.ProcessEnv = {}, limitMs = START_LIMIT_MS): Promise<Finished> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, env: childEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aria ${args.join(' ')} still running after ${limitMs} ms; stderr: ${stderr}`));
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A running `aria serve`. */
export interface ServeProcess {
  child: ChildProcess;
  address: string;
  /** Everything on stderr so far. */
  stderr(): string;
  /** SIGTERM, then the exit code (SIGKILL after a bounded wait). */
  stop(): Promise<number | null>;
}

/** Starts `aria serve <args>`; resolves once it listens, rejects if it exits first or takes too long. */
export function startAria(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], { env: childEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aria serve did not listen within ${START_LIMIT_MS} ms; stderr: ${err}`));
    }, START_LIMIT_MS);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, address: m[1], stderr: () => err, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`aria serve exited early (${code}): ${err}`));
    });
  });
}

/** Asserts the shape of a refused start: exit 2, one plain line on stderr, no stack trace. Returns the line. */
export function refusedLine(r: Finished): string {
  const lines = r.stderr.trim().split('\n');
  if (r.code !== 2) throw new Error(`expected exit 2, got ${r.code}; stderr: ${r.stderr}`);
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}: ${r.stderr}`);
  if (!/^aria: /.test(lines[0]) || /internal error|\bat .*:\d+:\d+/.test(lines[0])) throw new Error(`not a plain line: ${lines[0]}`);
  return lines[0];
}
