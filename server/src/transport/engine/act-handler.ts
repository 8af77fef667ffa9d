/**
 * Act: lazy lookahead across the network. The client sends `start`, then
 * one `report` for each `command` the server sends; the server ends with
 * `done`. Planning runs on the pool for every try.
 */
import type { handleBidiStreamingCall, ServerDuplexStream } from '@grpc/grpc-js';
import { ActStatus, PlanRequest, type ActRequest, type ActResponse } from '../../../../gen/ts/aria/planner/v1/planner.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { resolveProblem, jsonToState, jsonToStep, stateToJson } from '../../pool/index.js';
import { lazyLookahead, type CommandReport } from '../../services/engine/index.js';
import { bidiStream, decoded } from '../handler.js';
import { MessageQueue } from '../message-queue.js';
import type { MalformedMessageError } from '../status-mapping.js';
import type { PlannerContext } from './planner-context.js';
import { decodePlanRequest } from './request-codec.js';

type Call = ServerDuplexStream<ActRequest | MalformedMessageError, ActResponse>;

/** GTPyhop's default max_tries. */
export const DEFAULT_MAX_TRIES = 10;
/** The protocol is lockstep; a client this far ahead is not following it. */
const MAX_QUEUED = 16;

const STATUSES = { done: ActStatus.ACT_STATUS_DONE, no_plan: ActStatus.ACT_STATUS_NO_PLAN, max_tries: ActStatus.ACT_STATUS_MAX_TRIES } as const;

/** The Act handler. */
export function actHandler(ctx: PlannerContext): handleBidiStreamingCall<ActRequest, ActResponse> {
  return bidiStream(ctx, 'Act', (call: Call, cs) => {
    const queue = new MessageQueue<ActRequest | MalformedMessageError>(cs.signal);
    call.on('data', (m: ActRequest | MalformedMessageError) => {
      queue.push(m);
      if (queue.length > MAX_QUEUED) queue.fail(new InvalidArgumentError('report', `more than ${MAX_QUEUED} messages ahead of the server; send one report per command`));
    });
    call.on('end', () => queue.end());
    return run(ctx, call, queue, cs.signal);
  });
}

async function run(ctx: PlannerContext, call: Call, queue: MessageQueue<ActRequest | MalformedMessageError>, signal: AbortSignal): Promise<void> {
  const first = await queue.next();
  const start = first === undefined ? undefined : decoded(first).kind;
  if (start?.$case !== 'start') throw new InvalidArgumentError('start', 'the first message must be `start`');
  const planCall = decodePlanRequest(start.start.problem ?? PlanRequest.fromPartial({}), 'start.problem.');
  const entry = ctx.service.registry.resolve(planCall.domain, 'start.problem.domain');
  const problem = resolveProblem(planCall.problem);
  const { todo, verify_goals } = problem;
  const maxTries = start.start.maxTries || DEFAULT_MAX_TRIES;

  const result = await lazyLookahead(
    {
      plan: async (state) => ctx.service.planIn(entry, { state, todo, verify_goals }, planCall.options, signal),
      execute: async (command, attempt, index): Promise<CommandReport> => {
        call.write({ kind: { $case: 'command', command: { command: jsonToStep(command, 'command'), attempt, index } } });
        const next = await queue.next();
        if (next === undefined) throw new InvalidArgumentError('report', `the stream ended before the report of command ${JSON.stringify(command)}`);
        const kind = decoded(next).kind;
        if (kind?.$case !== 'report') throw new InvalidArgumentError('report', 'expected the report of the last command');
        const { success, state } = kind.report;
        if (success && !state) throw new InvalidArgumentError('report.state', 'required when success is true');
        return { success, state: state ? stateToJson(state, 'report.state') : undefined };
      },
    },
    problem.state,
    maxTries,
  );
  call.write({
    kind: {
      $case: 'done',
      done: { status: STATUSES[result.status], state: jsonToState(result.state), executed: result.executed.map((s, i) => jsonToStep(s, `executed[${i}]`)), tries: result.tries },
    },
  });
}
