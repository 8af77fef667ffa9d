/** What the workflow service is opened with and what its calls take. */
import type { Database } from '../data/index.js';
import type { CommandConfig } from './commands.js';

/** How the service is opened. */
export interface WorkflowOptions {
  readonly db: Database;
  readonly commands?: CommandConfig;
  /** Repairs a run may make before it fails (default 3). */
  readonly maxRepairs?: number;
  /** Told of each command as it starts (tests count re-runs with it). */
  readonly onCommand?: (runId: string, stepIndex: number, command: string) => void;
  /** Told of a run loop's unexpected failure (a lost database). */
  readonly onError?: (err: unknown, runId: string) => void;
}

/** What StartRun takes. */
export interface StartRun {
  readonly sop: string;
  /** 0: the latest. */
  readonly revision?: number;
  /** Values added to the SOP's initial state. */
  readonly state?: Record<string, unknown>;
  readonly owner?: string;
}

/** A person's answer to an approval step. */
export interface Approval {
  readonly runId: string;
  readonly stepIndex: number;
  readonly approved: boolean;
  readonly by: string;
  readonly comment?: string;
}
