/**
 * The registered domains: validated and compiled once on registration,
 * named by content hash (id), by name (latest version) or by name@version,
 * kept in a DomainStore so that they survive a restart. The example domains
 * that ship with the library are registered at startup.
 */
import type { Domain } from '../planner/ast.js';
import { PlanInputError } from '../planner/errors.js';
import type { DomainStore, StoredDomain } from './domain-store.js';
import { NotFoundError, PreconditionError } from './errors.js';
import type { PlannerLibrary } from './planner-library.js';

/** Where the registry reports what it skipped; a pino logger fits. */
export interface RegistryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** One registered domain version. */
export interface DomainEntry {
  /** Hex sha-256 of the canonical domain. */
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly builtin: boolean;
  readonly createdUnixMs: number;
  readonly domain: Domain;
  /** The source text, when registered as text. */
  readonly text?: string;
  /** The domain model as JSON, serialized once for the planner workers. */
  readonly domainJson: string;
}

/** What RegisterDomain receives: text (with the file name its errors use) or a domain model. */
export type DomainSource = { text: string; file?: string } | { domain: Domain };

const ID_PATTERN = /^[0-9a-f]{64}$/;

/** The registry of domains; one per server. */
export class DomainRegistry {
  private readonly byId = new Map<string, DomainEntry>();
  /** Versions of each name, ascending. */
  private readonly byName = new Map<string, DomainEntry[]>();
  /** Registrations and deletions run one at a time, so versions never race. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly library: PlannerLibrary,
    private readonly store: DomainStore,
    private readonly log: RegistryLog,
  ) {}

  /** Loads the stored domains, then registers the built-in examples. */
  static async open(library: PlannerLibrary, store: DomainStore, log: RegistryLog): Promise<DomainRegistry> {
    const registry = new DomainRegistry(library, store, log);
    const records = await store.loadAll((where, error) => log.warn({ where, err: error }, 'skipping an unreadable stored domain'));
    for (const record of records.sort((a, b) => a.version - b.version)) {
      try {
        await registry.restore(record);
      } catch (err) {
        log.warn({ id: record.id, domain: record.name, err }, 'skipping a stored domain that no longer loads');
      }
    }
    for (const name of await library.builtinDomainNames()) {
      try {
        const { text, file } = await library.readBuiltinDomain(name);
        await registry.add({ text, file: file ?? `${name}.aria` }, { builtin: true, persist: false });
      } catch (err) {
        log.warn({ domain: name, err }, 'skipping a built-in domain that does not load');
      }
    }
    return registry;
  }

  /**
   * Validates, compiles and registers a domain. Idempotent: content that is
   * already registered returns the existing entry with `created: false`.
   * Throws DomainError (malformed domain).
   */
  register(source: DomainSource): Promise<{ entry: DomainEntry; created: boolean }> {
    return this.serialized(() => this.add(source, { builtin: false, persist: true }));
  }

  /**
   * The entry a reference names: a 64-hex id, name@version, or a name (its
   * latest version). Throws PlanInputError for an empty reference and
   * NotFoundError when nothing matches.
   */
  resolve(ref: string, field = 'domain'): DomainEntry {
    if (!ref) throw new PlanInputError(field, 'must name a domain (an id, a name or name@version)');
    if (ID_PATTERN.test(ref)) {
      const entry = this.byId.get(ref);
      if (entry) return entry;
      throw new NotFoundError(`no domain with id ${ref}`);
    }
    const at = ref.lastIndexOf('@');
    if (at > 0) {
      const name = ref.slice(0, at);
      const version = Number(ref.slice(at + 1));
      const entry = this.byName.get(name)?.find((e) => e.version === version);
      if (entry) return entry;
      throw new NotFoundError(`no domain ${JSON.stringify(name)} with version ${ref.slice(at + 1)}`);
    }
    const versions = this.byName.get(ref);
    if (versions?.length) return versions[versions.length - 1];
    throw new NotFoundError(`no domain named ${JSON.stringify(ref)}`);
  }

