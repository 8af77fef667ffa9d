/**
 * Reading the IPC 2020 HTN plan format:
 *
 * ```
 * ==>
 * 0 drive truck_0 loc_2 loc_1          (primitive actions, in plan order)
 * root 8 13                            (the initial task network's tasks)
 * 8 deliver package_0 loc_0 -> m_deliver 9 10 11 12   (one line per method application)
 * <==
 * ```
 *
 * Text before `==>` and after `<==` (a planner's other output) is outside
 * the plan and ignored, as the format prescribes.
 */
import { AriaError, ErrorCode } from '../core/errors.js';
import type { HddlPlan, PlanStep, TaskNode } from './decompose.js';

/** A plan format error, with the 1-based line it is on. */
export class PlanFormatError extends AriaError {
  constructor(readonly line: number, message: string) {
    super(ErrorCode.InvalidArgument, `line ${line}: ${message}`);
    this.name = 'PlanFormatError';
  }
}

const INT = /^(0|[1-9][0-9]*)$/;

/** Parses a plan in the IPC 2020 format; names are lower-cased like HDDL's. */
export function readIpcPlan(text: string): HddlPlan {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === '==>');
  if (start < 0) throw new PlanFormatError(1, "no '==>' line starts the plan");
  const actions: PlanStep[] = [];
  const tasks: TaskNode[] = [];
  let roots: number[] | undefined;
  const ids = new Set<number>();
  const id = (s: string, ln: number): number => {
    if (!INT.test(s)) throw new PlanFormatError(ln, `expected a non-negative integer id, found '${s}'`);
    return Number(s);
  };
  const newId = (s: string, ln: number): number => {
    const n = id(s, ln);
    if (ids.has(n)) throw new PlanFormatError(ln, `id ${n} is used twice`);
    ids.add(n);
    return n;
  };
  for (let i = start + 1; i < lines.length; i++) {
    const ln = i + 1;
    const words = lines[i].trim().split(/\s+/).filter((w) => w !== '').map((w) => w.toLowerCase());
    if (words.length === 0) continue;
    if (words[0] === '<==') {
      if (!roots) throw new PlanFormatError(ln, "the plan has no 'root' line");
      return { actions, roots, tasks };
    }
    if (words[0] === 'root') {
      if (roots) throw new PlanFormatError(ln, "a second 'root' line");
      roots = words.slice(1).map((w) => id(w, ln));
      continue;
    }
    const arrow = words.indexOf('->');
    if (!roots) {
      if (arrow >= 0) throw new PlanFormatError(ln, "a method line before the 'root' line");
      if (words.length < 2) throw new PlanFormatError(ln, 'an action line needs an id and a name');
      actions.push({ id: newId(words[0], ln), name: words[1], args: words.slice(2) });
      continue;
    }
    if (arrow < 0) throw new PlanFormatError(ln, "expected '<id> <task> <args> -> <method> <ids>' after the root line");
    if (arrow < 2 || arrow + 1 >= words.length) throw new PlanFormatError(ln, 'a method line needs an id, a task, an arrow and a method name');
    tasks.push({
      id: newId(words[0], ln),
      task: words[1],
      args: words.slice(2, arrow),
      method: words[arrow + 1],
      children: words.slice(arrow + 2).map((w) => id(w, ln)),
    });
  }
  throw new PlanFormatError(lines.length, "no '<==' line ends the plan");
}
