/**
 * A one-line progress display on stderr for long transfers, redrawn at
 * most ten times a second, only when stderr is a terminal (scripts and
 * logs get nothing).
 */

/** A progress line; `update` with bytes done, `done` to clear it. */
export interface ProgressLine {
  update(bytes: number): void;
  done(): void;
}

const MIB = 1024 * 1024;

/** A progress line labelled `label`, out of `total` bytes when known. */
export function progressLine(label: string, total?: number, stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  const draw = (bytes: number) => {
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    const pct = total ? ` ${Math.min(100, Math.floor((bytes / total) * 100))}%` : '';
    const width = 30;
    const bar = total ? ` [${'#'.repeat(Math.round((Math.min(bytes, total) / total) * width)).padEnd(width, '.')}]` : '';
    stream.write(`\r\x1b[K${label}${bar}${pct} ${(bytes / MIB).toFixed(1)} MiB, ${(bytes / MIB / secs).toFixed(1)} MiB/s`);
    shown = true;
  };
  return {
    update(bytes) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(bytes);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
