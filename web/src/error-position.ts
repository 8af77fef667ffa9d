/**
 * Where a domain's syntax error is: RegisterDomain's message starts with
 * `<file>:<line>:<column>: ` (the compiler's position), which this finds and
 * turns into a few numbered lines of the source with a caret under the spot.
 */

/** A position in the source text, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
  /** The message without the `file:line:col: ` prefix. */
  message: string;
}

/** The position at the start of `message`, or undefined when it names none. */
export function errorPosition(message: string): SourcePosition | undefined {
  const m = /^[^\n]*?:(\d+):(\d+): ([\s\S]*)$/.exec(message);
  if (!m) return undefined;
  return { line: Number(m[1]), column: Number(m[2]), message: m[3] };
}

/** Up to two lines before `pos.line`, that line, and a caret under its column, numbered. */
export function excerpt(text: string, pos: SourcePosition): string {
  const lines = text.split('\n');
  const last = Math.min(pos.line, lines.length);
  const first = Math.max(1, last - 2);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) out.push(`${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
  if (pos.line <= lines.length) out.push(`${' '.repeat(width)} | ${' '.repeat(Math.max(0, pos.column - 1))}^`);
  return out.join('\n');
}
