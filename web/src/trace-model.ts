/**
 * The planner's trace (PlannerService/Trace's events) as rows the debugger
 * shows. GTPyhop's trace depth is the search depth (how many todo items this
 * branch has taken), not an HTN parent link: the events carry no subtask
 * lists, so a method's subtasks are the items that follow it one level deeper.
 * Failed branches are marked as the BACKTRACK events arrive, so rows can be
 * shown while the trace still streams in.
 */
import { stepText, valueText, type Value } from './values.js';

/** One TraceEvent as the JSON API writes it. */
export interface TraceEvent {
  kind?: string;
  depth?: number;
  method?: string;
  item?: Value | null;
}

/** Row flags: a failed event itself, or a row inside a branch that was later abandoned. */
export const FAILED = 1;
export const ABANDONED = 2;

/** A todo item as text: a task or action `name(args)`, a goal or multigoal as its value. */
export function itemText(item: Value | null | undefined): string {
  const xs = item?.list?.items ?? item?.tuple?.items;
  if (xs && xs.length > 0 && xs[0].symbol !== undefined) return stepText({ name: xs[0].symbol, args: xs.slice(1) });
  return item ? valueText(item) : '';
}

/** The kind without its enum prefix: `TRACE_EVENT_KIND_METHOD_TRIED` → `method_tried`. */
export function shortKind(ev: TraceEvent): string {
  return (ev.kind ?? 'TRACE_EVENT_KIND_UNSPECIFIED').replace('TRACE_EVENT_KIND_', '').toLowerCase();
}

/** What a row says about its event. */
export function eventText(ev: TraceEvent): string {
  const item = itemText(ev.item);
  switch (shortKind(ev)) {
    case 'todo': return item ? `todo: ${item}` : 'todo list empty: this branch is done';
    case 'method_tried': return `try method ${ev.method} for ${item}`;
    case 'method_failed': return `✗ method ${ev.method} not applicable to ${item}`;
    case 'action_applied': return `✓ action ${item}`;
    case 'action_failed': return `✗ action ${item} not applicable`;
    case 'goal_achieved': return `goal already holds: ${item}`;
    case 'goal_verified': return `goal verified: ${item}${ev.method ? ` (after ${ev.method})` : ''}`;
    case 'backtrack': return `↶ backtrack: the branch under ${item || 'the choice'} (depth ${ev.depth ?? 0}) failed; its next option, if any, is next`;
    case 'result': return 'search ended';
    default: return `${shortKind(ev)} ${item}`.trim();
  }
}

/** The events received so far, with each row's flags. Grows as lines arrive. */
export class TraceModel {
  readonly events: TraceEvent[] = [];
  private flags = new Uint8Array(1024);
  /** For each depth, the row where its current choice began (the last method tried or todo there). */
  private choiceAt: number[] = [];

  get length(): number {
    return this.events.length;
  }

  flagsOf(i: number): number {
    return this.flags[i] ?? 0;
  }

  add(ev: TraceEvent): void {
    const i = this.events.length;
    this.events.push(ev);
    if (i >= this.flags.length) {
      const bigger = new Uint8Array(this.flags.length * 2);
      bigger.set(this.flags);
      this.flags = bigger;
    }
    const d = ev.depth ?? 0;
    const kind = shortKind(ev);
    if (kind === 'method_failed' || kind === 'action_failed') this.flags[i] |= FAILED;
    // A method found not applicable right after it was tried: its "try" row failed too.
    const tried = this.choiceAt[d];
    if (kind === 'method_failed' && tried !== undefined && shortKind(this.events[tried]) === 'method_tried' && this.events[tried].method === ev.method) this.flags[tried] |= FAILED;
    if (kind === 'todo' || kind === 'method_tried') {
      this.choiceAt[d] = i;
      this.choiceAt.length = d + 1;
    } else if (kind === 'backtrack') {
      // Everything since this depth's current choice was undone: mark it, and the choice itself as failed.
      const from = this.choiceAt[d] ?? i;
      for (let j = from; j < i; j++) this.flags[j] |= ABANDONED;
      if (shortKind(this.events[from]) === 'method_tried') this.flags[from] |= FAILED;
      this.choiceAt.length = d + 1;
    }
  }

  /**
   * The actions in effect after event `pos`: those applied on the branch that
   * leads to it. A deeper row's actions are undone when the search comes back
   * to a shallower depth, so an action stays while the depth stays below it.
   */
  appliedAt(pos: number): string[] {
    return this.appliedItemsAt(pos).map(itemText);
  }

  /** The items of appliedAt's actions, for asking the server the state they lead to. */
  appliedItemsAt(pos: number): (Value | null | undefined)[] {
    const path: { depth: number; text: Value | null | undefined }[] = [];
    for (let i = 0; i <= pos && i < this.events.length; i++) {
      const ev = this.events[i];
      const kind = shortKind(ev);
      if (kind === 'result') continue;
      const d = ev.depth ?? 0;
      while (path.length > 0 && path[path.length - 1].depth >= d) path.pop();
      if (kind === 'action_applied') path.push({ depth: d, text: ev.item });
    }
    return path.map((p) => p.text);
  }
}
