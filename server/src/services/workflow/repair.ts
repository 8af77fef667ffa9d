/**
 * A run's next move after a failed command: the command is banned and the
 * SOP's goals are planned again from the run's current state, with every
 * completed command done (so skipped, never run again); the run fails when
 * its repairs are spent or no plan avoids the banned commands. This is a
 * replan with the completed prefix kept, not a refinement from the failed
 * node of the plan tree.
 */
import { planSop, type CompiledSop } from './compile-sop.js';
import type { RunRecord, RunUpdate, StepRecord } from './workflow-repo.js';

/** The run's update after `step` failed with `message`. */
export function repairMove(run: RunRecord, step: StepRecord, message: string, compiled: CompiledSop, steps: readonly StepRecord[], maxRepairs: number): RunUpdate {
  const failure = `step ${step.index} (${step.command}) failed: ${message}`;
  if (run.repairs >= maxRepairs) return { status: 'failed', message: `${failure}; no repairs left (${maxRepairs} made)` };
  const banned = [...new Set([...run.banned, step.command])];
  const done = steps.filter((s) => s.status === 'completed').map((s) => s.command);
  const plan = planSop(compiled, run.state, done, banned);
  if (!plan.ok) return { status: 'failed', banned, message: `${failure}; repair: ${plan.message}` };
  return { status: 'running', plan: plan.commands, cursor: 0, banned, repairs: run.repairs + 1, message: `repaired after ${failure}` };
}
