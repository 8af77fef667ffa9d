/**
 * The workflow service: SOPs stored by revision, and runs that plan an SOP
 * then execute its commands one by one, each step persisted before and
 * after it runs (workflow-repo.ts), so that a service reopened on the same
 * database resumes every unfinished run where it stopped: a step found
 * `running` is run again under the same idempotency key, a completed one
 * never. A failed command is repaired: the run replans from its current
 * state with the command banned (completed commands stay done), and fails
 * for good after `maxRepairs` repairs or when no plan is left.
 *
 * Runs are driven here, on the event loop, one async loop per run, rather
 * than as queue jobs: a step is mostly waiting (a timer, a person, an HTTP
 * answer), the planning is tiny, and the database already gives the
 * durability a queue would. Distribution over `aria worker` processes is
 * not built.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { boundText } from '../../core/bounded-text.js';
import { InvalidArgumentError, NotFoundError, PreconditionError } from '../../core/errors.js';
import { executeCommand, type CommandOutcome } from './commands.js';
import type { Approval, StartRun, WorkflowOptions } from './workflow-types.js';
import { compileSop, planSop, type CompiledSop } from './compile-sop.js';
import { repairMove } from './repair.js';
import { isFinal, stepEvent, watchRun, type WorkflowEvent } from './run-events.js';
import { validateSop } from './validate-sop.js';
import type { SopValue } from './sop-types.js';
import { valueMap } from './sop-checks.js';
import { WorkflowRepo, type RunRecord, type RunStatus, type RunUpdate, type StepRecord, type StoredSop } from './workflow-repo.js';

interface Active {
  readonly controller: AbortController;
  pause: boolean;
  cancel: boolean;
  done: Promise<void>;
}

/** The SOP store and the run engine. */
export class WorkflowService {
  private readonly repo: WorkflowRepo;
  private readonly events = new EventEmitter().setMaxListeners(0);
  private readonly active = new Map<string, Active>();
  private readonly compiled = new Map<string, CompiledSop>();
  private closing = false;

  private constructor(private readonly options: WorkflowOptions) {
    this.repo = new WorkflowRepo(options.db);
  }

  /** Opens the service and resumes the runs a previous one left running. */
  static async open(options: WorkflowOptions): Promise<WorkflowService> {
    const s = new WorkflowService(options);
    for (const run of await s.repo.unfinishedRuns()) if (run.status === 'running') s.drive(run.id);
    return s;
  }

  /** Validates an SOP's JSON text and stores it as the next revision of its name. */
  async putSop(json: string, owner = ''): Promise<StoredSop> {
    const sop = validateSop(json);
    // Compiling proves the compiled domain loads before the SOP is kept; runs of this revision reuse it.
    const compiled = compileSop(sop);
    const stored = await this.repo.putSop(sop, JSON.parse(json), owner);
    this.remember(stored, compiled);
    return stored;
  }

  /** An SOP revision (the latest when `revision` is 0). */
  async getSop(name: string, revision = 0): Promise<StoredSop> {
    const s = await this.repo.getSop(name, revision);
    if (!s) throw new NotFoundError(revision ? `no SOP '${name.slice(0, 64)}' revision ${revision}` : `no SOP '${name.slice(0, 64)}'`);
    return s;
  }

  /** Each SOP's latest revision. */
  listSops(limit = 100): Promise<StoredSop[]> {
    return this.repo.listSops(Math.min(Math.max(limit, 1), 1000));
  }

  /** Starts a run of an SOP: plans it, stores it, and drives it. */
  async startRun(req: StartRun): Promise<RunRecord> {
    this.open();
    const stored = await this.getSop(req.sop, req.revision ?? 0);
    const compiled = this.compile(stored);
    const state = { ...stored.sop.state, ...(req.state === undefined ? {} : valueMap(req.state, 'state')) };
    const plan = planSop(compiled, state, [], []);
    if (!plan.ok) throw new PreconditionError(`SOP ${stored.sop.name} revision ${stored.revision}: ${plan.message}`);
    const now = Date.now();
    const run: RunRecord = {
      id: randomUUID(), sopName: stored.sop.name, sopRevision: stored.revision, status: 'running', state, plan: plan.commands, cursor: 0,
      banned: [], repairs: 0, message: '', owner: req.owner ?? '', createdUnixMs: now, updatedUnixMs: now,
    };
    await this.repo.insertRun(run);
    this.drive(run.id);
    return run;
  }

  /** A run and its steps. */
  async getRun(id: string): Promise<{ run: RunRecord; steps: StepRecord[] }> {
    const run = await this.run(id);
    return { run, steps: await this.repo.steps(id) };
  }

  /** Runs, newest first. */
  listRuns(filter: { sopName?: string; status?: RunStatus; limit?: number } = {}): Promise<RunRecord[]> {
    return this.repo.listRuns({ ...filter, limit: Math.min(Math.max(filter.limit ?? 100, 1), 1000) });
  }

