/**
 * One table per command for its flags: parseArgs reads the flags from it and
 * `--help` prints it, so the help cannot drift from what the command accepts.
 */
import { parseArgs } from 'node:util';

/** One flag of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The environment variable read when the flag is absent. */
  env?: string;
  /** The value used when neither is given, as the help shows it. */
  default?: string;
  /** The value's placeholder in the help (default "VALUE"). */
  value?: string;
  /** One line on what it does. */
  help: string;
}

/** A command's flags by name (without the leading dashes). */
export type OptionSpecs = Record<string, OptionSpec>;

type ParsedValues = Record<string, string | boolean | undefined>;

/**
 * Parses `argv` against `specs` (plus `--help`/`-h`), strictly: an unknown
 * flag or a positional throws a parseArgs error (the command line maps it
 * to exit 2).
 */
export function parseOptions(argv: string[], specs: OptionSpecs): ParsedValues & { help?: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(specs)) options[name] = { type: spec.type };
  return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as ParsedValues & { help?: boolean };
}

/** The log levels --log-level accepts (pino's). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** `level`, checked against LOG_LEVELS (a UsageError-style message otherwise). */
export function logLevelArg(level: string, what: string, fail: (message: string) => Error): string {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw fail(`${what} must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  return level;
}

/** The help text: the usage line, then every flag with its environment variable and default. */
export function optionHelp(usage: string, specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? 'VALUE'}`;
    const extra = [spec.env && `env ${spec.env}`, spec.default !== undefined && `default ${spec.default}`].filter(Boolean).join(', ');
    return { flag, text: extra ? `${spec.help} (${extra})` : spec.help };
  });
  rows.push({ flag: '-h, --help', text: 'print this help' });
  const width = Math.max(...rows.map((r) => r.flag.length)) + 2;
  return `${usage}\n\noptions (a flag wins over its environment variable):\n${rows.map((r) => `  ${r.flag.padEnd(width)}${r.text}`).join('\n')}\n`;
}
