// Canary releases on one endpoint: deploy a new version at N% next to the
// current one, then promote it (all traffic, optionally undeploying the old)
// or roll it back (its traffic returns to the others, and it is undeployed).
import type { CloudClients } from './clients';
import { deployModel, type DeployModelOptions, type DeployResult } from './deployModel';
import { describeEndpoint } from './describeEndpoint';
import { CloudUserError } from './errors';
import { endpointResourceName } from './names';
import type { WaitOptions } from './operations';
import type { EndpointSummary } from './summaries';
import { checkPercent, splitAllTo, splitWithout } from '../shared/traffic';
import { undeployModel } from './undeployModel';
import { updateTrafficSplit } from './updateTrafficSplit';

export async function deployCanary(
  clients: CloudClients,
  options: Omit<DeployModelOptions, 'trafficPercent' | 'trafficSplit'> & { percent: number },
  wait: WaitOptions = {},
): Promise<DeployResult> {
  checkPercent(options.percent, 'canary percentage');
  if (options.percent === 0 || options.percent === 100) {
    throw new CloudUserError(`A canary gets part of the traffic: pick a percentage between 1 and 99, not ${options.percent}`, 'INVALID_ARGUMENT');
  }
  return deployModel(clients, { ...options, trafficPercent: options.percent }, wait);
}

async function requireDeployed(clients: CloudClients, endpoint: string, deployedModelId: string, signal?: AbortSignal): Promise<EndpointSummary> {
  const current = await describeEndpoint(clients, endpointResourceName(clients.config, endpoint), signal);
  if (!current.deployedModels.some((d) => d.id === deployedModelId)) {
    const ids = current.deployedModels.map((d) => d.id).join(', ') || 'none';
    throw new CloudUserError(`${deployedModelId} is not deployed on endpoint ${current.id}; deployed: ${ids}`, 'NOT_FOUND');
  }
  return current;
}

/** Gives the canary 100% of the traffic; with undeployOthers, the other models are undeployed after. */
export async function promoteCanary(
  clients: CloudClients,
  options: { endpoint: string; deployedModelId: string; undeployOthers?: boolean; onStep?: (message: string) => void },
  wait: WaitOptions = {},
): Promise<EndpointSummary> {
  const current = await requireDeployed(clients, options.endpoint, options.deployedModelId, wait.signal);
  const ids = current.deployedModels.map((d) => d.id);
  options.onStep?.(`Sending 100% of the traffic of ${current.id} to ${options.deployedModelId}`);
  let endpoint = await updateTrafficSplit(clients, current.name, splitAllTo(ids, options.deployedModelId), { etag: current.etag, signal: wait.signal });
  if (options.undeployOthers) {
    for (const id of ids.filter((other) => other !== options.deployedModelId)) {
      options.onStep?.(`Undeploying ${id} from ${current.id}`);
      endpoint = await undeployModel(clients, current.name, id, wait);
    }
  }
  return endpoint;
}

/** Takes the canary's traffic back to the other models; undeploys it unless keepDeployed. */
export async function rollbackCanary(
  clients: CloudClients,
  options: { endpoint: string; deployedModelId: string; keepDeployed?: boolean },
  wait: WaitOptions = {},
): Promise<EndpointSummary> {
  const current = await requireDeployed(clients, options.endpoint, options.deployedModelId, wait.signal);
  const ids = current.deployedModels.map((d) => d.id);
  if (ids.length < 2) {
    throw new CloudUserError(`${options.deployedModelId} is the only model on endpoint ${current.id}: there is nothing to roll back to`, 'FAILED_PRECONDITION');
  }
  if (!options.keepDeployed) return undeployModel(clients, current.name, options.deployedModelId, wait);
  const split = { ...splitWithout(current.trafficSplit, ids, options.deployedModelId), [options.deployedModelId]: 0 };
  return updateTrafficSplit(clients, current.name, split, { etag: current.etag, signal: wait.signal });
}