  /** Asks a running run to stop after its current step; a paused run stays paused. */
  async pauseRun(id: string): Promise<RunRecord> {
    const run = await this.run(id);
    if (run.status === 'paused') return run;
    if (run.status !== 'running') throw new PreconditionError(`run ${id} is ${run.status}; only a running run can be paused${run.status === 'waiting' ? ' (approve or cancel its step)' : ''}`);
    const a = this.active.get(id);
    if (a) {
      a.pause = true;
      return run;
    }
    return this.setStatus(id, { status: 'paused' });
  }

  /** Drives a paused run again. */
  async resumeRun(id: string): Promise<RunRecord> {
    this.open();
    const run = await this.run(id);
    const a = this.active.get(id);
    if (run.status === 'running') {
      // A running run with no loop lost it to an error (a lost database): resuming drives it again.
      if (a) a.pause = false;
      else this.drive(id);
      return run;
    }
    if (run.status !== 'paused') throw new PreconditionError(`run ${id} is ${run.status}; only a paused run can be resumed`);
    const resumed = await this.setStatus(id, { status: 'running' });
    this.drive(id);
    return resumed;
  }

  /** Cancels a run that has not ended: its current command is stopped. */
  async cancelRun(id: string): Promise<RunRecord> {
    const run = await this.run(id);
    if (isFinal(run.status)) throw new PreconditionError(`run ${id} is already ${run.status}`);
    const a = this.active.get(id);
    if (a) {
      a.cancel = true;
      a.controller.abort(new Error('cancelled'));
      await a.done;
      // The loop may have stopped at an approval (or a pause) before it saw the cancel: cancel from there.
      const now = await this.run(id);
      return isFinal(now.status) ? now : this.cancelRun(id);
    }
    const steps = await this.repo.steps(id);
    const last = steps.at(-1);
    if (last && (last.status === 'waiting' || last.status === 'running')) {
      const r = await this.repo.finishStep(id, last.index, last.status, { status: 'cancelled', stateAfter: null, message: 'the run was cancelled' }, { status: 'cancelled', message: 'cancelled' });
      // Undefined: an approval ended the step first; the run has moved on, cancel it from where it is now.
      if (!r) return this.cancelRun(id);
      this.emit(id, stepEvent(r.step));
      this.emit(id, { type: 'run', run: r.run });
      return r.run;
    }
    return this.setStatus(id, { status: 'cancelled', message: 'cancelled' });
  }

  /** A person's answer to the approval step a run waits on: approved, the run goes on; refused, the step fails (and is repaired). */
  async approveStep(a: Approval): Promise<RunRecord> {
    this.open();
    const run = await this.run(a.runId);
    const steps = await this.repo.steps(a.runId);
    const step = steps.at(-1);
    if (run.status !== 'waiting' || !step || step.status !== 'waiting') throw new PreconditionError(`run ${a.runId} is ${run.status}, not waiting for an approval`);
    if (step.index !== a.stepIndex) throw new InvalidArgumentError('step_index', `run ${a.runId} waits on step ${step.index}, not ${a.stepIndex}`);
    const compiled = this.compile(await this.getSop(run.sopName, run.sopRevision));
    const command = compiled.sop.commands.find((c) => c.name === step.command)!;
    const into = command.kind === 'approve' ? command.into : undefined;
    const comment = boundText(a.comment ?? '', 1000);
    const outcome: CommandOutcome = a.approved
      ? { ok: true, set: into ? { [into]: { approved: true, by: a.by, comment } } : {} }
      : { ok: false, message: `refused by ${a.by || 'someone'}${comment ? `: ${comment}` : ''}` };
    const after = await this.finish(run, step, 'waiting', outcome, compiled);
    if (!after) throw new PreconditionError(`step ${step.index} of run ${a.runId} was answered or cancelled by another call`);
    if (after.status === 'running') this.drive(a.runId);
    return after;
  }

  /** The run's events: its steps so far, then each change, until the run ends or the signal aborts. */
  watch(id: string, signal: AbortSignal): AsyncGenerator<WorkflowEvent> {
    return watchRun(this.events, id, () => this.getRun(id), signal);
  }

  /** Stops driving runs (their current steps are left `running`, to be resumed by the next open) and waits for the loops. */
  async close(): Promise<void> {
    this.closing = true;
    for (const a of this.active.values()) a.controller.abort(new Error('the workflow service is closing'));
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private open(): void {
    if (this.closing) throw new PreconditionError('the workflow service is closing');
  }

  private async run(id: string): Promise<RunRecord> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new InvalidArgumentError('run_id', 'must be a run id (a UUID)');
    const run = await this.repo.getRun(id);
    if (!run) throw new NotFoundError(`no run ${id}`);
    return run;
  }

  private async setStatus(id: string, u: RunUpdate): Promise<RunRecord> {
    const run = await this.repo.updateRun(id, u);
    this.emit(id, { type: 'run', run });
    return run;
  }

  private emit(id: string, e: WorkflowEvent): void {
    this.events.emit(id, e);
  }

