#!/usr/bin/env node
/**
 * The `aria` command line: plan, conformance, serve, worker, hddl, shape, storage.
 *
 * Every command's module is imported when that command runs, not here:
 * `aria --help` loads nothing but this file and two error classes, `aria
 * plan` loads the planner but not gRPC, and only `serve`, `worker` and
 * `plan --server` load gRPC, pg, BullMQ and the rest.
 */
import { DomainError } from '../planner/errors.js';
import { InvalidArgumentError } from '../core/errors.js';
import { UsageError } from './usage-error.js';

const HELP = `usage: aria <command> [options]

commands:
  plan          plan one problem, in this process or on a server (--server host:port)
                  --domain <name-or-file> --problem <file.json> [--repeat N] [--server host:port]
                  [--tls | --tls-ca FILE] [--tls-cert FILE --tls-key FILE] [--tls-server-name NAME]
                  [--verify-goals true|false]
                  [--timeout-ms N] [--max-expansions N] [--max-depth N] [--max-plan-length N]
                  [--max-memory-mb N] [--trace 0-3]
  conformance   run conformance cases: <file-or-folder>...
  serve         run the gRPC server (planner, queue, auth, secrets, data)
  worker        take plan jobs from the queue (needs REDIS_URL)
  hddl          solve an HDDL problem: <domain.hddl> <problem.hddl> [--timeout S] [--json]
  hddl-verify   check a plan: <domain.hddl> <problem.hddl> <plan.txt>
  shape         characters from templates: generate --template NAME|FILE [--seed N] [--count K] [--preset P],
                  validate FILE, list, domain NAME|FILE,
                  batch --template NAME|FILE [-n CANDIDATES] [-k K] [--seed N] [--prefer A=V[:W]] [--diversity D]
  storage       assets on a server: put|get|ls|rm|gc (--server host:port); casync's make|extract here

Run 'aria serve --help' or 'aria worker --help' for every flag, its environment variable and default.
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
    case 'shape': {
      const { shapeCommand } = await import('./shape-command.js');
      return shapeCommand(rest);
    }
    case 'storage': {
      const { storageCommand } = await import('./storage-command.js');
      return storageCommand(rest);
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
    // ConfigError is known by name: importing it would load the server's modules into every command.
    const known = e instanceof UsageError || (e as Error)?.name === 'ConfigError' || e instanceof DomainError || e instanceof InvalidArgumentError
      || String((e as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS');
    // A refused start is the operator's to fix: one plain line, exit 2. Only a bug earns a stack trace.
    // A backend (database, Vault, Redis) that cannot be reached is not a bug either: one line, exit 69 (EX_UNAVAILABLE).
    const unavailable = !known && (e as Error)?.name === 'UnavailableError';
    const line = known || unavailable ? `aria: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}` : `aria: internal error: ${(e as Error)?.stack ?? String(e)}`;
    // Exit at once once the line is out: a half-started server may hold threads or sockets that would keep the process alive.
    process.stderr.write(`${line}\n`, () => process.exit(known ? 2 : unavailable ? 69 : 70));
  },
);
