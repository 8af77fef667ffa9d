/**
 * A small least-recently-used map: the compiled domains a planner thread
 * keeps (each worker's, and the main thread's for inline planning). Past
 * `size` entries the oldest goes, handed to `evict` (which frees its engine).
 */
export class LruCache<V> {
  /** Entries by key, least recently used first (a Map keeps insertion order). */
  private readonly entries = new Map<string, V>();

  constructor(private readonly size: number, private readonly evict: (value: V) => void) {}

  /** The key used last: asking for it again moves nothing. */
  private newest: string | undefined;

  /** The value of key, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const v = this.entries.get(key);
    // Re-inserting into a long-lived Map makes it grow new tables in the old
    // generation: on every call to a busy server's one hot domain, that was
    // most of the garbage a small Plan call left for the major collector.
    if (v !== undefined && key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, v);
      this.newest = key;
    }
    return v;
  }

  /** Adds key, evicting the oldest entries past the size. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    while (this.entries.size > this.size) {
      const [oldest, old] = this.entries.entries().next().value as [string, V];
      this.entries.delete(oldest);
      this.evict(old);
    }
  }

  /** Evicts every entry. */
  clear(): void {
    for (const v of this.entries.values()) this.evict(v);
    this.entries.clear();
    this.newest = undefined;
  }
}
