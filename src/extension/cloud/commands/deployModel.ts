// Model Studio: Deploy to Endpoint: a model version onto an endpoint (an
// existing one or a new one), with machine type, replicas and its share of
// the traffic; then offers to predict or to edit the split.
import * as vscode from 'vscode';
import type { EndpointSummary, ModelSummary } from '../../../cloud';
import { describeSplit, fullSplit } from '../../../shared/trafficEditing';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { cloudNodeOf, withSteps } from '../cloudUi';
import { lockKey, type Lease } from '../../commands/resourceLocks';
import { askReplicas, askTrafficPercent, pickDeployEndpoint, pickMachineType, pickVersion } from '../pickers';
import { editTrafficSplit } from './editTrafficSplit';
import { predict } from './predict';

export async function deployModel(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const node = cloudNodeOf(arg);
  let version: ModelSummary;
  if (node?.type === 'version') version = node.version;
  else if (node?.type === 'model') version = node.model;
  else version = await pickVersion(cloud, clients, 'Deploy which model');
  const label = `${version.displayName} v${version.versionId}`;

  const destination = node?.type === 'endpoint' ? { endpoint: node.endpoint } : await pickDeployEndpoint(cloud, clients, version, label);
  const endpoint: EndpointSummary | undefined = 'endpoint' in destination ? destination.endpoint : undefined;
  const newName = 'newName' in destination ? destination.newName : undefined;
  const deploy = async (lease?: Lease): Promise<{ endpoint: EndpointSummary; traffic: number }> => {
    const machineType = await pickMachineType(label);
    const { min, max } = await askReplicas();
    const traffic = await askTrafficPercent(endpoint, label);
    const api = cloud.connection.cloud();
    const total = endpoint ? 1 : 2;
    const result = await withSteps(
      `Deploying ${label} to ${endpoint?.displayName ?? newName}`,
      total,
      async (steps) => {
        let target = endpoint;
        if (!target) {
          steps.step(1, `Creating endpoint ${newName}…`);
          target = await cloud.tree.whileBusy(`cloud:new-endpoint:${newName}`, `Creating ${newName}…`, () => api.createEndpoint(clients, { displayName: newName as string }, steps.wait()));
        }
        steps.step(total, `Deploying ${label}…`);
        const where = target;
        return cloud.tree.whileBusy(nodeId({ type: 'endpoint', endpoint: where }), 'Deploying…', () =>
          cloud.tree.whileBusy(`cloud:deploying:${where.id}:${version.id}@${version.versionId}`, `Deploying ${label}…`, () =>
            api.deployModel(
              clients,
              { endpoint: where.name, model: `${version.id}@${version.versionId}`, displayName: version.displayName, machineType, minReplicaCount: min, maxReplicaCount: max, trafficPercent: traffic },
              steps.wait(),
            ),
          ),
        );
      },
      lease,
    );
    return { endpoint: result.endpoint, traffic };
  };
  // An existing endpoint is held while its questions are asked and the deployment runs: one change at a time.
  const { endpoint: after, traffic } = endpoint
    ? await cloud.exclusive([lockKey.endpoint(endpoint.name)], `deploying ${label} to ${endpoint.displayName}`, (lease) => deploy(lease))
    : await deploy();
  cloud.changed();
  const canary = traffic < 100 ? ' (canary)' : '';
  const next = await vscode.window.showInformationMessage(
    `Deployed ${label} to ${after.displayName} with ${traffic}% of the traffic${canary}: ${describeSplit(after, fullSplit(after))}.`,
    'Predict…',
    'Edit Traffic Split…',
  );
  const endpointNode = { kind: 'cloud', node: { type: 'endpoint', endpoint: after } };
  if (next === 'Predict…') await predict(cloud, endpointNode);
  if (next === 'Edit Traffic Split…') await editTrafficSplit(cloud, endpointNode);
}
