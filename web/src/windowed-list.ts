/**
 * A windowed list: rows of one fixed height in a scroll container, of which
 * only those in view (plus a margin) exist in the DOM. A trace of 100,000
 * events would otherwise be 100,000 elements, and the page would crawl.
 * A spacer as tall as all the rows keeps the scroll bar true to the length.
 */
import { el } from './dom.js';

/** Row height in pixels; styles.css's .trace-row uses the same. */
export const ROW_HEIGHT = 22;
/** Rows drawn above and below the visible ones, so a small scroll shows no gap. */
const MARGIN = 10;

export class WindowedList {
  private readonly spacer: HTMLDivElement;
  private count = 0;
  private selected = -1;
  private pending = false;

  /** `fill` writes row i's content and classes into its element (a fresh div each time it comes into view). */
  constructor(private readonly box: HTMLElement, private readonly fill: (row: HTMLDivElement, i: number) => void, private readonly onPick: (i: number) => void) {
    this.spacer = el('div', '', 'trace-spacer');
    box.replaceChildren(this.spacer);
    box.addEventListener('scroll', () => this.schedule());
    box.addEventListener('click', (ev) => {
      const row = (ev.target as HTMLElement).closest<HTMLElement>('.trace-row');
      if (row) this.onPick(Number(row.dataset.index));
    });
  }

  /** Sets how many rows there are (the list grows as a trace streams in) and redraws. */
  setCount(n: number): void {
    this.count = n;
    this.spacer.style.height = `${n * ROW_HEIGHT}px`;
    this.schedule();
  }

  /** Highlights row i and scrolls it into view when it is not. */
  select(i: number): void {
    this.selected = i;
    const top = i * ROW_HEIGHT;
    const view = this.box.clientHeight;
    if (top < this.box.scrollTop) this.box.scrollTop = top;
    else if (top + ROW_HEIGHT > this.box.scrollTop + view) this.box.scrollTop = top + ROW_HEIGHT - view;
    this.draw();
  }

  /** Redraws everything (row content changed: a later backtrack marked earlier rows). */
  refresh(): void {
    this.schedule();
  }

  // One draw per frame, however many scroll events or added lines came in it.
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const first = Math.max(0, Math.floor(this.box.scrollTop / ROW_HEIGHT) - MARGIN);
    const last = Math.min(this.count, Math.ceil((this.box.scrollTop + this.box.clientHeight) / ROW_HEIGHT) + MARGIN);
    const rows: HTMLDivElement[] = [];
    for (let i = first; i < last; i++) {
      const row = el('div', '', 'trace-row');
      row.dataset.index = String(i);
      row.style.top = `${i * ROW_HEIGHT}px`;
      this.fill(row, i);
      if (i === this.selected) row.classList.add('current');
      rows.push(row);
    }
    this.spacer.replaceChildren(...rows);
  }
}
