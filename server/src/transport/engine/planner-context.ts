/** What every PlannerService handler shares within one server. */
import type { PlannerService, PlanObserver } from '../../services/engine/index.js';
import type { ServerContext } from '../handler.js';

/** Shared by the PlannerService handlers of one server. */
export interface PlannerContext extends ServerContext {
  service: PlannerService;
  /** Problems of one PlanStream planned at the same time (reading pauses beyond it). */
  streamWindow: number;
  /** Told about each planning call's outcome (plan history). */
  observe?: PlanObserver;
}
