/**
 * `aria plan --server host:port --domain <name-or-file> --problem file.json ...`:
 * plans through a running server and prints the same JSON as the
 * in-process `aria plan` ({"status": ..., "plan": [...]}), with the same
 * exit codes (0 plan or no plan, 1 error or limit). A `--domain` that is a
 * file is registered first (`.json`: the domain model; otherwise text).
 *
 * Transport: clear text by default; TLS with `--tls` (the system's CAs) or
 * `--tls-ca FILE` (ARIA_TLS_CA: the CA that signed the server's
 * certificate), plus `--tls-cert FILE --tls-key FILE` (ARIA_TLS_CLIENT_CERT,
 * ARIA_TLS_CLIENT_KEY) for a server that requires client certificates.
 * `--tls-server-name NAME` checks the server's certificate for NAME instead
 * of the host dialled (a server dialled by IP whose certificate names it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { PlannerServiceClient, PlanStatus, TraceEventKind, type PlanRequest, type PlanResponse } from '../../../gen/ts/aria/planner/v1/planner.js';
import type { Domain } from '../planner/language/ast.js';
import type { JsonValue, TraceEvent } from '../planner/types.js';
import { readErrorDetail } from '../transport/status-mapping.js';
import { domainToProto } from '../transport/engine/domain-to-proto.js';
import { jsonToState, jsonToTodo, stepToJson, valueToJson } from '../pool/index.js';
import { PLAN_ARGS, readPlanArgs, UsageError } from './plan-command.js';
import { channelCredentials, TRANSPORT_ARGS } from './grpc-channel.js';

const KIND_NAMES = new Map<TraceEventKind, TraceEvent['kind']>([
  [TraceEventKind.TRACE_EVENT_KIND_TODO, 'todo'], [TraceEventKind.TRACE_EVENT_KIND_METHOD_TRIED, 'method_tried'],
  [TraceEventKind.TRACE_EVENT_KIND_METHOD_FAILED, 'method_failed'], [TraceEventKind.TRACE_EVENT_KIND_ACTION_APPLIED, 'action_applied'],
  [TraceEventKind.TRACE_EVENT_KIND_ACTION_FAILED, 'action_failed'], [TraceEventKind.TRACE_EVENT_KIND_GOAL_ACHIEVED, 'goal_achieved'],
  [TraceEventKind.TRACE_EVENT_KIND_GOAL_VERIFIED, 'goal_verified'], [TraceEventKind.TRACE_EVENT_KIND_BACKTRACK, 'backtrack'],
  [TraceEventKind.TRACE_EVENT_KIND_RESULT, 'result'],
]);

/** The plan flags plus the transport's. */
const REMOTE_ARGS = { ...PLAN_ARGS, ...TRANSPORT_ARGS } as const;

/** Runs `aria plan --server ...`; returns the exit code. */
export async function remotePlan(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: REMOTE_ARGS, strict: true });
  if (typeof values.server !== 'string' || !values.server) throw new UsageError('--server host:port is required');
  const { problem, options, repeat } = readPlanArgs(values);
  const serverName = values['tls-server-name'] || process.env.ARIA_TLS_SERVER_NAME;
  const client = new PlannerServiceClient(values.server, channelCredentials(values), serverName ? { 'grpc.ssl_target_name_override': serverName } : {});
  try {
    const domain = await domainRef(client, values.domain as string);
    const request: PlanRequest = {
      domain,
      state: jsonToState(problem.state),
      todo: jsonToTodo(problem.todo),
      problemJson: '',
      options: {
        verifyGoals: options.verifyGoals ?? problem.verify_goals,
        traceLevel: options.traceLevel ?? 0,
        limits: {
          maxExpansions: options.maxExpansions ?? 0, maxDepth: options.maxDepth ?? 0, maxPlanLength: options.maxPlanLength ?? 0,
          timeoutMs: options.timeoutMs ?? 0, maxMemoryBytes: options.maxMemoryBytes ?? 0,
        },
      },
    };
    let out: Record<string, unknown>;
    let code: number;
    try {
      const response = await call<PlanRequest, PlanResponse>(client, 'plan', request);
      out = responseJson(response);
      code = 0;
    } catch (err) {
      const failure = failureJson(err as ServiceError);
      if (!failure) throw err;
      out = failure;
      code = 1;
    }
    if (repeat > 0) out.stats = await timeRepeats(client, request, repeat);
    process.stdout.write(JSON.stringify(out) + '\n');
    return code;
  } catch (err) {
    const e = err as ServiceError;
    if (typeof e?.code !== 'number') throw err;
    process.stderr.write(`aria: ${status[e.code] ?? e.code}: ${e.details || e.message}\n`);
    return e.code === status.INVALID_ARGUMENT || e.code === status.NOT_FOUND ? 2 : e.code === status.UNAVAILABLE ? 69 : 70;
  } finally {
    client.close();
  }
}

