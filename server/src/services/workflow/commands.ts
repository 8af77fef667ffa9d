/**
 * The built-in command kinds, executed: each takes the run's state and the
 * step's idempotency key and gives the values to write into the state, or
 * a failure message. `approve` is not here: it waits for a person, which
 * the run loop records as a waiting step rather than a pending promise.
 */
import { boundText } from '../../core/bounded-text.js';
import { generateFrom } from '../shape/index.js';
import type { Command, SopValue } from './sop-types.js';

/** What a command came to: values for the run's state, or why it failed. */
export type CommandOutcome = { ok: true; set: Record<string, SopValue> } | { ok: false; message: string };

/** A planning call, as the app wires it to the planner service: the plan's actions, or null when there is none. */
export type PlanFn = (domain: string, problem: { state: Record<string, SopValue>; todo: SopValue[] }, signal: AbortSignal) => Promise<SopValue[][] | null>;

/** What commands may reach outside the run. */
export interface CommandConfig {
  /** Plans for `plan` commands; without it they fail. */
  plan?: PlanFn;
  /** Origins (`https://api.example.org`) `http` commands may call; empty: none (the default). */
  httpAllow?: readonly string[];
  /** The fetch to use (tests); default the global one. */
  fetch?: typeof fetch;
  /** How long an `http` command may take, in milliseconds (default 10,000). */
  httpTimeoutMs?: number;
}

/** Most characters of an HTTP answer kept in the state. */
export const HTTP_BODY_LIMIT = 64 * 1024;

/** What a command runs with. */
export interface CommandCall {
  readonly state: Record<string, SopValue>;
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
}

/** Runs one command (not `approve`). Throws only when the signal is aborted. */
export async function executeCommand(c: Command, call: CommandCall, config: CommandConfig): Promise<CommandOutcome> {
  try {
    return await run(c, call, config);
  } catch (err) {
    if (call.signal.aborted) throw err;
    return { ok: false, message: boundText((err as Error).message ?? String(err), 1000) };
  }
}

async function run(c: Command, call: CommandCall, config: CommandConfig): Promise<CommandOutcome> {
  switch (c.kind) {
    case 'set':
      return { ok: true, set: c.values };
    case 'fail':
      return { ok: false, message: c.message };
    case 'wait':
      await sleep(c.ms, call.signal);
      return { ok: true, set: {} };
    case 'shape': {
      const r = await generateFrom({ builtin: c.template }, { seed: c.seed, count: 1, preset: c.preset, signal: call.signal });
      if (r.status !== 'ok') return { ok: false, message: r.message };
      const ch = r.characters[0];
      return { ok: true, set: c.into ? { [c.into]: { prompt: ch.prompt, attributes: ch.attributes, traits: ch.traits } } : {} };
    }
    case 'plan': {
      if (!config.plan) return { ok: false, message: 'no planner is wired to this workflow service' };
      const plan = await config.plan(c.domain, { state: c.state, todo: [...c.todo] }, call.signal);
      if (plan === null) return { ok: false, message: `domain ${c.domain}: no plan` };
      return { ok: true, set: c.into ? { [c.into]: plan } : {} };
    }
    case 'http':
      return http(c, call, config);
    case 'approve':
      throw new Error('approve commands are run by the run loop');
  }
}

async function http(c: Extract<Command, { kind: 'http' }>, call: CommandCall, config: CommandConfig): Promise<CommandOutcome> {
  const origin = new URL(c.url).origin;
  if (!(config.httpAllow ?? []).includes(origin)) {
    return { ok: false, message: `http: origin ${origin} is not on the allow-list (ARIA_WORKFLOW_HTTP_ALLOW)` };
  }
  const signal = AbortSignal.any([call.signal, AbortSignal.timeout(config.httpTimeoutMs ?? 10_000)]);
  const headers: Record<string, string> = { 'idempotency-key': call.idempotencyKey };
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  // Redirects are not followed: one could lead off the allow-list.
  const res = await (config.fetch ?? fetch)(c.url, { method: c.method, headers, body: c.body === undefined ? undefined : JSON.stringify(c.body), redirect: 'manual', signal });
  const text = (await res.text()).slice(0, HTTP_BODY_LIMIT);
  if (res.status < 200 || res.status > 299) return { ok: false, message: `http: ${c.method} ${c.url} answered ${res.status}` };
  let body: SopValue = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text) as SopValue;
    } catch {
      // Not JSON after all (or cut at the limit): kept as text.
    }
  }
  return { ok: true, set: c.into ? { [c.into]: { status: res.status, body } } : {} };
}

/** Waits `ms`, or until the signal is aborted (then throws its reason). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