  /** The entries, ordered by name then version; only those of `name` when given. */
  list(name?: string): DomainEntry[] {
    if (name) return [...(this.byName.get(name) ?? [])];
    return [...this.byName.keys()].sort().flatMap((n) => this.byName.get(n) ?? []);
  }

  /**
   * Deletes what a reference names (a bare name: all its versions). Built-in
   * domains cannot be deleted (PreconditionError).
   */
  delete(ref: string): Promise<DomainEntry[]> {
    return this.serialized(async () => {
      const targets = ID_PATTERN.test(ref) || ref.lastIndexOf('@') > 0 ? [this.resolve(ref)] : this.resolveAllVersions(ref);
      const builtin = targets.find((e) => e.builtin);
      if (builtin) throw new PreconditionError(`domain ${builtin.name}@${builtin.version} is built in and cannot be deleted`);
      for (const entry of targets) {
        await this.store.remove(entry.id);
        this.forget(entry);
      }
      return targets;
    });
  }

  private resolveAllVersions(name: string): DomainEntry[] {
    this.resolve(name);
    return [...(this.byName.get(name) ?? [])];
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async restore(record: StoredDomain): Promise<void> {
    const src: DomainSource = record.text !== undefined ? { text: record.text, file: record.file } : { domain: record.domain as Domain };
    const { entry } = await this.add(src, { builtin: false, persist: false, version: record.version, createdUnixMs: record.createdUnixMs });
    if (entry.id !== record.id) this.log.warn({ stored: record.id, now: entry.id, domain: record.name }, 'a stored domain now has another id');
  }

  private async add(
    source: DomainSource,
    how: { builtin: boolean; persist: boolean; version?: number; createdUnixMs?: number },
  ): Promise<{ entry: DomainEntry; created: boolean }> {
    const handle = await ('text' in source
      ? this.library.loadDomain(source.text, { file: source.file || '<text>' })
      : this.library.loadDomain(source.domain));
    // The main thread only validates; the workers compile their own instances.
    const { hash: id, name, domain } = handle;
    handle.dispose?.();
    const existing = this.byId.get(id);
    if (existing) {
      if (how.builtin && !existing.builtin) this.replace(existing, { ...existing, builtin: true });
      return { entry: this.byId.get(id) as DomainEntry, created: false };
    }
    const versions = this.byName.get(name) ?? [];
    const taken = (v: number) => versions.some((e) => e.version === v);
    const last = versions.length ? versions[versions.length - 1].version : 0;
    const version = how.version !== undefined && !taken(how.version) ? how.version : how.builtin && !taken(1) ? 1 : last + 1;
    const text = 'text' in source ? source.text : undefined;
    const entry: DomainEntry = {
      id, name, version, builtin: how.builtin, createdUnixMs: how.createdUnixMs ?? Date.now(), domain, text, domainJson: JSON.stringify(domain),
    };
    if (how.persist) {
      await this.store.save({
        id, name, version, createdUnixMs: entry.createdUnixMs, text, file: 'text' in source ? source.file : undefined, domain: text === undefined ? domain : undefined,
      });
    }
    this.byId.set(id, entry);
    this.byName.set(name, [...versions, entry].sort((a, b) => a.version - b.version));
    return { entry, created: true };
  }

  private replace(old: DomainEntry, next: DomainEntry): void {
    this.byId.set(next.id, next);
    this.byName.set(next.name, (this.byName.get(next.name) ?? []).map((e) => (e === old ? next : e)));
  }

  private forget(entry: DomainEntry): void {
    this.byId.delete(entry.id);
    const rest = (this.byName.get(entry.name) ?? []).filter((e) => e !== entry);
    if (rest.length) this.byName.set(entry.name, rest);
    else this.byName.delete(entry.name);
  }
}
