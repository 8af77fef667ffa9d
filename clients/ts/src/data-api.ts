/** DataService, typed: the plan history and the data backend's status. */
import { GetDataStatusRequest, ListPlanHistoryRequest, type DataServiceClient, type GetDataStatusResponse, type PlanRecord } from './gen/aria/data/v1/data.js';
import { unaryCall, type CallSettings } from './call-settings.js';

export type { PlanRecord };

/** Which planning calls to list. */
export interface PlanHistoryQuery {
  /** At most this many (the server's default when left out). */
  limit?: number;
  /** Only records older than this (milliseconds since the epoch): the next page. */
  beforeUnixMs?: number;
  domainName?: string;
}

/** The calls of aria.data.v1.DataService. */
export class DataApi {
  /** @param raw the generated client; @param deadlineMs the default deadline */
  constructor(readonly raw: DataServiceClient, private readonly deadlineMs?: number) {}

  /** Recorded planning calls, newest first. */
  async listPlanHistory(query: PlanHistoryQuery = {}, settings: CallSettings = {}): Promise<PlanRecord[]> {
    return (await unaryCall(this.raw, this.raw.listPlanHistory, ListPlanHistoryRequest.fromPartial(query), settings, this.deadlineMs)).records;
  }

  /** The data backend ("postgres" or "pglite"), its schema and version. */
  async status(settings: CallSettings = {}): Promise<GetDataStatusResponse> {
    return unaryCall(this.raw, this.raw.getDataStatus, GetDataStatusRequest.fromPartial({}), settings, this.deadlineMs);
  }
}
