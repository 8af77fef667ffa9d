/**
 * GTPyhop's run_lazy_lookahead with the executor on the other side of a
 * network: plan from the current state, send the commands one by one, and
 * plan again from the observed state when one fails. Unlike GTPyhop 1.1,
 * it always replans after a failure.
 */
import type { JsonState, JsonValue } from '../../planner/index.js';
import type { PlanAnswer } from './planner-service.js';

/** What the executor says about one command. */
export interface CommandReport {
  success: boolean;
  /** The observed state; required on success, optional on failure (unchanged state). */
  state?: JsonState;
}

/** The ways to plan and to execute, given by the caller. */
export interface LazyLookaheadIo {
  /** Plans the todo list from a state; throws on failure (domain bug, limit, abort). */
  plan(state: JsonState): Promise<PlanAnswer>;
  /** Executes one command remotely: `attempt` is the 1-based planning attempt, `index` its place in that plan. */
  execute(command: JsonValue[], attempt: number, index: number): Promise<CommandReport>;
}

/** How acting ended. */
export interface LazyLookaheadResult {
  status: 'done' | 'no_plan' | 'max_tries';
  state: JsonState;
  /** Commands that succeeded, in order. */
  executed: JsonValue[][];
  /** How many times it planned. */
  tries: number;
}

/** Runs lazy lookahead from `state`, planning at most `maxTries` times. */
export async function lazyLookahead(io: LazyLookaheadIo, initial: JsonState, maxTries: number): Promise<LazyLookaheadResult> {
  let state = initial;
  const executed: JsonValue[][] = [];
  for (let tries = 1; tries <= maxTries; tries++) {
    const answer = await io.plan(state);
    if (answer.status === 'no_plan') return { status: 'no_plan', state, executed, tries };
    if (answer.plan.length === 0) return { status: 'done', state, executed, tries };
    for (let index = 0; index < answer.plan.length; index++) {
      const command = answer.plan[index];
      const report = await io.execute(command, tries, index);
      if (!report.success) {
        if (report.state) state = report.state;
        break;
      }
      // Guarded by the transport (a success without a state is refused), kept for safety.
      if (report.state) state = report.state;
      executed.push(command);
    }
  }
  return { status: 'max_tries', state, executed, tries: maxTries };
}
