/**
 * What keeps garbage collection from removing a chunk that a put is using.
 *
 * The rule: a put (PutAsset, PutAssetIndex, PutChunks) pins each chunk id
 * before it looks for the chunk in the store, and keeps the pins until its
 * version is committed (or it fails). A collection removes a chunk only
 * when (1) no index in the database referenced it when the collection
 * began, (2) it was not pinned at any moment since the collection began,
 * and (3) its file is older than the grace period (chunks uploaded by
 * PutChunks, or found by MissingChunks, are not pinned across calls; their
 * fresh mtime covers the time until the client's PutAssetIndex).
 *
 * Why (2) says "at any moment since": a put that commits after the
 * collection read the database held its pins across that read or took
 * them later, so every chunk of a version the mark did not see was pinned
 * during the collection. Pin, check and removal run on one thread, so a
 * pin and the collection's decision to remove a chunk cannot interleave;
 * a put that pins a chunk while its removal is under way waits for the
 * removal ({@link ChunkGuard.settled}) and then writes the chunk again.
 * One process owns a store: pins live in memory (the data folder's lock
 * keeps a second server off it).
 */

/** The pins of one operation; release them when its version is committed or it failed. */
export interface ChunkLease {
  /** Pins a chunk id (hex) for this operation; pinning twice is harmless. */
  pin(hex: string): void;
  /** Resolves when no removal of this chunk is under way (call after pin, before looking in the store). */
  settled(hex: string): Promise<void>;
  /** Drops every pin of this lease. */
  release(): void;
}

/** Pins, and the collection that respects them. */
export class ChunkGuard {
  private readonly pins = new Map<string, number>();
  private readonly removing = new Map<string, Promise<unknown>>();
  /** Every id pinned since the running collection began; null when none runs. */
  private pinnedDuringCollection: Set<string> | null = null;

  /** A new lease. */
  lease(): ChunkLease {
    const mine = new Set<string>();
    return {
      pin: (hex) => {
        if (mine.has(hex)) return;
        mine.add(hex);
        this.pins.set(hex, (this.pins.get(hex) ?? 0) + 1);
        this.pinnedDuringCollection?.add(hex);
      },
      settled: async (hex) => {
        await this.removing.get(hex);
      },
      release: () => {
        for (const hex of mine) {
          const n = (this.pins.get(hex) ?? 1) - 1;
          if (n <= 0) this.pins.delete(hex);
          else this.pins.set(hex, n);
        }
        mine.clear();
      },
    };
  }

  /** Ids pinned now (tests and logs). */
  get pinned(): number {
    return this.pins.size;
  }

  /** Whether a collection is running. */
  get collecting(): boolean {
    return this.pinnedDuringCollection !== null;
  }

  /** Starts a collection: call before reading the database. False when one is running already. */
  beginCollection(): boolean {
    if (this.pinnedDuringCollection) return false;
    this.pinnedDuringCollection = new Set(this.pins.keys());
    return true;
  }

  /**
   * Whether the running collection may remove this chunk as far as pins go;
   * when it may, `remove` starts at once (same turn, so no pin can slip in
   * between) and puts that pin the chunk meanwhile wait for it.
   */
  removeUnlessPinned<T>(hex: string, remove: () => Promise<T>): Promise<T> | undefined {
    if (this.pins.has(hex) || this.pinnedDuringCollection?.has(hex)) return undefined;
    const run = remove();
    const done = run.then(() => undefined, () => undefined).finally(() => this.removing.delete(hex));
    this.removing.set(hex, done);
    return run;
  }

  /** Whether the running collection must keep this chunk for its pins (a dry run's question). */
  pinnedNow(hex: string): boolean {
    return this.pins.has(hex) || (this.pinnedDuringCollection?.has(hex) ?? false);
  }

  /** Ends the running collection. */
  endCollection(): void {
    this.pinnedDuringCollection = null;
  }
}
