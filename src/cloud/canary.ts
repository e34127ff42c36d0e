// Canary releases on one endpoint: deploy a new version at N% next to the
// current one, then promote it (all traffic, optionally undeploying the old)
// or roll it back (its traffic returns to the others, and it is undeployed).
import type { CloudClients } from './clients';
import { deployModel, type DeployModelOptions, type DeployResult } from './deployModel';
import { describeEndpoint } from './describeEndpoint';
import { describeModel } from './describeModel';
import { addVersionAliases } from './versionAliases';
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

/**
 * The aliases that follow a promotion: those of the other versions of the same
 * model that served traffic on the endpoint ("default" and names such as
 * "champion" then point at what serves).
 */
async function aliasesOfServing(clients: CloudClients, endpoint: EndpointSummary, promotedId: string, signal?: AbortSignal): Promise<string[]> {
  const promoted = endpoint.deployedModels.find((d) => d.id === promotedId);
  if (!promoted) return [];
  const aliases = new Set<string>();
  for (const other of endpoint.deployedModels) {
    if (other.id === promotedId || other.trafficPercent === 0 || other.model !== promoted.model || other.modelVersionId === promoted.modelVersionId) continue;
    for (const alias of (await describeModel(clients, `${other.model}@${other.modelVersionId}`, signal)).versionAliases) aliases.add(alias);
  }
  return [...aliases];
}

/**
 * Gives the canary 100% of the traffic; with moveAliases, the aliases of the
 * versions it replaces move to its version; with undeployOthers, the other
 * models are undeployed after.
 */
export async function promoteCanary(
  clients: CloudClients,
  options: { endpoint: string; deployedModelId: string; undeployOthers?: boolean; moveAliases?: boolean; onStep?: (message: string) => void },
  wait: WaitOptions = {},
): Promise<EndpointSummary> {
  const current = await requireDeployed(clients, options.endpoint, options.deployedModelId, wait.signal);
  const ids = current.deployedModels.map((d) => d.id);
  const aliases = options.moveAliases ? await aliasesOfServing(clients, current, options.deployedModelId, wait.signal) : [];
  options.onStep?.(`Sending 100% of the traffic of ${current.id} to ${options.deployedModelId}`);
  let endpoint = await updateTrafficSplit(clients, current.name, splitAllTo(ids, options.deployedModelId), { etag: current.etag, signal: wait.signal });
  if (aliases.length > 0) {
    const promoted = current.deployedModels.find((d) => d.id === options.deployedModelId);
    if (promoted) {
      options.onStep?.(`Moving ${aliases.join(', ')} to version ${promoted.modelVersionId}`);
      await addVersionAliases(clients, `${promoted.model}@${promoted.modelVersionId}`, aliases, wait.signal);
    }
  }
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
