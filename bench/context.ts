/**
 * The runner's side of BenchContext: compiled domains kept for the whole
 * run, and shared resources (servers, pools) closed as soon as the next
 * case does not use them, so that an idle server never competes for CPU.
 */
import { loadDomain, readBuiltinDomain, type DomainHandle } from '../server/src/planner/index.js';
import type { BenchContext, Resource } from './cases/case-types.js';

/** BenchContext with resource bookkeeping. */
export class RunContext implements BenchContext {
  private readonly domains = new Map<string, DomainHandle>();
  private readonly resources = new Map<string, Promise<Resource>>();
  private fresh = false;

  domain(name: string): DomainHandle {
    let d = this.domains.get(name);
    if (!d) {
      const src = readBuiltinDomain(name);
      d = loadDomain(src.text, { file: src.file });
      this.domains.set(name, d);
    }
    return d;
  }

  resource<T extends Resource>(key: string, create: () => Promise<T>): Promise<T> {
    let r = this.resources.get(key);
    if (!r) {
      this.fresh = true;
      r = create();
      // A failed start is not cached: the next case that needs it tries again.
      r.catch(() => this.resources.delete(key));
      this.resources.set(key, r);
    }
    return r as Promise<T>;
  }

  /** Whether a resource was created since the last call: a new server needs a longer warm-up (its JIT is cold). */
  takeFresh(): boolean {
    const f = this.fresh;
    this.fresh = false;
    return f;
  }

  /** Closes every resource except `keep`. */
  async releaseExcept(keep: string | undefined): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, r] of this.resources) {
      if (key === keep) continue;
      this.resources.delete(key);
      closing.push(r.then((x) => x.close(), () => undefined));
    }
    await Promise.all(closing);
  }

  /** Closes every resource. */
  closeAll(): Promise<void> {
    return this.releaseExcept(undefined);
  }
}
