import type { CloudClients } from './clients';
import { describeEndpoint } from './describeEndpoint';
import { CloudUserError, explained } from './errors';
import { endpointResourceName } from './names';
import { operationName, waitForOperation, type OperationsClientLike, type WaitOptions } from './operations';
import type { EndpointSummary } from './summaries';
import { checkSplit, splitWithout, type TrafficSplit } from '../shared/traffic';

/**
 * Undeploys one deployed model. Vertex AI refuses to drop a model that still
 * has traffic, so the request moves its share to the remaining models in
 * proportion to what they have.
 */
export async function undeployModel(
  clients: CloudClients,
  endpoint: string,
  deployedModelId: string,
  wait: WaitOptions = {},
  /** An explicit split for the remaining models instead of the proportional one. */
  options: { trafficSplit?: TrafficSplit } = {},
): Promise<EndpointSummary> {
  const name = endpointResourceName(clients.config, endpoint);
  const current = await describeEndpoint(clients, name, wait.signal);
  const ids = current.deployedModels.map((d) => d.id);
  if (!ids.includes(deployedModelId)) {
    throw new CloudUserError(`${deployedModelId} is not deployed on endpoint ${current.id}; deployed: ${ids.join(', ') || 'none'}`, 'NOT_FOUND');
  }
  const remaining = ids.filter((id) => id !== deployedModelId);
  if (options.trafficSplit && remaining.length > 0) checkSplit(options.trafficSplit, remaining);
  const trafficSplit = options.trafficSplit && remaining.length > 0 ? options.trafficSplit : splitWithout(current.trafficSplit, ids, deployedModelId);
  const context = { action: `undeploying ${deployedModelId} from endpoint ${current.id}`, config: clients.config };
  const operation = await explained(context, async () => operationName((await clients.endpoints.undeployModel({ endpoint: name, deployedModelId, trafficSplit }))[0]));
  await waitForOperation(clients.endpoints as unknown as OperationsClientLike, 'undeployModel', operation, context, wait);
  return describeEndpoint(clients, name, wait.signal);
}
