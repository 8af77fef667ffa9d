/**
 * The registered domains: validated and compiled once on registration,
 * named by content hash (id), by name (latest version) or by name@version,
 * kept in a DomainStore so that they survive a restart. The example domains
 * that ship with the library are registered at startup.
 */
import type { Domain, PlannerLibrary } from '../../planner/index.js';
import { InvalidArgumentError, NotFoundError, PreconditionError } from '../../core/errors.js';
import type { DomainStore, StoredDomain } from './domain-store.js';

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

/** A domain parsed, validated and compiled: its id, name and model as JSON (and the model itself, when at hand). */
export interface LoadedDomain {
  hash: string;
  name: string;
  domainJson: string;
  domain?: Domain;
}

/** Loads a domain (the server's: on a pool worker, off the event loop). Throws DomainError. */
export type DomainLoader = (source: DomainSource, signal?: AbortSignal) => Promise<LoadedDomain>;

/** The registry's settings. */
export interface RegistryOptions {
  /** How domains are loaded (default: the library, on the calling thread). */
  load?: DomainLoader;
}

/** A loader that runs the library on the calling thread (tools and tests; the server loads on its pool). */
export function libraryLoader(library: PlannerLibrary): DomainLoader {
  return async (source) => {
    const handle = await ('text' in source
      ? library.loadDomain(source.text, { file: source.file || '<text>' })
      : library.loadDomain(source.domain));
    const { hash, name, domain } = handle;
    handle.dispose?.();
    return { hash, name, domain, domainJson: JSON.stringify(domain) };
  };
}

const ID_PATTERN = /^[0-9a-f]{64}$/;

/** The registry of domains; one per server. */
export class DomainRegistry {
  private readonly byId = new Map<string, DomainEntry>();
  /** Ids an earlier server version gave stored domains, to their entries. */
  private readonly aliases = new Map<string, DomainEntry>();
  /** Versions of each name, ascending. */
  private readonly byName = new Map<string, DomainEntry[]>();
  /** Registrations and deletions run one at a time, so versions never race. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly load: DomainLoader,
    private readonly store: DomainStore,
    private readonly log: RegistryLog,
  ) {}

  /**
   * Loads the stored domains, then registers the built-in examples. The
   * loads run at once (on the pool's workers, with the server's loader);
   * they are added in version order.
   */
  static async open(library: PlannerLibrary, store: DomainStore, log: RegistryLog, options: RegistryOptions = {}): Promise<DomainRegistry> {
    const registry = new DomainRegistry(options.load ?? libraryLoader(library), store, log);
    const records = await store.loadAll((where, error) => log.warn({ where, err: error }, 'skipping an unreadable stored domain'));
    const sorted = records.sort((a, b) => a.version - b.version);
    const loads = sorted.map((record) => settle(registry.load(sourceOf(record))));
    for (const [i, record] of sorted.entries()) {
      const loaded = await loads[i];
      try {
        if ('err' in loaded) throw loaded.err;
        registry.restore(record, loaded.ok);
      } catch (err) {
        log.warn({ id: record.id, domain: record.name, err }, 'skipping a stored domain that no longer loads');
      }
    }
    const names = await library.builtinDomainNames();
    const builtins = names.map(async (name) => {
      const { text, file } = await library.readBuiltinDomain(name);
      const source = { text, file: file ?? `${name}.aria` };
      return { source, loaded: await registry.load(source) };
    });
    for (const [i, pending] of builtins.map(settle).entries()) {
      const r = await pending;
      if ('err' in r) log.warn({ domain: names[i], err: r.err }, 'skipping a built-in domain that does not load');
      else await registry.add(r.ok.source, r.ok.loaded, { builtin: true, persist: false });
    }
    return registry;
  }

