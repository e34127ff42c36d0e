// Model Studio: Delete Endpoint: after a confirmation, undeploys its models and deletes it.
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { confirm, withSteps } from '../cloudUi';
import { deleteEndpointConfirmation } from '../confirmations';
import { lockKey } from '../../commands/resourceLocks';
import { endpointFrom } from '../pickers';

export async function deleteEndpoint(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const endpoint = await endpointFrom(cloud, arg, clients, 'Delete which endpoint');
  await cloud.exclusive([lockKey.endpoint(endpoint.name)], `deleting ${endpoint.displayName}`, async (lease) => {
    await confirm(deleteEndpointConfirmation(endpoint));
    await withSteps(`Deleting endpoint ${endpoint.displayName}`, 1, (steps) =>
      cloud.tree.whileBusy(nodeId({ type: 'endpoint', endpoint }), 'Deleting…', async () => {
        steps.step(1, endpoint.deployedModels.length ? 'Undeploying its models and deleting…' : 'Deleting…');
        await cloud.connection.cloud().deleteEndpoint(clients, endpoint.name, { undeployAll: true }, steps.wait());
      }),
      lease,
    );
    cloud.changed();
  });
}
