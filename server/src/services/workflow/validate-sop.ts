/**
 * SOP validation: JSON text in, a checked Sop out, or an
 * InvalidArgumentError whose field is the exact path of the first fault
 * (`sop.tasks.review.methods[1].subtasks[0]`). Everything a run relies on
 * is checked here, so a stored SOP always compiles.
 */
import { array, fail, integer, name, object, text, value, valueMap, type JsonObject } from './sop-checks.js';
import { COMMAND_KINDS, type Command, type Condition, type Method, type Sop, type SopMetadata, type Task } from './sop-types.js';

/** Most bytes of an SOP's JSON text. */
export const MAX_SOP_BYTES = 256 * 1024;
/** Longest a `wait` command may wait, in milliseconds. */
export const MAX_WAIT_MS = 600_000;

/** SOP names: also the stored name, so - is allowed; the domain name maps it to _. */
const SOP_NAME_RE = /^[a-z][a-z0-9_-]{0,63}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TOP = ['name', 'version', 'metadata', 'docs', 'state', 'goals', 'tasks', 'commands'];
const META = ['last_updated', 'next_review', 'approved_by', 'contact', 'dependencies'];

/** Parses and checks an SOP's JSON text. */
export function validateSop(json: string): Sop {
  if (Buffer.byteLength(json) > MAX_SOP_BYTES) fail('sop', `at most ${MAX_SOP_BYTES} bytes of JSON, got ${Buffer.byteLength(json)}`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    fail('sop', `not JSON: ${(err as Error).message}`);
  }
  return checkSop(raw);
}

/** Checks an SOP already parsed from JSON. */
export function checkSop(raw: unknown): Sop {
  const o = object(raw, 'sop', TOP);
  const sopName = text(o.name, 'sop.name', 64);
  if (!SOP_NAME_RE.test(sopName)) fail('sop.name', `'${sopName}' is not a name: use a lower-case letter, then lower-case letters, digits, _ or - (at most 64)`);
  const version = text(o.version, 'sop.version', 64);
  if (!version) fail('sop.version', 'must not be empty');
  const metadata = checkMetadata(o.metadata);
  const docs = o.docs === undefined ? '' : text(o.docs, 'sop.docs', 64 * 1024);
  const state = o.state === undefined ? {} : valueMap(o.state, 'sop.state');
  const commands = checkCommands(o.commands);
  const tasks = checkTasks(o.tasks, new Set(commands.map((c) => c.name)));
  const known = new Set([...commands.map((c) => c.name), ...tasks.map((t) => t.name)]);
  const goals = array(o.goals, 'sop.goals', 64, 1).map((g, i) => known.has(name(g, `sop.goals[${i}]`)) ? (g as string) : fail(`sop.goals[${i}]`, `'${g as string}' is neither a task nor a command of this SOP`));
  return { name: sopName, version, metadata, docs, state, goals, tasks, commands };
}

function checkMetadata(v: unknown): SopMetadata {
  const m = object(v, 'sop.metadata', META);
  const date = (k: string, required: boolean): string => {
    if (m[k] === undefined && !required) return '';
    const s = text(m[k], `sop.metadata.${k}`, 10);
    if (!DATE_RE.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) fail(`sop.metadata.${k}`, `must be a date as YYYY-MM-DD, got '${s}'`);
    return s;
  };
  const lastUpdated = date('last_updated', true);
  const nextReview = date('next_review', false);
  if (nextReview && nextReview < lastUpdated) fail('sop.metadata.next_review', `${nextReview} is before last_updated (${lastUpdated})`);
  const approvedBy = text(m.approved_by, 'sop.metadata.approved_by', 200);
  const contact = text(m.contact, 'sop.metadata.contact', 200);
  const dependencies = m.dependencies === undefined ? [] : array(m.dependencies, 'sop.metadata.dependencies', 64).map((d, i) => text(d, `sop.metadata.dependencies[${i}]`, 200));
  return { lastUpdated, nextReview, approvedBy, contact, dependencies };
}

function entries(v: unknown, path: string, max: number): Array<[string, JsonObject, string]> {
  const o = object(v, path);
  const keys = Object.keys(o);
  if (keys.length > max) fail(path, `at most ${max} entries, got ${keys.length}`);
  return keys.map((k) => [name(k, `${path}.${k}`), object(o[k], `${path}.${k}`), `${path}.${k}`]);
}

function checkTasks(v: unknown, commands: ReadonlySet<string>): Task[] {
  if (v === undefined) return [];
  const list = entries(v, 'sop.tasks', 256);
  const names = new Set(list.map(([k]) => k));
  for (const [k, , p] of list) if (commands.has(k)) fail(p, `'${k}' is also a command's name`);
  return list.map(([taskName, t, p]): Task => {
    object(t, p, ['description', 'methods']);
    const description = t.description === undefined ? '' : text(t.description, `${p}.description`, 2000);
    const seen = new Set<string>();
    const methods = array(t.methods, `${p}.methods`, 16, 1).map((mv, i): Method => {
      const mp = `${p}.methods[${i}]`;
      const m = object(mv, mp, ['name', 'when', 'subtasks']);
      const methodName = name(m.name, `${mp}.name`);
      if (seen.has(methodName)) fail(`${mp}.name`, `'${methodName}' names another method of this task`);
      seen.add(methodName);
      const when = m.when === undefined ? undefined : checkCondition(m.when, `${mp}.when`, 0);
      const subtasks = array(m.subtasks, `${mp}.subtasks`, 64).map((s, j) => {
        const sub = name(s, `${mp}.subtasks[${j}]`);
        if (!names.has(sub) && !commands.has(sub)) fail(`${mp}.subtasks[${j}]`, `'${sub}' is neither a task nor a command of this SOP`);
        return sub;
      });
      return { name: methodName, when, subtasks };
    });
    return { name: taskName, description, methods };
  });
}

