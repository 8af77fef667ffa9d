/**
 * The debugger's state at the current step. Trace events carry no state, so
 * the page asks PlannerService/ApplyActions for the state after the actions
 * in effect on the branch (the problem's state when there are none) and
 * shows it as a table of variable, key and value; the cells the last action
 * changed are highlighted. Asked at most once per pause while stepping
 * (debounced), and an answer for an older position is dropped.
 */
import { call, describe } from './api.js';
import { byId, el } from './dom.js';
import type { Value } from './values.js';

/** Stepping quickly asks once, this long after the last step. */
const DEBOUNCE_MS = 150;
/** The server's bound on one call (MAX_APPLY_ACTIONS). */
const MAX_ACTIONS = 10_000;
/** Rows the table shows; a larger state says how many are left out. */
const MAX_ROWS = 500;

type JsonState = Record<string, unknown>;

let timer: ReturnType<typeof setTimeout> | undefined;
let asked = 0;

/** An applied action's trace item (a list or tuple whose first element is the name) as ApplyActions' Step. */
export function itemStep(item: Value | null | undefined): { name: string; args: Value[] } | undefined {
  const xs = item?.list?.items ?? item?.tuple?.items;
  if (!xs || xs.length === 0 || xs[0].symbol === undefined) return undefined;
  return { name: xs[0].symbol, args: xs.slice(1) };
}

/** Clears the view (a new trace). */
export function resetState(): void {
  if (timer !== undefined) clearTimeout(timer);
  asked++;
  byId('debug-state').replaceChildren();
  byId('debug-state-note').textContent = '';
}

/** Shows, after a short pause, the state after `actions` applied to the problem's `state`. */
export function showStateAt(domain: string, state: JsonState, actions: Value[]): void {
  if (timer !== undefined) clearTimeout(timer);
  const ticket = ++asked;
  timer = setTimeout(() => void fetchState(ticket, domain, state, actions), DEBOUNCE_MS);
}

async function fetchState(ticket: number, domain: string, state: JsonState, actions: Value[]): Promise<void> {
  const note = byId('debug-state-note');
  const steps = actions.map(itemStep);
  if (steps.some((s) => s === undefined) || steps.length > MAX_ACTIONS) {
    note.textContent = steps.length > MAX_ACTIONS ? `The state is not shown past ${MAX_ACTIONS} actions.` : 'The state is not shown: an action could not be read from the trace.';
    byId('debug-state').replaceChildren();
    return;
  }
  try {
    // Only the last two states are used; the call returns one per action, bounded by MAX_ACTIONS.
    const res = await call<{ statesJson?: string[] }>('aria.planner.v1.PlannerService', 'ApplyActions', { domain, stateJson: JSON.stringify(state), actions: steps });
    if (ticket !== asked) return;
    const states = (res.statesJson ?? []).map((t) => JSON.parse(t) as JsonState);
    const after = states.length > 0 ? states[states.length - 1] : state;
    const before = states.length > 1 ? states[states.length - 2] : state;
    render(after, states.length > 0 ? before : undefined);
    note.textContent = states.length === 0 ? 'The problem\'s state (no action applied yet).' : `After ${states.length} action${states.length === 1 ? '' : 's'}; highlighted: what the last one changed.`;
  } catch (err) {
    if (ticket !== asked) return;
    note.textContent = `Could not compute the state: ${describe(err)}`;
    byId('debug-state').replaceChildren();
  }
}

function render(after: JsonState, before: JsonState | undefined): void {
  const rows: HTMLTableRowElement[] = [];
  let total = 0;
  const vars = new Set([...Object.keys(after), ...Object.keys(before ?? {})]);
  for (const v of [...vars].sort()) {
    const now = entries(after[v]);
    const then = before ? entries(before[v]) : undefined;
    const keys = new Set([...now.keys(), ...(then?.keys() ?? [])]);
    for (const k of [...keys].sort()) {
      total++;
      if (rows.length >= MAX_ROWS) continue;
      const value = now.get(k);
      const tr = el('tr');
      tr.append(el('td', v), el('td', k), el('td', value ?? '(removed)'));
      if (then !== undefined && then.get(k) !== value) tr.classList.add('changed');
      rows.push(tr);
    }
  }
  const head = el('tr');
  head.append(el('th', 'Variable'), el('th', 'Key'), el('th', 'Value'));
  const table = byId('debug-state');
  table.replaceChildren(head, ...rows);
  if (total > MAX_ROWS) table.append(el('caption', `${total - MAX_ROWS} more rows not shown`));
}

/** A state variable's entries as key → value text (a variable that is not a map is one entry under ''). */
function entries(v: unknown): Map<string, string> {
  const m = new Map<string, string>();
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) m.set(k, JSON.stringify(x));
  } else if (v !== undefined) {
    m.set('', JSON.stringify(v));
  }
  return m;
}
