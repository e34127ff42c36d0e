import type { CloudClients } from './clients';
import { describeEndpoint } from './describeEndpoint';
import { CloudUserError, explained } from './errors';
import { endpointResourceName } from './names';
import { operationName, waitForOperation, type OperationsClientLike, type WaitOptions } from './operations';
import { undeployModel } from './undeployModel';

export interface DeleteEndpointOptions {
  /** Undeploy every model first (they bill while deployed); otherwise a deployed endpoint is refused. */
  undeployAll?: boolean;
  onStep?: (message: string) => void;
}

export async function deleteEndpoint(clients: CloudClients, endpoint: string, options: DeleteEndpointOptions = {}, wait: WaitOptions = {}): Promise<void> {
  const name = endpointResourceName(clients.config, endpoint);
  const current = await describeEndpoint(clients, name, wait.signal);
  if (current.deployedModels.length > 0) {
    const ids = current.deployedModels.map((d) => d.id).join(', ');
    if (!options.undeployAll) {
      throw new CloudUserError(
        `Endpoint ${current.id} still has deployed models (${ids}); undeploy them first or pass --undeploy-all to undeploy them and delete the endpoint`,
        'FAILED_PRECONDITION',
      );
    }
    // Models without traffic first, so every step is valid on its own.
    const order = [...current.deployedModels].sort((a, b) => a.trafficPercent - b.trafficPercent);
    for (const deployed of order) {
      options.onStep?.(`Undeploying ${deployed.id} (${deployed.displayName}) from ${current.id}`);
      await undeployModel(clients, name, deployed.id, wait);
    }
  }
  options.onStep?.(`Deleting endpoint ${current.id}`);
  const context = { action: `deleting endpoint ${name}`, config: clients.config };
  const operation = await explained(context, async () => operationName((await clients.endpoints.deleteEndpoint({ name }))[0]));
  await waitForOperation(clients.endpoints as unknown as OperationsClientLike, 'deleteEndpoint', operation, context, wait);
}
