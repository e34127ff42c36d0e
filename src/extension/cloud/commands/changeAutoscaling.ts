// Model Studio: Change Autoscaling: a deployed model's replica range and CPU
// target, changed in place (MutateDeployedModel), after saying how quota and
// cost count the maximum.
import * as vscode from 'vscode';
import { deployedLabel } from '../../../shared/trafficEditing';
import { formatAutoscaling, parseAutoscalingSpecs, quotaNote } from '../../../shared/autoscaling';
import { machineType } from '../../../shared/machineTypes';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { ask, cloudNodeOf, withSteps } from '../cloudUi';
import { askReplicas, endpointFrom, pickDeployed } from '../pickers';
import { deploymentCost, formatHourly } from '../prices';
import { lockKey } from '../../commands/resourceLocks';

export async function changeAutoscaling(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const endpoint = await endpointFrom(cloud, arg, clients, 'Change autoscaling on which endpoint', (e) => e.deployedModels.length > 0);
  const node = cloudNodeOf(arg);
  const id = await pickDeployed(endpoint, 'Change autoscaling of which deployed model', node?.type === 'deployed' ? node.deployed.id : undefined);
  const deployed = endpoint.deployedModels.find((d) => d.id === id);
  if (!deployed) return;
  await cloud.exclusive([lockKey.endpoint(endpoint.name)], `changing autoscaling on ${endpoint.displayName}`, async (lease) => {
    const { min, max } = await askReplicas(deployed.minReplicaCount ?? 1, deployed.maxReplicaCount ?? 1);
    const targets = await ask({
      title: 'Autoscaling targets',
      prompt: 'cpu-usage=PERCENT (and gpu-duty-cycle=PERCENT with GPUs); empty for Vertex AI\'s default, CPU 60%',
      value: formatAutoscaling(deployed.autoscaling),
      validateInput: (text) => {
        try {
          parseAutoscalingSpecs(text);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    });
    const autoscaling = parseAutoscalingSpecs(targets);
    const vcpus = machineType(deployed.machineType ?? '')?.vcpus;
    const cost = formatHourly(deploymentCost({ ...deployed, minReplicaCount: min, maxReplicaCount: max }));
    const label = deployedLabel(deployed);
    await withSteps(`Changing autoscaling of ${label}`, 1, (steps) =>
      cloud.tree.whileBusy(nodeId({ type: 'deployed', endpoint, deployed }), 'Scaling…', async () => {
        steps.step(1, `${min}-${max} replicas${vcpus ? ` · ${quotaNote(vcpus, max)}` : ''}`);
        return cloud.connection.cloud().mutateDeployedModel(clients, { endpoint: endpoint.name, deployedModelId: id, minReplicaCount: min, maxReplicaCount: max, autoscaling }, steps.wait());
      }),
      lease,
    );
    cloud.changed();
    void vscode.window.showInformationMessage(`${label} now scales between ${min} and ${max} replicas${cost ? ` (${cost})` : ''}.`);
  });
}
