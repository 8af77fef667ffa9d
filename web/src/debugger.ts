/**
 * The plan debugger: runs the Plan form's problem through PlannerService/Trace
 * and shows the search as a windowed list of its events (indented by search
 * depth, failed branches marked), a position to step through with Prev/Next
 * or the slider, the actions in effect at that position, and the result.
 * Rows appear while the trace streams in; the result comes last.
 */
import { callStream, describe } from './api.js';
import { busy, byId, el, showText } from './dom.js';
import { readProblem } from './plan.js';
import { ABANDONED, FAILED, TraceModel, eventText, shortKind, type TraceEvent } from './trace-model.js';
import { stepText, type Step } from './values.js';
import { WindowedList } from './windowed-list.js';
import { resetState, showStateAt } from './state-view.js';
import type { Value } from './values.js';

interface TraceAnswer {
  event?: TraceEvent;
  result?: { status?: string; plan?: Step[]; stats?: { expansions?: number; backtracks?: number; maxDepth?: number } };
}

/** Indentation stops growing here: blocks problems reach depths of hundreds, and the row must stay readable. */
const MAX_INDENT = 30;
/** The actions-in-effect list shows at most this many (the last ones), so a long plan does not flood the page. */
const MAX_APPLIED = 200;

let model = new TraceModel();
let pos = 0;
let list: WindowedList | undefined;
/** The traced problem's domain and starting state, for the state view. */
let traced: { domain: string; state: Record<string, unknown> } | undefined;

export function wireDebugger(): void {
  list = new WindowedList(byId('debug-rows'), fillRow, moveTo);
  const button = byId<HTMLButtonElement>('debug-button');
  button.addEventListener('click', () => void busy(button, runTrace));
  byId('debug-prev').addEventListener('click', () => moveTo(pos - 1));
  byId('debug-next').addEventListener('click', () => moveTo(pos + 1));
  byId<HTMLInputElement>('debug-pos').addEventListener('input', (ev) => moveTo(Number((ev.target as HTMLInputElement).value)));
  // The list takes focus (tabindex): arrow keys step, Home and End jump, as in any list a person scrolls.
  const keys: Record<string, () => number> = { ArrowDown: () => pos + 1, ArrowUp: () => pos - 1, Home: () => 0, End: () => model.length - 1 };
  byId('debug-rows').addEventListener('keydown', (ev) => {
    const to = keys[ev.key];
    if (!to) return;
    ev.preventDefault();
    moveTo(to());
  });
}

function fillRow(row: HTMLDivElement, i: number): void {
  const ev = model.events[i];
  const depth = ev.depth ?? 0;
  row.style.paddingLeft = `${0.4 + Math.min(depth, MAX_INDENT) * 0.9}rem`;
  row.classList.add(`kind-${shortKind(ev)}`);
  const flags = model.flagsOf(i);
  if (flags & FAILED) row.classList.add('failed');
  if (flags & ABANDONED) row.classList.add('abandoned');
  row.append(el('span', String(depth), 'depth'), el('span', eventText(ev)));
  row.title = `event ${i + 1}, depth ${depth}${flags & ABANDONED ? ', on a branch later abandoned' : ''}`;
}

async function runTrace(): Promise<void> {
  showText('debug-error', '');
  byId('debug-result').hidden = true;
  byId('debug-view').hidden = true;
  model = new TraceModel();
  pos = 0;
  list!.setCount(0);
  let shownAt = 0;
  let result: TraceAnswer['result'];
  try {
    const problem = readProblem();
    resetState();
    traced = { domain: problem.domain, state: (JSON.parse(problem.problemJson) as { state: Record<string, unknown> }).state };
    byId('debug-view').hidden = false;
    await callStream('aria.planner.v1.PlannerService', 'Trace', { problem: { ...problem, options: { traceLevel: 3 } } }, (msg) => {
      const m = msg as TraceAnswer;
      if (m.event) {
        model.add(m.event);
        // The DOM follows at most once a frame (the list batches) and the count every 1000 events.
        list!.setCount(model.length);
        if (model.length === 1) moveTo(0);
        if (model.length - shownAt >= 1000) {
          shownAt = model.length;
          updatePosition();
        }
      }
      if (m.result) result = m.result;
    });
    updatePosition();
    // Shown once the stream has ended, so "Result" on the page means the whole trace is in.
    if (result) showResult(result);
  } catch (err) {
    showText('debug-error', `Could not trace: ${describe(err)}`);
  }
}

function showResult(res: NonNullable<TraceAnswer['result']>): void {
  const steps = res.plan ?? [];
  const st = res.stats ?? {};
  byId('debug-status').textContent = res.status === 'PLAN_STATUS_PLAN'
    ? `Result: a plan of ${steps.length} step${steps.length === 1 ? '' : 's'} (${st.expansions ?? 0} expansions, ${st.backtracks ?? 0} backtracks).`
    : `Result: no plan exists (${st.expansions ?? 0} expansions, ${st.backtracks ?? 0} backtracks).`;
  byId('debug-plan').replaceChildren(...steps.map((s) => el('li', stepText(s))));
  byId('debug-result').hidden = false;
}

/** Moves the position to event i (clamped), highlights its row and shows the actions in effect there. */
function moveTo(i: number): void {
  if (model.length === 0) return;
  pos = Math.max(0, Math.min(model.length - 1, i));
  list!.select(pos);
  updatePosition();
}

function updatePosition(): void {
  const n = model.length;
  const slider = byId<HTMLInputElement>('debug-pos');
  slider.max = String(Math.max(0, n - 1));
  slider.value = String(pos);
  byId('debug-count').textContent = `Event ${n === 0 ? 0 : pos + 1} of ${n}`;
  byId<HTMLButtonElement>('debug-prev').disabled = pos <= 0;
  byId<HTMLButtonElement>('debug-next').disabled = pos >= n - 1;
  if (n === 0) return;
  const ev = model.events[pos];
  const flags = model.flagsOf(pos);
  const note = flags & FAILED ? ' (failed)' : flags & ABANDONED ? ' (on a branch later abandoned)' : '';
  byId('debug-step').textContent = `Depth ${ev.depth ?? 0}: ${eventText(ev)}${note}`;
  const applied = model.appliedAt(pos);
  byId('debug-applied-count').textContent = applied.length === 0
    ? 'No action applied on this branch yet.'
    : `${applied.length} action${applied.length === 1 ? '' : 's'} applied on this branch${applied.length > MAX_APPLIED ? ` (the last ${MAX_APPLIED} shown)` : ''}:`;
  const from = Math.max(0, applied.length - MAX_APPLIED);
  const items = applied.slice(from).map((text) => el('li', text));
  const ol = byId<HTMLOListElement>('debug-applied');
  ol.start = from + 1;
  ol.replaceChildren(...items);
  if (traced) showStateAt(traced.domain, traced.state, model.appliedItemsAt(pos).filter((x): x is Value => x != null));
}