  /**
   * A stored revision's compiled domain, from the cache when it was compiled
   * before. Compiling runs on the event loop: about 80 ms for 200 commands
   * on a loaded 2-core machine (bench workflow/compile/sop-200); the cache
   * makes it once per revision and process.
   */
  private compile(stored: StoredSop): CompiledSop {
    return this.compiled.get(`${stored.sop.name}\u0000${stored.revision}`) ?? this.remember(stored, compileSop(stored.sop));
  }

  private remember(stored: StoredSop, c: CompiledSop): CompiledSop {
    this.compiled.set(`${stored.sop.name}\u0000${stored.revision}`, c);
    if (this.compiled.size > 256) this.compiled.delete(this.compiled.keys().next().value!);
    return c;
  }

  /** Starts the run's loop unless one runs already. */
  private drive(id: string): void {
    if (this.active.has(id) || this.closing) return;
    const a: Active = { controller: new AbortController(), pause: false, cancel: false, done: Promise.resolve() };
    this.active.set(id, a);
    a.done = this.loop(id, a)
      .catch((err) => this.options.onError?.(err, id))
      // Only its own entry: a loop that ended at an approval may already have a successor.
      .finally(() => this.active.get(id) === a && this.active.delete(id));
  }

  private async loop(id: string, a: Active): Promise<void> {
    let run = await this.run(id);
    const compiled = this.compile(await this.getSop(run.sopName, run.sopRevision));
    const steps = await this.repo.steps(id);
    while (run.status === 'running' && !this.closing) {
      if (a.cancel) return void (await this.setStatus(id, { status: 'cancelled', message: 'cancelled' }));
      if (a.pause) return void (await this.setStatus(id, { status: 'paused' }));
      if (run.cursor >= run.plan.length) return void (await this.setStatus(id, { status: 'completed' }));
      const name = run.plan[run.cursor];
      const command = compiled.sop.commands.find((c) => c.name === name)!;
      const last = steps.at(-1);
      // A step left running by a stopped server is the one the cursor points at: run it again, same row, same key.
      const index = last && last.status === 'running' ? last.index : steps.length;
      const step = await this.repo.startStep({ runId: id, index, command: name, kind: command.kind, stateBefore: run.state });
      steps[index] = step;
      this.emit(id, stepEvent(step));
      this.options.onCommand?.(id, index, name);
      if (command.kind === 'approve') {
        const r = (await this.repo.finishStep(id, index, 'running', { status: 'waiting', stateAfter: null, message: command.prompt }, { status: 'waiting' }))!;
        // Written: from here an approval may drive the run again, with a loop of its own.
        if (this.active.get(id) === a) this.active.delete(id);
        this.emit(id, stepEvent(r.step));
        this.emit(id, { type: 'run', run: r.run });
        return;
      }
      let outcome: CommandOutcome;
      try {
        outcome = await executeCommand(command, { state: run.state, idempotencyKey: step.idempotencyKey, signal: a.controller.signal }, this.options.commands ?? {});
      } catch (err) {
        if (!a.cancel) return; // closing: the step stays running, for the next open to run again
        const r = (await this.repo.finishStep(id, index, 'running', { status: 'cancelled', stateAfter: null, message: 'the run was cancelled' }, { status: 'cancelled', message: 'cancelled' }))!;
        this.emit(id, stepEvent(r.step));
        this.emit(id, { type: 'run', run: r.run });
        return;
      }
      const next = await this.finish(run, step, 'running', outcome, compiled);
      if (!next) return; // ended by another call
      run = next;
      steps[index] = { ...step, status: outcome.ok ? 'completed' : 'failed' };
    }
  }

  /**
   * Records the outcome of a step still in status `from` and moves the run
   * on: past the step, into a repaired plan, or to failure. Undefined when
   * another call ended the step first.
   */
  private async finish(run: RunRecord, step: StepRecord, from: StepRecord['status'], outcome: CommandOutcome, compiled: CompiledSop): Promise<RunRecord | undefined> {
    const status: RunStatus = 'running';
    let stepUpdate: { status: 'completed' | 'failed'; stateAfter: Record<string, SopValue> | null; message: string };
    let runUpdate: RunUpdate;
    if (outcome.ok) {
      const state = { ...run.state, ...outcome.set };
      stepUpdate = { status: 'completed', stateAfter: state, message: '' };
      runUpdate = { status, state, cursor: run.cursor + 1 };
    } else {
      stepUpdate = { status: 'failed', stateAfter: null, message: outcome.message };
      runUpdate = repairMove(run, step, outcome.message, compiled, await this.repo.steps(run.id), this.options.maxRepairs ?? 3);
    }
    const r = await this.repo.finishStep(run.id, step.index, from, stepUpdate, runUpdate);
    if (!r) return undefined;
    this.emit(run.id, stepEvent(r.step));
    this.emit(run.id, { type: 'run', run: r.run });
    return r.run;
  }
}