/** The domain reference to plan in: a file is registered first, anything else is a name or id. */
async function domainRef(client: PlannerServiceClient, arg: string): Promise<string> {
  if (!existsSync(arg)) return arg;
  const text = readFileSync(arg, 'utf8');
  const request = arg.endsWith('.json')
    ? { source: { $case: 'domain' as const, domain: domainToProto(JSON.parse(text) as Domain) }, file: arg }
    : { source: { $case: 'text' as const, text }, file: arg };
  const response = await call<typeof request, { info?: { id: string } }>(client, 'registerDomain', request);
  return response.info?.id ?? arg;
}

/** The in-process command's JSON for a plan or no plan. */
function responseJson(r: PlanResponse): Record<string, unknown> {
  const out: Record<string, unknown> = { status: r.status === PlanStatus.PLAN_STATUS_PLAN ? 'plan' : 'no_plan' };
  if (r.status === PlanStatus.PLAN_STATUS_PLAN) out.plan = r.plan.map((s, i) => stepToJson(s, `plan[${i}]`));
  if (r.trace.length) {
    out.trace = r.trace.map((t) => {
      const event: Record<string, JsonValue> = { kind: KIND_NAMES.get(t.kind) ?? 'result', depth: t.depth };
      if (t.method) event.method = t.method;
      if (t.item) event.item = valueToJson(t.item, 'trace.item');
      return event;
    });
  }
  return out;
}

/** The in-process command's JSON for a planning failure (a domain bug or a limit); undefined for other failures. */
function failureJson(err: ServiceError): Record<string, unknown> | undefined {
  const detail = readErrorDetail(err.metadata);
  if (err.code === status.FAILED_PRECONDITION && detail && !detail.limit) return { status: 'error', message: err.details };
  if (detail?.limit) {
    const prefix = `planner limit reached (${detail.limit}): `;
    return { status: 'limit', limit: detail.limit, message: err.details.startsWith(prefix) ? err.details.slice(prefix.length) : err.details };
  }
  return undefined;
}

async function timeRepeats(client: PlannerServiceClient, request: PlanRequest, repeat: number): Promise<Record<string, number>> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await call(client, 'plan', request).catch(() => undefined);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return { median_ms: round(times[Math.floor(times.length / 2)]), min_ms: round(times[0]), runs: repeat };
}

function call<Req, Res>(client: PlannerServiceClient, method: 'plan' | 'registerDomain', request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = client[method].bind(client) as unknown as (r: Req, m: Metadata, cb: (e: ServiceError | null, res: Res) => void) => void;
    fn(request, authMetadata(), (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** Call metadata with `authorization: Bearer <ARIA_TOKEN>` when a token is set (a server with auth on needs one). */
function authMetadata(): Metadata {
  const m = new Metadata();
  const token = process.env.ARIA_TOKEN;
  if (token) m.set('authorization', `Bearer ${token}`);
  return m;
}
