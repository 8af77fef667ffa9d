/**
 * A loopback HTTP server that implements the Vault KV version 2 endpoints
 * that node-vault calls for the secrets service (no Vault or OpenBao can be
 * installed where the tests run):
 *
 *   POST   /v1/<mount>/data/<path>               write a version ({data, options.cas})
 *   GET    /v1/<mount>/data/<path>[?version=N]   read a version
 *   GET    /v1/<mount>/metadata/<path>?list=1    list one folder level
 *   GET    /v1/<mount>/metadata/<path>           a secret's metadata
 *   DELETE /v1/<mount>/metadata/<path>           delete every version
 *
 * Requests without the right X-Vault-Token get 403 as Vault answers them.
 * Every request line is kept in `requests` for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

interface Version {
  data: Record<string, unknown>;
  created: string;
}

/** A fake Vault with one KV v2 mount. */
export class FakeVault {
  readonly secrets = new Map<string, Version[]>();
  readonly requests: string[] = [];
  private server: Server | undefined;
  address = '';

  constructor(
    readonly token: string,
    readonly mount = 'secret',
  ) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.address = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (code: number, body?: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.headers['x-vault-token'] !== this.token) return send(403, { errors: ['permission denied'] });
    const m = new RegExp(`^/v1/${this.mount}/(data|metadata)/(.*?)/?$`).exec(url.pathname);
    if (!m) return send(404, { errors: [] });
    const [, kind, path] = m;
    const versions = this.secrets.get(path);
    if (kind === 'data' && (req.method === 'POST' || req.method === 'PUT')) {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { data?: Record<string, unknown>; options?: { cas?: number } };
      const current = versions?.length ?? 0;
      if (body.options?.cas !== undefined && body.options.cas !== current) {
        return send(400, { errors: ['check-and-set parameter did not match the current version'] });
      }
      const list = versions ?? [];
      list.push({ data: body.data ?? {}, created: new Date().toISOString() });
      this.secrets.set(path, list);
      return send(200, { data: { created_time: list.at(-1)!.created, deletion_time: '', destroyed: false, version: list.length } });
    }
    if (kind === 'data' && req.method === 'GET') {
      const n = url.searchParams.has('version') ? Number(url.searchParams.get('version')) : versions?.length ?? 0;
      const v = versions?.[n - 1];
      if (!v) return send(404, { errors: [] });
      return send(200, { data: { data: v.data, metadata: { created_time: v.created, deletion_time: '', destroyed: false, version: n } } });
    }
    if (kind === 'metadata' && req.method === 'GET' && ['1', 'true'].includes(url.searchParams.get('list') ?? '')) {
      const prefix = path === '' ? '' : `${path}/`;
      const keys = new Set<string>();
      for (const p of this.secrets.keys()) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        keys.add(rest.includes('/') ? `${rest.split('/')[0]}/` : rest);
      }
      if (keys.size === 0) return send(404, { errors: [] });
      return send(200, { data: { keys: [...keys].sort() } });
    }
    if (kind === 'metadata' && req.method === 'GET') {
      if (!versions) return send(404, { errors: [] });
      return send(200, { data: { current_version: versions.length, versions: {} } });
    }
    if (kind === 'metadata' && req.method === 'DELETE') {
      this.secrets.delete(path);
      return send(204);
    }
    return send(405, { errors: ['unsupported operation'] });
  }
}
