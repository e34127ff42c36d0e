import type { CloudClients } from './clients';
import { explained } from './errors';
import { retryRead } from './retry';
import { endpointSummary, type EndpointSummary } from './summaries';

export async function listEndpoints(clients: CloudClients, options: { displayName?: string; signal?: AbortSignal } = {}): Promise<EndpointSummary[]> {
  const filter = options.displayName ? `display_name="${options.displayName.replace(/"/g, '\\"')}"` : undefined;
  return explained({ action: 'listing endpoints', config: clients.config }, async () => {
    const [endpoints] = await retryRead(() => clients.endpoints.listEndpoints({ parent: clients.parent, filter }), { signal: options.signal });
    return endpoints.map(endpointSummary);
  });
}
