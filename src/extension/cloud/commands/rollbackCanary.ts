// Model Studio: Roll Back Canary: undeploys the canary after a confirmation; the others take its traffic.
import { canaryOf } from '../../../shared/trafficEditing';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { cloudNodeOf, confirm, withSteps } from '../cloudUi';
import { rollbackConfirmation } from '../confirmations';
import { lockKey } from '../../commands/resourceLocks';
import { endpointFrom, pickDeployed } from '../pickers';

export async function rollbackCanary(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const endpoint = await endpointFrom(cloud, arg, clients, 'Roll back the canary of which endpoint', (e) => canaryOf(e) !== undefined);
  await cloud.exclusive([lockKey.endpoint(endpoint.name)], `rolling back on ${endpoint.displayName}`, async (lease) => {
    const node = cloudNodeOf(arg);
    const id = await pickDeployed(endpoint, 'Roll back which deployed model', node?.type === 'deployed' ? node.deployed.id : canaryOf(endpoint)?.id);
    await confirm(rollbackConfirmation(endpoint, id));
    await withSteps(`Rolling back on ${endpoint.displayName}`, 1, (steps) =>
      cloud.tree.whileBusy(nodeId({ type: 'endpoint', endpoint }), 'Rolling back…', async () => {
        steps.step(1, 'Undeploying the canary…');
        return cloud.connection.cloud().rollbackCanary(clients, { endpoint: endpoint.name, deployedModelId: id }, steps.wait());
      }),
      lease,
    );
    cloud.changed();
  });
}
