#!/usr/bin/env node
/**
 * The `aria` command line: plan, conformance, serve, worker, hddl.
 *
 * Every command's module is imported when that command runs, not here:
 * `aria --help` loads nothing but this file and two error classes, `aria
 * plan` loads the planner but not gRPC, and only `serve`, `worker` and
 * `plan --server` load gRPC, pg, BullMQ and the rest.
 */
import { DomainError, PlanInputError } from '../planner/errors.js';
import { UsageError } from './usage-error.js';

const HELP = `usage: aria <command> [options]

commands:
  plan --domain <name-or-file> --problem <file.json> [--repeat N] [--server host:port]
       [--verify-goals true|false] [--timeout-ms N] [--max-expansions N] [--max-depth N]
       [--max-plan-length N] [--max-memory-mb N] [--trace 0-3]
  conformance <file-or-folder>...
  serve [--host H] [--port P]
  worker                     take plan jobs from the queue (needs REDIS_URL)
  hddl <domain.hddl> <problem.hddl> [--timeout S] [--json]
  hddl-verify <domain.hddl> <problem.hddl> <plan.txt>
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'plan': {
      if (rest.some((a) => a === '--server' || a.startsWith('--server='))) {
        const { remotePlan } = await import('./remote-plan.js');
        return remotePlan(rest);
      }
      const { planCommand } = await import('./plan-command.js');
      return planCommand(rest);
    }
    case 'conformance': {
      const { conformanceCommand } = await import('./conformance-command.js');
      return conformanceCommand(rest);
    }
    case 'serve': {
      const { runServe } = await import('./serve.js');
      return runServe(rest);
    }
    case 'worker': {
      const { runWorker } = await import('./worker.js');
      return runWorker(rest);
    }
    case 'hddl': {
      const { hddlCommand } = await import('./hddl-command.js');
      return hddlCommand(rest);
    }
    case 'hddl-verify': {
      const { hddlVerifyCommand } = await import('./hddl-command.js');
      return hddlVerifyCommand(rest);
    }
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(HELP);
      return cmd === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${cmd}'\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof DomainError || e instanceof PlanInputError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`aria: ${(e as Error).message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`aria: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 70;
    }
  },
);
