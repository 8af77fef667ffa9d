/** The DataService gRPC adapter: plan history and the database's state. */
import type { DataServiceServer } from '../../../../gen/ts/aria/data/v1/data.js';
import { authedUnary, type ServerContext } from '../handler.js';
import type { Database, PlanHistory } from '../../services/data/index.js';
import { schemaVersion } from '../../services/data/index.js';

/** The handlers of aria.data.v1.DataService. */
export function dataServiceHandlers(db: Database, history: PlanHistory, ctx: ServerContext): DataServiceServer {
  return {
    listPlanHistory: authedUnary(ctx, 'ListPlanHistory', async (req) => ({
      records: await history.list({ limit: req.limit, beforeUnixMs: req.beforeUnixMs, domainName: req.domainName }),
    })),
    getDataStatus: authedUnary(ctx, 'GetDataStatus', async () => ({ backend: db.kind, schemaVersion: await schemaVersion(db), schema: db.schema })),
  };
}
