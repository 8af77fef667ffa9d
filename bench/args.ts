/**
 * The bench's command line:
 * `npm run bench -- [regex...] [--json FILE] [--out DIR] [--duration S] [--runs N] [--warmup S] [--gtpyhop PATH] [--list]`.
 */
import { parseArgs } from 'node:util';

/** Parsed options. */
export interface BenchArgs {
  /** Case-name regular expressions; a case runs when any matches (all when none). */
  patterns: string[];
  json?: string;
  out?: string;
  /** Timed seconds per case, split over the runs. */
  durationS: number;
  runs: number;
  warmupS: number;
  /** Operations per run at least. */
  minOps: number;
  gtpyhop?: string;
  list: boolean;
  help: boolean;
}

/** The help text. */
export const USAGE = `usage: npm run bench -- [regex...] [options]

Runs the benchmark cases whose names match any regex (all by default) and
prints a table. Names look like wasm/blocks_gtn/blocks-100, pool/p2/...,
grpc/unary/simple_htn/c16, grpc/stream/..., baseline/grpc-empty/c16, multi/s2/...

options:
  --list             print the case names and exit
  --duration S       timed seconds per case, split over the runs (default 1)
  --runs N           timed runs per case; figures are their median (default 3)
  --warmup S         untimed seconds before the runs (default duration/4)
  --json FILE        write every figure as JSON
  --out DIR          write SVG charts into DIR
  --gtpyhop PATH     also run the blocks, logistics and travel cases in GTPyhop
                     (a checkout of github.com/dananau/GTPyhop) with python3
`;

function positive(v: string | undefined, name: string, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`);
  return n;
}

/** Parses argv (without node and the script). Throws on a bad option. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'string' }, out: { type: 'string' }, duration: { type: 'string' }, runs: { type: 'string' },
      warmup: { type: 'string' }, 'min-ops': { type: 'string' }, gtpyhop: { type: 'string' },
      list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const durationS = positive(values.duration, '--duration', 1);
  return {
    patterns: positionals,
    json: values.json, out: values.out, gtpyhop: values.gtpyhop,
    durationS,
    runs: positive(values.runs, '--runs', 3, true),
    warmupS: values.warmup === '0' ? 0 : positive(values.warmup, '--warmup', durationS / 4),
    minOps: positive(values['min-ops'], '--min-ops', 3, true),
    list: values.list ?? false,
    help: values.help ?? false,
  };
}
