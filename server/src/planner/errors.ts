/**
 * Typed errors of the planner library. The gRPC layer maps each to a status
 * code in one place; nothing here knows about gRPC.
 */

/** A domain that does not parse, validate or compile. `where` names the place. */
export class DomainError extends Error {
  /** `file:line:col` for text, or a path such as `tasks[2].methods[0]` for data. */
  readonly where: string;
  constructor(where: string, message: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'DomainError';
    this.where = where;
  }
}

/** A malformed problem: state, todo list or options. `field` names the offending field. */
export class PlanInputError extends Error {
  /** The field at fault, such as `state.loc` or `todo[3]`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'PlanInputError';
    this.field = field;
  }
}
