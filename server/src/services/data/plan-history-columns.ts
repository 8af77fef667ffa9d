/**
 * Plan records waiting to be written, kept column by column. A busy server
 * queues thousands between two writes; as objects (each with its boxed
 * numbers) they would live through several young-generation collections,
 * and copying them made every such collection several times slower. As
 * columns a record costs a few array slots and no objects of its own.
 */

/** The queued records, oldest first. */
export class RecordColumns {
  /** Given when a batch is formed (undefined before). */
  id: (string | undefined)[] = [];
  createdUnixMs: number[] = [];
  username: string[] = [];
  method: string[] = [];
  domainId: string[] = [];
  domainName: string[] = [];
  status: string[] = [];
  planLength: number[] = [];
  durationMs: number[] = [];

  /** Records queued. */
  get length(): number {
    return this.createdUnixMs.length;
  }

  /** Queues one record at time `createdUnixMs`. */
  push(r: PlanRecordInput, createdUnixMs: number): void {
    this.id.push(undefined);
    this.createdUnixMs.push(createdUnixMs);
    this.username.push(r.username);
    this.method.push(r.method);
    this.domainId.push(r.domainId);
    this.domainName.push(r.domainName);
    this.status.push(r.status);
    this.planLength.push(r.planLength);
    this.durationMs.push(r.durationMs);
  }

  /** Removes the `n` oldest records and returns them. */
  take(n: number): RecordColumns {
    const out = new RecordColumns();
    for (const k of COLUMNS) (out[k] as unknown[]) = (this[k] as unknown[]).splice(0, n);
    return out;
  }

  /** Puts `batch` back in front (a write that failed). */
  putBack(batch: RecordColumns): void {
    for (const k of COLUMNS) (this[k] as unknown[]) = (batch[k] as unknown[]).concat(this[k] as unknown[]);
  }
}

const COLUMNS = ['id', 'createdUnixMs', 'username', 'method', 'domainId', 'domainName', 'status', 'planLength', 'durationMs'] as const;

/** One planning call, as the planner service reports it. */
export interface PlanRecordInput {
  username: string;
  /** Plan, PlanStream, Trace or Act. */
  method: string;
  domainId: string;
  domainName: string;
  /** plan, no_plan, error, limit */
  status: string;
  planLength: number;
  durationMs: number;
}
