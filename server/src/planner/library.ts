/**
 * The part of the planner library the service uses, as an interface, so
 * that the registry and the worker pool can be exercised with a stand-in.
 */
import type { Domain } from './language/ast.js';
import type { JsonState, JsonValue, PlanOptions, PlanResult, Problem } from './types.js';

/** A loaded domain (the library's DomainHandle). */
export interface DomainHandleLike {
  /** The domain's name. */
  readonly name: string;
  /** Hex sha-256 of the canonical domain. */
  readonly hash: string;
  /** The domain model. */
  readonly domain: Domain;
  /** Plans one problem, synchronously. */
  plan(problem: Problem, options?: PlanOptions): PlanResult;
  /** Frees the engine instance. */
  dispose?(): void;
  /** Applies one command or action to a state (the acting step); false when it is not applicable. `actionsFirst`: the action before the command of that name. */
  execute?(command: JsonValue[], state: JsonState, actionsFirst?: boolean): JsonState | false;
}

/** The library entry points the service needs. */
export interface PlannerLibrary {
  /** Parses (text), validates and compiles a domain; throws DomainError. */
  loadDomain(source: string | Domain, opts?: { file?: string }): DomainHandleLike | Promise<DomainHandleLike>;
  /** The names of the example domains that ship with the planner. */
  builtinDomainNames(): string[] | Promise<string[]>;
  /** The text of one example domain and the file it came from. */
  readBuiltinDomain(name: string): { text: string; file?: string } | Promise<{ text: string; file?: string }>;
}

/** The module that holds the real library, relative to this file; workers import it by URL. */
export const DEFAULT_LIBRARY_URL = new URL('./index.js', import.meta.url).href;

/** Imports a library module (the real one by default). */
export async function importLibrary(url: string = DEFAULT_LIBRARY_URL): Promise<PlannerLibrary> {
  return (await import(url)) as PlannerLibrary;
}
