import type { CloudClients } from './clients';
import { explained } from './errors';
import { modelResourceName, withoutVersion } from './names';
import { retryRead } from './retry';
import { modelSummary, type ModelSummary } from './summaries';

/** One model version (the default one unless MODEL names @VERSION). */
export async function describeModel(clients: CloudClients, model: string, signal?: AbortSignal): Promise<ModelSummary> {
  const name = modelResourceName(clients.config, model);
  return explained({ action: `reading model ${name}`, config: clients.config }, async () => {
    const [found] = await retryRead(() => clients.models.getModel({ name }), { signal });
    return modelSummary(found);
  });
}

/** Every version of a model, oldest first. */
export async function listModelVersions(clients: CloudClients, model: string, signal?: AbortSignal): Promise<ModelSummary[]> {
  const name = withoutVersion(modelResourceName(clients.config, model));
  return explained({ action: `listing versions of ${name}`, config: clients.config }, async () => {
    const [versions] = await retryRead(() => clients.models.listModelVersions({ name }), { signal });
    return versions.map(modelSummary);
  });
}