function checkCondition(v: unknown, path: string, depth: number): Condition {
  if (depth > 8) fail(path, 'conditions nest at most 8 levels');
  const c = object(v, path, ['key', 'equals', 'exists', 'all', 'any', 'not']);
  const keys = Object.keys(c);
  const shapes = 'give {key, equals}, {key, exists}, {all: [...]}, {any: [...]} or {not: {...}}';
  if (keys.includes('all') || keys.includes('any')) {
    const k = keys.includes('all') ? 'all' : 'any';
    if (keys.length !== 1) fail(path, shapes);
    const list = array(c[k], `${path}.${k}`, 32, 1).map((x, i) => checkCondition(x, `${path}.${k}[${i}]`, depth + 1));
    return k === 'all' ? { all: list } : { any: list };
  }
  if (keys.includes('not')) {
    if (keys.length !== 1) fail(path, shapes);
    return { not: checkCondition(c.not, `${path}.not`, depth + 1) };
  }
  if (keys.length !== 2 || !keys.includes('key')) fail(path, shapes);
  const key = name(c.key, `${path}.key`);
  if ('exists' in c) {
    if (typeof c.exists !== 'boolean') fail(`${path}.exists`, 'must be true or false');
    return { key, exists: c.exists };
  }
  const equals = value(c.equals, `${path}.equals`);
  if (equals !== null && typeof equals === 'object') fail(`${path}.equals`, 'must be a string, number, boolean or null');
  if (typeof equals === 'string' && equals.length > 200) fail(`${path}.equals`, 'at most 200 characters');
  return { key, equals };
}

const KIND_KEYS: Record<(typeof COMMAND_KINDS)[number], string[]> = {
  plan: ['domain', 'state', 'todo', 'into'],
  shape: ['template', 'seed', 'preset', 'into'],
  wait: ['ms'],
  approve: ['prompt', 'into'],
  http: ['method', 'url', 'body', 'into'],
  set: ['values'],
  fail: ['message'],
};

function checkCommands(v: unknown): Command[] {
  return entries(v, 'sop.commands', 256).map(([cmdName, c, p]): Command => {
    const kind = c.kind;
    if (typeof kind !== 'string' || !(COMMAND_KINDS as readonly string[]).includes(kind)) {
      fail(`${p}.kind`, `must be one of ${COMMAND_KINDS.join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`);
    }
    const k = kind as (typeof COMMAND_KINDS)[number];
    object(c, p, ['kind', 'description', ...KIND_KEYS[k]]);
    const into = c.into === undefined ? undefined : name(c.into, `${p}.into`);
    switch (k) {
      case 'plan':
        return {
          kind: k, name: cmdName, domain: text(c.domain, `${p}.domain`, 200), into,
          state: c.state === undefined ? {} : Object.fromEntries(Object.entries(object(c.state, `${p}.state`)).map(([sk, sv]) => [sk, value(sv, `${p}.state.${sk}`)])),
          todo: array(c.todo, `${p}.todo`, 1000, 1).map((x, i) => value(x, `${p}.todo[${i}]`)),
        };
      case 'shape':
        return {
          kind: k, name: cmdName, template: text(c.template, `${p}.template`, 64), into,
          seed: c.seed === undefined ? 0 : integer(c.seed, `${p}.seed`, 0, 0xffffffff),
          preset: c.preset === undefined ? undefined : text(c.preset, `${p}.preset`, 64),
        };
      case 'wait':
        return { kind: k, name: cmdName, ms: integer(c.ms, `${p}.ms`, 0, MAX_WAIT_MS) };
      case 'approve':
        return { kind: k, name: cmdName, prompt: c.prompt === undefined ? '' : text(c.prompt, `${p}.prompt`, 2000), into };
      case 'http':
        return checkHttp(c, p, cmdName, into);
      case 'set':
        return { kind: k, name: cmdName, values: valueMap(c.values, `${p}.values`) };
      case 'fail':
        return { kind: k, name: cmdName, message: c.message === undefined ? 'failed on purpose' : text(c.message, `${p}.message`, 1000) };
    }
  });
}

function checkHttp(c: JsonObject, p: string, cmdName: string, into: string | undefined): Command {
  const method = c.method === undefined ? 'GET' : c.method;
  if (method !== 'GET' && method !== 'POST') fail(`${p}.method`, `must be GET or POST, got ${JSON.stringify(method)}`);
  const url = text(c.url, `${p}.url`, 2000);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    fail(`${p}.url`, `'${url.slice(0, 100)}' is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail(`${p}.url`, `must be http or https, got ${parsed.protocol}`);
  if (c.body !== undefined && method !== 'POST') fail(`${p}.body`, 'only a POST has a body');
  return { kind: 'http', name: cmdName, method, url, body: c.body === undefined ? undefined : value(c.body, `${p}.body`), into };
}
