import type { CloudClients } from './clients';
import { explained } from './errors';
import { retryRead } from './retry';
import { modelSummary, type ModelSummary } from './summaries';

/** Models in the project and region (their default versions), optionally filtered by display name. */
export async function listModels(clients: CloudClients, options: { displayName?: string; signal?: AbortSignal } = {}): Promise<ModelSummary[]> {
  const filter = options.displayName ? `display_name="${options.displayName.replace(/"/g, '\\"')}"` : undefined;
  return explained({ action: 'listing models', config: clients.config }, async () => {
    const [models] = await retryRead(() => clients.models.listModels({ parent: clients.parent, filter }), { signal: options.signal });
    return models.map(modelSummary);
  });
}
