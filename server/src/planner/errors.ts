/**
 * The planner library's errors, members of the one family in
 * core/errors.ts (a malformed problem is core's InvalidArgumentError).
 */
import { AriaError, ErrorCode } from '../core/errors.js';
import type { LimitKind, PlanStats } from './types.js';

/** A domain that does not parse, validate or compile. `where` names the place. */
export class DomainError extends AriaError {
  /** `file:line:col` for text, or a path such as `tasks[2].methods[0]` for data. */
  readonly where: string;
  constructor(where: string, message: string) {
    super(ErrorCode.InvalidArgument, where ? `${where}: ${message}` : message);
    this.name = 'DomainError';
    this.where = where;
  }
}

/** Planning found a bug in the domain (PlanResult status `error`). */
export class PlanningError extends AriaError {
  /** The counters of the failed call. */
  readonly stats?: PlanStats;
  constructor(message: string, stats?: PlanStats) {
    super(ErrorCode.FailedPrecondition, message);
    this.name = 'PlanningError';
    this.stats = stats;
  }
}

/** A per-call planner limit stopped the search (PlanResult status `limit`). */
export class LimitError extends AriaError {
  /** Which limit. */
  readonly limit: LimitKind;
  /** The counters of the stopped call. */
  readonly stats?: PlanStats;
  constructor(limit: LimitKind, message: string, stats?: PlanStats) {
    super(limit === 'deadline' ? ErrorCode.DeadlineExceeded : limit === 'cancelled' ? ErrorCode.Cancelled : ErrorCode.ResourceExhausted, message);
    this.name = 'LimitError';
    this.limit = limit;
    this.stats = stats;
  }
}
