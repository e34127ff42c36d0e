// Model Studio: Promote Canary: gives a deployed model 100% of the traffic,
// after a confirmation that says where the traffic goes, and optionally
// undeploys the others.
import * as vscode from 'vscode';
import { canaryOf, deployedLabel } from '../../../shared/trafficEditing';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { cloudNodeOf, confirm, withSteps } from '../cloudUi';
import { promoteConfirmation } from '../confirmations';
import { lockKey } from '../../commands/resourceLocks';
import { endpointFrom, pickDeployed } from '../pickers';

export async function promoteCanary(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const endpoint = await endpointFrom(cloud, arg, clients, 'Promote the canary of which endpoint', (e) => canaryOf(e) !== undefined);
  await cloud.exclusive([lockKey.endpoint(endpoint.name)], `promoting on ${endpoint.displayName}`, async (lease) => {
    const node = cloudNodeOf(arg);
    const id = await pickDeployed(endpoint, 'Promote which deployed model', node?.type === 'deployed' ? node.deployed.id : canaryOf(endpoint)?.id);
    const choice = await confirm(promoteConfirmation(endpoint, id, false), 'Promote and Undeploy Others');
    const undeployOthers = choice !== 'Promote';
    await withSteps(`Promoting on ${endpoint.displayName}`, 1, (steps) =>
      cloud.tree.whileBusy(nodeId({ type: 'endpoint', endpoint }), 'Promoting…', async () => {
        steps.step(1, 'Moving the traffic…');
        return cloud.connection.cloud().promoteCanary(clients, { endpoint: endpoint.name, deployedModelId: id, undeployOthers, onStep: (m) => steps.detail(m) }, steps.wait());
      }),
      lease,
    );
    cloud.changed();
    void vscode.window.showInformationMessage(`Promoted ${deployedLabel(endpoint.deployedModels.find((d) => d.id === id) ?? { id, displayName: '', modelVersionId: '' })} to 100% of ${endpoint.displayName}.`);
  });
}
