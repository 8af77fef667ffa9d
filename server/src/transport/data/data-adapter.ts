/** The DataService gRPC adapter: plan history and the database's state. */
import type { DataServiceServer } from '../../../../gen/ts/aria/data/v1/data.js';
import { unary, type AdapterContext } from '../unary-handler.js';
import type { Database } from '../../services/data/database.js';
import { schemaVersion } from '../../services/data/migrate.js';
import type { PlanHistory } from '../../services/data/plan-history.js';

/** The handlers of aria.data.v1.DataService. */
export function dataServiceHandlers(db: Database, history: PlanHistory, ctx: AdapterContext): DataServiceServer {
  return {
    listPlanHistory: unary(ctx, 'ListPlanHistory', async (req) => ({
      records: await history.list({ limit: req.limit, beforeUnixMs: req.beforeUnixMs, domainName: req.domainName }),
    })),
    getDataStatus: unary(ctx, 'GetDataStatus', async () => ({ backend: db.kind, schemaVersion: await schemaVersion(db), schema: db.schema })),
  };
}