  /**
   * Validates, compiles and registers a domain. Idempotent: content that is
   * already registered returns the existing entry with `created: false`.
   * Throws DomainError (malformed domain). Loading runs outside the
   * registry's queue (several at once); only adding is serialized.
   */
  async register(source: DomainSource, signal?: AbortSignal): Promise<{ entry: DomainEntry; created: boolean }> {
    const loaded = await this.load(source, signal);
    return this.serialized(() => this.add(source, loaded, { builtin: false, persist: true }));
  }

  /**
   * The entry a reference names: a 64-hex id, name@version, or a name (its
   * latest version). Throws InvalidArgumentError for an empty reference and
   * NotFoundError when nothing matches.
   */
  resolve(ref: string, field = 'domain'): DomainEntry {
    if (!ref) throw new InvalidArgumentError(field, 'must name a domain (an id, a name or name@version)');
    if (ID_PATTERN.test(ref)) {
      const entry = this.byId.get(ref) ?? this.aliases.get(ref);
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

  /**
   * Adds a stored domain. An id computed by an earlier server version (one
   * that hashed the model's keys in the order the database gave them back)
   * stays an alias of the entry, so a client's id keeps working.
   */
  private restore(record: StoredDomain, loaded: LoadedDomain): void {
    const { entry } = this.addNow(sourceOf(record), loaded, { builtin: false, persist: false, version: record.version, createdUnixMs: record.createdUnixMs });
    if (entry.id !== record.id) {
      this.aliases.set(record.id, entry);
      this.log.info({ stored: record.id, now: entry.id, domain: record.name }, 'a stored domain\'s earlier id is kept as an alias');
    }
  }

  private async add(
    source: DomainSource,
    loaded: LoadedDomain,
    how: { builtin: boolean; persist: boolean; version?: number; createdUnixMs?: number },
  ): Promise<{ entry: DomainEntry; created: boolean }> {
    const out = this.addNow(source, loaded, { ...how, persist: false });
    if (how.persist && out.created) {
      const { entry } = out;
      try {
        await this.store.save({
          id: entry.id, name: entry.name, version: entry.version, createdUnixMs: entry.createdUnixMs, text: entry.text,
          file: 'text' in source ? source.file : undefined, domain: entry.text === undefined ? entry.domain : undefined,
        });
      } catch (err) {
        // Not stored, so not registered: a client that saw an error must not find it planned with after a restart either.
        this.forget(entry);
        throw err;
      }
    }
    return out;
  }

  private addNow(
    source: DomainSource,
    loaded: LoadedDomain,
    how: { builtin: boolean; persist: boolean; version?: number; createdUnixMs?: number },
  ): { entry: DomainEntry; created: boolean } {
    const { hash: id, name } = loaded;
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
    const entry = makeEntry({ id, name, version, builtin: how.builtin, createdUnixMs: how.createdUnixMs ?? Date.now(), text, domainJson: loaded.domainJson }, loaded.domain);
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
    for (const [alias, e] of this.aliases) if (e.id === entry.id) this.aliases.delete(alias);
    const rest = (this.byName.get(entry.name) ?? []).filter((e) => e !== entry);
    if (rest.length) this.byName.set(entry.name, rest);
    else this.byName.delete(entry.name);
  }
}

/** The source a stored record is loaded from. */
function sourceOf(record: StoredDomain): DomainSource {
  return record.text !== undefined ? { text: record.text, file: record.file } : { domain: record.domain as Domain };
}

/** A promise's outcome, so that loads started together can be awaited one by one without unhandled rejections. */
function settle<T>(p: Promise<T>): Promise<{ ok: T } | { err: unknown }> {
  return p.then((ok) => ({ ok }), (err: unknown) => ({ err }));
}

/** An entry whose model is parsed from its JSON only when first asked for (a domain loaded on a worker arrives as JSON). */
function makeEntry(fields: Omit<DomainEntry, 'domain'>, domain?: Domain): DomainEntry {
  let model = domain;
  return Object.freeze({
    ...fields,
    get domain(): Domain {
      model ??= JSON.parse(fields.domainJson) as Domain;
      return model;
    },
  });
}
