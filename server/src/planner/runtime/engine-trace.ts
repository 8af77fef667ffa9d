/**
 * The trace events of one planning call. The engine writes events into a
 * buffer in its memory; when the buffer is full it asks the host to take
 * them and starts again. Events are kept for the result, or handed to the
 * call's onTrace as they come. A call run again (a region grew, or the
 * interpreter takes over) replays the same search, so events an earlier
 * attempt already handed on are skipped, not sent twice.
 */
import { decodeValue } from './value-decoder.js';
import { type SymbolTable } from './engine-memory.js';
import { EVENT_OF } from './engine-status.js';
import { EV_HEADER_BYTES, EV_MG_FLAG, VALUE_BYTES } from './engine-abi.js';
import type { JsonValue, TraceEvent } from '../types.js';
import type { Layout } from './engine-layout.js';

/** Trace events one call may keep; past them the engine drops the rest (a trace of that size is gigabytes of JSON). */
const MAX_TRACE_EVENTS = 5_000_000;

/** Decodes the events in [from, to) of the engine's memory. */
export function decodeTrace(
  views: { i32: Int32Array; u32: Uint32Array; f64: Float64Array }, from: number, to: number, syms: SymbolTable, funcNames: string[],
): TraceEvent[] {
  const { i32, u32, f64 } = views;
  const out: TraceEvent[] = [];
  for (let p = from; p < to;) {
    const kindRaw = i32[p >>> 2], depth = i32[(p >>> 2) + 1], fn = i32[(p >>> 2) + 2], n = i32[(p >>> 2) + 3];
    const ev: TraceEvent = { kind: EVENT_OF[kindRaw & ~EV_MG_FLAG], depth };
    if (fn >= 0) ev.method = funcNames[fn];
    const words: JsonValue[] = [];
    for (let i = 0; i < n; i++) words.push(decodeValue(u32, f64, syms, p + EV_HEADER_BYTES + i * VALUE_BYTES));
    if (kindRaw & EV_MG_FLAG) ev.item = { __multigoal__: words[0] };
    else if (n > 1 || (n === 1 && words[0] !== null)) ev.item = words;
    out.push(ev);
    p += EV_HEADER_BYTES + n * VALUE_BYTES;
  }
  return out;
}

/** One call's trace, over the attempts it takes. */
export class TraceCollector {
  /** Events the sink has been given, over all attempts. */
  private delivered = 0;
  /** The current attempt: its layout, events kept (without a sink) and events it has produced. */
  private attempt: { layout: Layout; events: TraceEvent[]; seen: number } | undefined;

  /** `decode` reads the events now in the engine's trace buffer of a layout. */
  constructor(private readonly decode: (layout: Layout) => TraceEvent[], private readonly sink?: (events: TraceEvent[]) => void) {}

  /** An attempt starts on layout l. */
  begin(l: Layout): void { this.attempt = { layout: l, events: [], seen: 0 }; }

  /** The engine's buffer is full: 1 when its events were taken (the buffer starts again), 0 to drop the rest. */
  flush(): number {
    const a = this.attempt;
    if (!a) return 0;
    if (this.sink) { this.stream(a, this.decode(a.layout)); return 1; }
    if (a.events.length >= MAX_TRACE_EVENTS) return 0;
    for (const ev of this.decode(a.layout)) a.events.push(ev);
    return 1;
  }

  /** The attempt ended: its events not streamed (undefined with a sink). */
  finish(): TraceEvent[] | undefined {
    const a = this.attempt;
    this.attempt = undefined;
    if (!a) return undefined;
    if (this.sink) { this.stream(a, this.decode(a.layout)); return undefined; }
    for (const ev of this.decode(a.layout)) a.events.push(ev);
    return a.events;
  }

  /** The call's last event: streamed, or added to the result's trace. */
  end(result: { trace?: TraceEvent[] }): void {
    const ev: TraceEvent = { kind: 'result', depth: 0 };
    if (this.sink) this.sink([ev]);
    else (result.trace ??= []).push(ev);
  }

  private stream(a: { seen: number }, events: TraceEvent[]): void {
    const skip = Math.max(0, this.delivered - a.seen);
    a.seen += events.length;
    if (skip >= events.length) return;
    const fresh = skip > 0 ? events.slice(skip) : events;
    this.delivered += fresh.length;
    this.sink!(fresh);
  }
}
