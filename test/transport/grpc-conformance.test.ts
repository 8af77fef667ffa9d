/**
 * Every conformance case through gRPC gives the same answer as the library
 * in this process: the plan, no plan, or the failure (a domain bug as
 * FAILED_PRECONDITION with the library's message, a limit as its status).
 * Each find_plan case goes through both encodings of a problem (typed
 * messages and problem_json); run_lazy_lookahead cases go through Act.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { ActRequest, ActStatus, PlanRequest, PlanStatus, type ActResponse, type PlanResponse } from '../../gen/ts/aria/planner/v1/planner.js';
import { loadDomain, readBuiltinDomain, type DomainHandle, type JsonState, type JsonValue, type PlanResult } from '../../server/src/planner/index.js';
import { jsonToState, jsonToTodo, stateToJson, stepToJson } from '../../server/src/pool/value-proto.js';
import type { AriaServer } from '../../server/src/app/start-server.js';
import { clientOf, testServer, unary } from '../support/test-server.js';
import { DEFAULT_CASES, readCases, type ConformanceCase } from '../support/conformance-cases.js';

const casesPath = process.env.ARIA_CONFORMANCE_CASES ?? DEFAULT_CASES;
const handles = new Map<string, DomainHandle>();
let server: AriaServer;

function handle(name: string): DomainHandle {
  let h = handles.get(name);
  if (!h) {
    const b = readBuiltinDomain(name);
    h = loadDomain(b.text, { file: b.file });
    handles.set(name, h);
  }
  return h;
}

/** The library's answer in the terms a gRPC client sees. */
function libraryAnswer(r: PlanResult): unknown {
  switch (r.status) {
    case 'plan':
      return { plan: r.plan };
    case 'no_plan':
      return { no_plan: true };
    case 'error':
      return { code: status.FAILED_PRECONDITION, message: r.message };
    case 'limit':
      return { code: r.limit === 'deadline' ? status.DEADLINE_EXCEEDED : status.RESOURCE_EXHAUSTED, limit: r.limit };
  }
}

async function grpcAnswer(request: PlanRequest): Promise<unknown> {
  try {
    const res = await unary<PlanRequest, PlanResponse>(clientOf(server), 'plan', request);
    if (res.status === PlanStatus.PLAN_STATUS_PLAN) return { plan: res.plan.map((s, i) => stepToJson(s, `plan[${i}]`)) };
    return { no_plan: true };
  } catch (err) {
    const e = err as { code: number; details: string };
    if (e.code === status.FAILED_PRECONDITION) return { code: e.code, message: e.details };
    const limit = /planner limit reached \((\w+)\)/.exec(e.details)?.[1];
    return { code: e.code, limit, details: limit ? undefined : e.details };
  }
}

if (!existsSync(casesPath)) {
  console.log(`SKIP grpc-conformance: no cases at ${casesPath} (set ARIA_CONFORMANCE_CASES)`);
} else {
  const cases = readCases(casesPath);

  test.before(async () => {
    server = await testServer();
  });
  test.after(async () => {
    await server.shutdown(1000);
  });

  test(`all ${cases.filter((c) => c.kind === 'find_plan').length} find_plan cases: gRPC answers as the library does`, async () => {
    const mismatches: string[] = [];
    await Promise.all(cases.filter((c) => c.kind === 'find_plan').map(async (c) => {
      const expected = libraryAnswer(handle(c.domain).plan({ state: c.state, todo: c.todo, verify_goals: c.verify_goals }));
      const typed = await grpcAnswer(PlanRequest.fromPartial({
        domain: c.domain, state: jsonToState(c.state), todo: jsonToTodo(c.todo), options: { verifyGoals: c.verify_goals },
      }));
      const viaJson = await grpcAnswer(PlanRequest.fromPartial({
        domain: c.domain, problemJson: JSON.stringify({ state: c.state, todo: c.todo, verify_goals: c.verify_goals }),
      }));
      try {
        assert.equal(typed, expected, `${c.name} (typed)`);
        assert.equal(viaJson, expected, `${c.name} (problem_json)`);
      } catch (err) {
        const short = (v: unknown) => JSON.stringify(v).slice(0, 200);
        mismatches.push(`${c.name}: library ${short(expected)}, typed ${short(typed)}, json ${short(viaJson)}`);
      }
    }));
    assert.equal(mismatches, []);
  });

  for (const c of cases.filter((x) => x.kind === 'run_lazy_lookahead')) {
    test(`Act ${c.name}: same final state and commands as the library's act()`, async () => {
      const h = handle(c.domain);
      const library = await h.act({ state: c.state, todo: c.todo, verify_goals: c.verify_goals }, { maxTries: c.max_tries, executor: failingExecutor(h, c) });
      const remote = await actOverNetwork(c, failingExecutor(h, c));
      assert.equal(remote.status, library.status);
      assert.equal(remote.executed, library.executed);
      assert.equal(remote.state, library.state);
      assert.equal(remote.tries, library.tries);
      if (c.expected_final_state) assert.equal(remote.state, c.expected_final_state);
      if (c.expected_executed) assert.equal(remote.executed, c.expected_executed);
    });
  }
}

/** The case's executor: the domain's own command, failing the listed occurrences. */
function failingExecutor(h: DomainHandle, c: ConformanceCase) {
  const seen = new Map<string, number>();
  return (command: JsonValue[], state: JsonState): JsonState | false => {
    const name = String(command[0]);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (c.command_failures?.some((f) => f.command === name && f.occurrence === n)) return false;
    return h.execute(command, state);
  };
}

async function actOverNetwork(c: ConformanceCase, execute: (cmd: JsonValue[], s: JsonState) => JsonState | false) {
  const call = clientOf(server).act();
  const replies: ActResponse[] = [];
  let state = c.state;
  const done = new Promise<{ status: string; state: JsonState; executed: JsonValue[][]; tries: number }>((resolve, reject) => {
    call.on('data', (r: ActResponse) => {
      replies.push(r);
      if (r.kind?.$case === 'command') {
        const next = execute(stepToJson(r.kind.command.command!, 'command'), state);
        if (next !== false) state = next;
        call.write(ActRequest.fromPartial({ kind: { $case: 'report', report: { success: next !== false, state: next === false ? undefined : jsonToState(next) } } }));
      } else if (r.kind?.$case === 'done') {
        const d = r.kind.done;
        const names = { [ActStatus.ACT_STATUS_DONE]: 'done', [ActStatus.ACT_STATUS_NO_PLAN]: 'no_plan', [ActStatus.ACT_STATUS_MAX_TRIES]: 'max_tries' } as Record<number, string>;
        resolve({ status: names[d.status], state: stateToJson(d.state), executed: d.executed.map((s, i) => stepToJson(s, `executed[${i}]`)), tries: d.tries });
        call.end();
      }
    });
    call.on('error', reject);
  });
  call.write(ActRequest.fromPartial({
    kind: { $case: 'start', start: { maxTries: c.max_tries ?? 0, problem: { domain: c.domain, state: jsonToState(c.state), todo: jsonToTodo(c.todo), options: { verifyGoals: c.verify_goals } } } },
  }));
  return done;
}

test.run();
