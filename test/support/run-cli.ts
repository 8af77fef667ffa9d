/** Runs the built `aria` CLI (dist/) as a child process, for the CLI's tests. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './exported-constants.js';

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's entry in dist/. */
export const CLI_MAIN = join(REPO_ROOT, 'dist', 'server', 'src', 'cli', 'main.js');

/** Runs `aria <args>` in the repository root with `env` added; independent runs may go in parallel (each is a node process). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
