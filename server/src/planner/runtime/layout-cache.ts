/**
 * An engine's region sizes and the layout they give, kept from call to
 * call. Capacities double when the engine reports a region full; the hints
 * (symbols a problem adds, state size, dense width) grow when a problem
 * outgrows them. A stream of similar problems asks for the same layout call
 * after call, so the last one is kept and handed back as the same object.
 */
import { computeLayout, INITIAL_CAPS, type Caps, type Layout } from './engine-layout.js';
import { ST } from './engine-status.js';

/** Layout sizes learnt from earlier problems. */
export interface LayoutHints { extraSyms: number; entries: number; vars: number; denseK: number }

/** The region sizes and last layout of one engine. */
export class LayoutCache {
  /** Region capacities; a space status doubles one (grow). */
  caps: Caps = { ...INITIAL_CAPS };
  /** Layout sizes learnt from earlier problems. */
  readonly hints: LayoutHints = { extraSyms: 64, entries: 256, vars: 8, denseK: 0 };
  /** Slots address of the last layout, which the last call ran on. */
  lastSlots = 0;
  /** End of the largest layout a grown region has needed (0: regions at their initial sizes). */
  private grownEnd = 0;
  /** The last layout computed, and what it was computed from (staticEnd and the JIT never change). */
  private lastLayout: Layout | undefined;
  private layoutKey: number[] = [];

  /**
   * `staticEnd`: first free byte after the domain's tables; `domainSyms`
   * and `domainVars`: the domain's symbols and state variables; `jit`:
   * whether the domain has compiled code.
   */
  constructor(private readonly staticEnd: () => number, private readonly domainSyms: number, private readonly domainVars: number,
    private readonly jit: boolean) {}

  /** The symbols a call's layout has room for, from the hints. */
  symCap(): number { return this.domainSyms + this.hints.extraSyms; }

  /** The layout of a call, sized from the hints. */
  forCall(): Layout {
    const h = this.hints;
    return this.layout(this.symCap(), h.entries, this.domainVars + h.vars, h.denseK);
  }

  /** Makes room for nsyms symbols next time (a problem brought more than the hints allowed). */
  fitSymbols(nsyms: number): void {
    this.hints.extraSyms = Math.max(this.hints.extraSyms * 2, (nsyms - this.domainSyms) * 2);
  }

  /** Regions an earlier call grew may not fit this call's memory limit: start again from the initial sizes. */
  fitLimit(maxMemory: number): void {
    if (this.grownEnd > maxMemory) { this.caps = { ...INITIAL_CAPS, trace: this.caps.trace }; this.grownEnd = 0; }
  }

  /** The layout for these sizes and the current capacities. */
  layout(nsyms: number, stateEntries: number, denseVars = 0, denseK = 0): Layout {
    // Compared field by field: this runs on every call, and a key array would be garbage each time.
    const c = this.caps, k = this.layoutKey;
    if (this.lastLayout && k[0] === nsyms && k[1] === stateEntries && k[2] === denseVars && k[3] === denseK && k[4] === c.slots
      && k[5] === c.trail && k[6] === c.choices && k[7] === c.vstack && k[8] === c.plan && k[9] === c.arena && k[10] === c.trace
      && k[11] === c.keys) return this.lastLayout;
    const dense = { vars: denseVars, k: denseK };
    const l = computeLayout({ staticEnd: this.staticEnd(), caps: c, nsyms, stateEntries, dense, jit: this.jit });
    this.lastSlots = l.slots;
    this.lastLayout = l;
    this.layoutKey = [nsyms, stateEntries, denseVars, denseK, c.slots, c.trail, c.choices, c.vstack, c.plan, c.arena, c.trace, c.keys];
    return l;
  }

  /** Doubles the region behind a space status (nsyms: symbols now interned); false when that would pass the memory limit. */
  grow(space: number, maxMemory: number, nsyms: number): boolean {
    const c = this.caps;
    const key: keyof Caps = space === ST.SPACE_SLOTS ? 'slots' : space === ST.SPACE_TRAIL ? 'trail' : space === ST.SPACE_CHOICES ? 'choices'
      : space === ST.SPACE_VSTACK ? 'vstack' : space === ST.SPACE_PLAN ? 'plan' : space === ST.SPACE_KEYS ? 'keys' : 'arena';
    const before = c[key];
    c[key] = before * 2;
    const l = this.layout(nsyms + 16, 0);
    if (l.end > maxMemory) { c[key] = before; return false; }
    this.grownEnd = Math.max(this.grownEnd, l.end);
    return true;
  }
}
