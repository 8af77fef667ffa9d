/**
 * A one-line progress bar for the terminal. It draws only when the stream
 * is a TTY, so piped or redirected output holds just the results.
 */

/** Renders the bar's text for a width: `[####----] 3/40 name phase`. */
export function renderBar(done: number, total: number, label: string, columns: number): string {
  const width = 24;
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(frac * width);
  const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(done)}/${total} ${label}`;
  return text.length > columns - 1 ? text.slice(0, Math.max(0, columns - 2)) + '…' : text;
}

/** The progress bar of a run over `total` cases. */
export class ProgressBar {
  private readonly enabled: boolean;
  private lastDraw = 0;
  private shown = false;

  constructor(private readonly total: number, private readonly out: NodeJS.WriteStream = process.stdout) {
    this.enabled = out.isTTY === true;
  }

  /** Case `index` (0-based) is at `fraction` of its time, in `phase`. Redraws at most 10 times a second. */
  update(index: number, name: string, phase: string, fraction: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && fraction > 0) return;
    this.lastDraw = now;
    this.out.write(`\r\x1b[2K${renderBar(index + fraction, this.total, `${name}  ${phase}`, this.out.columns || 80)}`);
    this.shown = true;
  }

  /** Prints a line above the bar (a warning, a failed case). */
  log(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }

  /** Removes the bar. */
  clear(): void {
    if (this.enabled && this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}
