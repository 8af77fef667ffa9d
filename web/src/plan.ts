/** The plan form: a domain, a state and a todo list as JSON, and the plan found shown as a numbered list. */
import { call, describe } from './api.js';
import { busy, byId, el, showText } from './dom.js';
import { TRAVEL_STATE, TRAVEL_TODO } from './examples.js';
import { stepText, type Step } from './values.js';

interface PlanAnswer {
  status?: string;
  plan?: Step[];
  stats?: { expansions?: number; backtracks?: number; maxDepth?: number };
}

/** Fills the form with the travel example and wires its submit. */
export function wirePlan(): void {
  byId<HTMLTextAreaElement>('plan-state').value = JSON.stringify(TRAVEL_STATE, null, 2);
  byId<HTMLTextAreaElement>('plan-todo').value = JSON.stringify(TRAVEL_TODO);
  const form = byId<HTMLFormElement>('plan-form');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void busy(form.querySelector<HTMLButtonElement>('button[type=submit]')!, runPlan);
  });
}

/** Parses a text area's JSON, naming the field when it is not JSON. */
function parseField(id: string, label: string): unknown {
  const text = byId<HTMLTextAreaElement>(id).value;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${label} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The form's problem as a PlanRequest (the debugger traces the same one); throws when a field is not JSON. */
export function readProblem(): { domain: string; problemJson: string } {
  const domain = byId<HTMLInputElement>('plan-domain').value.trim();
  const state = parseField('plan-state', 'The state');
  const todo = parseField('plan-todo', 'The todo list');
  // problemJson is the conformance suite's form: the same JSON a person writes for `aria plan --problem`.
  return { domain, problemJson: JSON.stringify({ state, todo }) };
}

async function runPlan(): Promise<void> {
  showText('plan-error', '');
  byId('plan-result').hidden = true;
  try {
    const res = await call<PlanAnswer>('aria.planner.v1.PlannerService', 'Plan', readProblem());
    showResult(res);
  } catch (err) {
    showText('plan-error', `Could not plan: ${describe(err)}`);
  }
}

function showResult(res: PlanAnswer): void {
  const steps = res.plan ?? [];
  const found = res.status === 'PLAN_STATUS_PLAN';
  byId('plan-status').textContent = found
    ? steps.length === 0 ? 'Plan found: nothing to do (an empty plan).' : `Plan found: ${steps.length} step${steps.length === 1 ? '' : 's'}.`
    : 'No plan exists for this state and todo list.';
  byId('plan-steps').replaceChildren(...steps.map((s) => el('li', stepText(s))));
  const st = res.stats ?? {};
  byId('plan-stats').textContent = `${st.expansions ?? 0} expansions, ${st.backtracks ?? 0} backtracks, depth ${st.maxDepth ?? 0}`;
  byId('plan-result').hidden = false;
}
