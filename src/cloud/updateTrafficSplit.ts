import type { CloudClients } from './clients';
import { describeEndpoint } from './describeEndpoint';
import { Code, CloudUserError, explainError, grpcCode, serverMessage } from './errors';
import { endpointResourceName } from './names';
import { SINGLE_ATTEMPT } from './retry';
import { endpointSummary, type EndpointSummary } from './summaries';
import { checkSplit, formatSplit, type TrafficSplit } from '../shared/traffic';

/** Someone else changed the endpoint between our read and our write; nothing was overwritten. */
export class TrafficConflictError extends CloudUserError {
  constructor(
    message: string,
    /** The endpoint as it is now. */
    readonly current: EndpointSummary,
  ) {
    super(message, 'ABORTED');
  }
}

export interface UpdateTrafficOptions {
  /** The etag of the endpoint as the user last saw it; default: read it now. */
  etag?: string;
  signal?: AbortSignal;
}

/**
 * Sets the traffic split with update mask `traffic_split` and the endpoint's
 * etag, so a concurrent change is reported instead of overwritten. Never
 * retried: the caller decides after seeing the new state.
 */
export async function updateTrafficSplit(clients: CloudClients, endpoint: string, split: TrafficSplit, options: UpdateTrafficOptions = {}): Promise<EndpointSummary> {
  const name = endpointResourceName(clients.config, endpoint);
  const current = await describeEndpoint(clients, name, options.signal);
  checkSplit(split, current.deployedModels.map((d) => d.id));
  const etag = options.etag ?? current.etag;
  const fullSplit = Object.fromEntries(current.deployedModels.map((d) => [d.id, split[d.id] ?? 0]));
  try {
    const [updated] = await clients.endpoints.updateEndpoint(
      { endpoint: { name, trafficSplit: fullSplit, etag }, updateMask: { paths: ['traffic_split'] } },
      SINGLE_ATTEMPT,
    );
    return endpointSummary(updated);
  } catch (error) {
    if (grpcCode(error) === Code.ABORTED || (grpcCode(error) === Code.FAILED_PRECONDITION && /etag/i.test(serverMessage(error)))) {
      const now = await describeEndpoint(clients, name, options.signal);
      throw new TrafficConflictError(
        `Endpoint ${current.id} changed since it was read (etag ${etag}), so the split ${formatSplit(split)} was not applied; ` +
          `its traffic is now ${formatSplit(now.trafficSplit)} (etag ${now.etag}): review it and run the update again`,
        now,
      );
    }
    throw explainError(error, { action: `updating the traffic split of endpoint ${current.id}`, config: clients.config });
  }
}
