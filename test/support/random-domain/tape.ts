/**
 * A tape of random choices that a builder reads one at a time. fast-check
 * generates and shrinks the tape (an array of naturals); the builder turns
 * it into a domain deterministically. Reading past the end gives 0, and
 * every choice puts its simplest option at 0, so a shrunk (shorter, smaller)
 * tape builds a simpler domain, and any tape builds a valid one.
 */
export class Tape {
  private at = 0;
  constructor(private readonly words: readonly number[]) {}

  /** A choice among n options, 0..n-1. */
  pick(n: number): number {
    const w = this.at < this.words.length ? this.words[this.at] : 0;
    this.at++;
    return n <= 1 ? 0 : w % n;
  }

  /** True with about pct percent probability (false when the tape is exhausted). */
  chance(pct: number): boolean { return this.pick(100) >= 100 - pct; }

  /** One of the options. */
  one<T>(options: readonly T[]): T { return options[this.pick(options.length)]; }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number { return lo + this.pick(hi - lo + 1); }

  /** A list of count (from [lo, hi]) items made by f. */
  many<T>(lo: number, hi: number, f: (i: number) => T): T[] {
    const n = this.int(lo, hi);
    return Array.from({ length: n }, (_, i) => f(i));
  }

  /**
   * A weighted choice: the options' weights, the first one taken when the
   * tape is exhausted. Returns the index.
   */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.pick(total);
    for (let i = 0; i < weights.length; i++) { if (r < weights[i]) return i; r -= weights[i]; }
    return 0;
  }
}
