/**
 * One running body (function, action or method): its locals in nested
 * block scopes, the state it reads (an action's own copy, which it may
 * change), and the name errors mention.
 */
import type { DomainContext } from './domain-context.js';
import type { RefState } from './state.js';
import type { Value } from './values.js';

/**
 * The bindings of a method's `choose` statements for one run: the method is
 * run again for every combination, as GTPyhop would try one method per
 * binding. `preset[k]` is the index the k-th choose executed takes (0 past
 * the preset ones); `sizes` records each one's number of elements.
 */
export interface ChooseRun {
  preset: number[];
  taken: number[];
  sizes: number[];
}

/** A body's activation. */
export class Frame {
  private readonly scopes: Map<string, { value: Value }>[] = [new Map()];

  constructor(
    readonly ctx: DomainContext,
    readonly state: RefState,
    /** The function, action or method running: the name in error messages. */
    readonly fn: string,
    readonly kind: 'function' | 'action' | 'method',
    /** Nesting of helper calls, for runaway recursion. */
    readonly callDepth: number,
    readonly choose?: ChooseRun,
  ) {}

  /** The innermost local of that name, if any. */
  lookup(name: string): { value: Value } | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** `let name = value` (also parameters, loop and choose variables) in the innermost scope. */
  declare(name: string, value: Value): void { this.scopes[this.scopes.length - 1].set(name, { value }); }

  /** Enters a block. */
  push(): void { this.scopes.push(new Map()); }

  /** Leaves a block. */
  pop(): void { this.scopes.pop(); }
}
