/**
 * `aria storage put|get|ls|rm|gc` over gRPC, and `make|extract` in this
 * process (storage-local.ts):
 *
 *   aria storage put NAME [FILE|-] --server HOST:PORT           new version; prints it as JSON
 *   aria storage get NAME [FILE|-] [--version N] [--resume]     --resume continues a partial FILE
 *   aria storage ls [PREFIX] | ls --versions NAME
 *   aria storage rm NAME VERSION                                (admins)
 *   aria storage gc [--dry-run] [--grace-seconds N]             (admins)
 *
 * The server comes from --server or ARIA_SERVER, the token from ARIA_TOKEN,
 * TLS as grpc-channel.ts says. A progress line goes to stderr when it is a
 * terminal. Exit codes: 0 done, 2 bad arguments or not found, 69 server
 * unreachable, 1 any other refusal or failure.
 */
import { parseArgs } from 'node:util';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { StorageServiceClient } from '../../../gen/ts/aria/storage/v1/storage.js';
import { channelCredentials, channelOptions, tokenMetadata, TRANSPORT_ARGS } from './grpc-channel.js';
import { getAsset, putAsset, StorageClient } from './storage-client.js';
import { progressLine } from './progress.js';
import { UsageError } from './usage-error.js';
import { AriaError, ErrorCode } from '../core/errors.js';

const USAGE = `usage: aria storage <put|get|ls|rm|gc|make|extract> ...
  put NAME [FILE|-]                        store a new version (--server HOST:PORT or ARIA_SERVER)
  get NAME [FILE|-] [--version N] [--resume]
  ls [PREFIX]   |   ls --versions NAME
  rm NAME VERSION                          (admins)
  gc [--dry-run] [--grace-seconds N]       (admins)
  make --store DIR INDEX.caibx PATH        casync make, in this process
  extract --store DIR INDEX PATH           casync extract (.caibx file, .caidx/.catar folder)
`;

const ARGS = {
  ...TRANSPORT_ARGS,
  server: { type: 'string' },
  version: { type: 'string' },
  resume: { type: 'boolean' },
  versions: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'grace-seconds': { type: 'string' },
} as const;

/** Runs `aria storage ...`; returns the exit code. */
export async function storageCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'make' || sub === 'extract') {
      const local = await import('./storage-local.js');
      return await (sub === 'make' ? local.storageMake(rest) : local.storageExtract(rest));
    }
    if (sub === undefined || sub === '--help' || sub === '-h') {
      process.stdout.write(USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (!['put', 'get', 'ls', 'rm', 'gc'].includes(sub)) throw new UsageError(`unknown storage command '${sub}'\n${USAGE}`);
    return await remote(sub, rest);
  } catch (err) {
    const e = err as ServiceError & { code?: unknown };
    if (typeof e?.code === 'number') {
      process.stderr.write(`aria: ${status[e.code] ?? e.code}: ${e.details || e.message}\n`);
      return e.code === status.INVALID_ARGUMENT || e.code === status.NOT_FOUND ? 2 : e.code === status.UNAVAILABLE ? 69 : 1;
    }
    // The library's own refusals (a bad index, a corrupt chunk: AriaError, code like "DATA_LOSS") and the
    // system's (a file that is not there: code like "ENOENT", with a syscall) are one line, no stack.
    if (err instanceof AriaError) {
      process.stderr.write(`aria: ${err.message}\n`);
      return err.code === ErrorCode.InvalidArgument ? 2 : 1;
    }
    if (typeof (err as NodeJS.ErrnoException)?.syscall === 'string') {
      process.stderr.write(`aria: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

async function remote(sub: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: ARGS, strict: true, allowPositionals: true });
  const server = values.server || process.env.ARIA_SERVER;
  if (!server) throw new UsageError('--server HOST:PORT (or ARIA_SERVER) is required');
  const client = new StorageClient(server, channelCredentials(values), channelOptions(values));
  const md = tokenMetadata();
  const unary = <Res>(method: string, req: unknown): Promise<Res> => new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (r: unknown, m: typeof md, cb: (e: ServiceError | null, r: Res) => void) => void>)[method]!.bind(client);
    fn(req, md, (e, r) => (e ? reject(e) : resolve(r)));
  });
  const print = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);
  try {
    switch (sub) {
      case 'put': {
        const [name, file = '-'] = need(positionals, 1, 2, 'put NAME [FILE|-]');
        const total = file === '-' ? undefined : (await stat(file)).size;
        const bar = progressLine(`put ${name}`, total);
        const source = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
        const r = await putAsset(client, name!, source, md, { progress: (n) => bar.update(n) });
        bar.done();
        print(r);
        return 0;
      }
      case 'get':
        return await get(client, md, positionals, values);
      case 'ls': {
        if (values.versions) {
          const [name] = need(positionals, 1, 1, 'ls --versions NAME');
          for (const v of (await unary<{ versions: unknown[] }>('listAssetVersions', { name })).versions) print(v);
          return 0;
        }
        const [prefix = ''] = need(positionals, 0, 1, 'ls [PREFIX]');
        let pageToken = '';
        do {
          const page = await unary<{ assets: unknown[]; nextPageToken: string }>('listAssets', { prefix, pageSize: 1000, pageToken });
          for (const a of page.assets) print(a);
          pageToken = page.nextPageToken;
        } while (pageToken);
        return 0;
      }
      case 'rm': {
        const [name, version] = need(positionals, 2, 2, 'rm NAME VERSION');
        print(await unary('deleteAssetVersion', { name, version: whole(version!, 'VERSION') }));
        return 0;
      }
      default: {
        need(positionals, 0, 0, 'gc [--dry-run] [--grace-seconds N]');
        const grace = values['grace-seconds'];
        print(await unary('collectGarbage', { dryRun: !!values['dry-run'], grace: grace === undefined ? undefined : { $case: 'graceSeconds', graceSeconds: whole(grace, '--grace-seconds') } }));
        return 0;
      }
    }
  } finally {
    client.close();
  }
}

/** `get NAME [FILE|-]`: to stdout, or to FILE (continuing it with --resume). */
async function get(client: StorageServiceClient, md: ReturnType<typeof tokenMetadata>, positionals: string[], values: { version?: string; resume?: boolean }): Promise<number> {
  const [name, file = '-'] = need(positionals, 1, 2, 'get NAME [FILE|-] [--version N] [--resume]');
  if (values.resume && file === '-') throw new UsageError('--resume needs a FILE to continue');
  const offset = values.resume ? await stat(file).then((s) => s.size, () => 0) : 0;
  const out = file === '-' ? process.stdout : createWriteStream(file, { flags: values.resume ? 'a' : 'w' });
  let bar = progressLine(`get ${name}`);
  let done = offset;
  for await (const m of getAsset(client, name!, values.version ? whole(values.version, '--version') : 0, offset, md)) {
    if (m.asset) bar = progressLine(`get ${name} v${m.asset.version}`, m.asset.size);
    if (m.data.length > 0 && !out.write(m.data)) await once(out, 'drain');
    done += m.data.length;
    bar.update(done);
  }
  bar.done();
  if (out !== process.stdout) {
    (out as NodeJS.WritableStream).end();
    await once(out, 'finish');
  }
  return 0;
}

function need(positionals: string[], min: number, max: number, shape: string): string[] {
  if (positionals.length < min || positionals.length > max) throw new UsageError(`usage: aria storage ${shape}`);
  return positionals;
}

function whole(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, not ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}
