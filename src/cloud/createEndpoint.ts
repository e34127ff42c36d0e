import type { CloudClients } from './clients';
import { explained } from './errors';
import { operationName, waitForOperation, type OperationsClientLike, type WaitOptions } from './operations';
import { endpointSummary, type EndpointSummary } from './summaries';

export interface CreateEndpointOptions {
  displayName: string;
  description?: string;
  labels?: Record<string, string>;
  /** Caller-chosen ID; Vertex AI picks one when omitted. */
  endpointId?: string;
}

export async function createEndpoint(clients: CloudClients, options: CreateEndpointOptions, wait: WaitOptions = {}): Promise<EndpointSummary> {
  const context = { action: `creating endpoint "${options.displayName}"`, config: clients.config };
  const operation = await explained(context, async () => {
    const [lro] = await clients.endpoints.createEndpoint({
      parent: clients.parent,
      endpointId: options.endpointId,
      endpoint: { displayName: options.displayName, description: options.description, labels: options.labels },
    });
    return operationName(lro);
  });
  const endpoint = await waitForOperation<Parameters<typeof endpointSummary>[0]>(
    clients.endpoints as unknown as OperationsClientLike,
    'createEndpoint',
    operation,
    context,
    wait,
  );
  return endpointSummary(endpoint);
}
