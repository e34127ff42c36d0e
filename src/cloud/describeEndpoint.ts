import type { CloudClients } from './clients';
import { explained } from './errors';
import { endpointResourceName } from './names';
import { retryRead } from './retry';
import { endpointSummary, type EndpointSummary } from './summaries';

/** An endpoint with its deployed models, traffic, machines, replicas and etag. */
export async function describeEndpoint(clients: CloudClients, endpoint: string, signal?: AbortSignal): Promise<EndpointSummary> {
  const name = endpointResourceName(clients.config, endpoint);
  return explained({ action: `reading endpoint ${name}`, config: clients.config }, async () => {
    const [found] = await retryRead(() => clients.endpoints.getEndpoint({ name }), { signal });
    return endpointSummary(found);
  });
}
