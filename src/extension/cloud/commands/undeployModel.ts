// Model Studio: Undeploy Model: takes a deployed model off an endpoint after
// a confirmation that says where its traffic goes.
import * as vscode from 'vscode';
import { deployedLabel, describeSplit, fullSplit } from '../../../shared/trafficEditing';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { cloudNodeOf, confirm, withSteps } from '../cloudUi';
import { undeployConfirmation } from '../confirmations';
import { lockKey } from '../../commands/resourceLocks';
import { endpointFrom, pickDeployed } from '../pickers';

export async function undeployModel(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const endpoint = await endpointFrom(cloud, arg, clients, 'Undeploy from which endpoint', (e) => e.deployedModels.length > 0);
  await cloud.exclusive([lockKey.endpoint(endpoint.name)], `undeploying from ${endpoint.displayName}`, async (lease) => {
    const node = cloudNodeOf(arg);
    const id = await pickDeployed(endpoint, 'Undeploy which model', node?.type === 'deployed' ? node.deployed.id : undefined);
    await confirm(undeployConfirmation(endpoint, id));
    const deployed = endpoint.deployedModels.find((d) => d.id === id);
    const busyId = deployed ? nodeId({ type: 'deployed', endpoint, deployed }) : nodeId({ type: 'endpoint', endpoint });
    const after = await withSteps(`Undeploying from ${endpoint.displayName}`, 1, (steps) =>
      cloud.tree.whileBusy(busyId, 'Undeploying…', async () => {
        steps.step(1, `Undeploying ${deployed ? deployedLabel(deployed) : id}…`);
        return cloud.connection.cloud().undeployModel(clients, endpoint.name, id, steps.wait());
      }),
      lease,
    );
    cloud.changed();
    void vscode.window.showInformationMessage(`Undeployed ${deployed ? deployedLabel(deployed) : id} from ${endpoint.displayName}; now ${describeSplit(after, fullSplit(after))}.`);
  });
}
