// google.cloud.aiplatform.v1.EndpointService.DeployModel and UndeployModel:
// dedicated resources checked against the machine list and the serving-CPU
// quota, the traffic split applied by Vertex AI's rules, and the model server
// loaded while the operation runs (a load failure fails the operation).
import type { SandboxContext } from './context';
import { touch } from './endpointService';
import { quotaExceeded } from './faults';
import { nowIso, numericId } from './ids';
import { checkMachineSpec } from './machines';
import { checkDisplayName, parentName, parseEndpointName, parseModelName } from './names';
import type { OperationRunner } from './operations';
import { operationTypes, V1, type ProtoObject } from './protos';
import { deployedModelProto, findEndpoint, findModelVersion } from './resources';
import type { StoredDeployedModel, StoredEndpoint } from './state';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './status';
import { splitAfterDeploy, splitAfterUndeploy, type TrafficSplit } from './traffic';
import { errorMessage } from '../../shared/errors';

const SERVICE = `${V1}.EndpointService`;

/** vCPUs of dedicated replicas deployed in a project and region (at their maximum replica counts). */
function servingCpusInUse(ctx: SandboxContext, parent: string): number {
  let total = 0;
  for (const endpoint of Object.values(ctx.store.state.endpoints)) {
    if (!endpoint.name.startsWith(`${parent}/`)) continue;
    for (const deployed of endpoint.deployedModels) {
      const resources = deployed.dedicatedResources;
      const vcpus = checkMachineSpec(resources.machineSpec as ProtoObject).vcpus;
      total += vcpus * Number(resources.maxReplicaCount ?? 1);
    }
  }
  return total;
}

function checkDedicatedResources(deployed: ProtoObject): { resources: ProtoObject; vcpus: number } {
  if (deployed.automaticResources) {
    throw invalidArgument('AutomaticResources are not supported for custom-trained models; use dedicated_resources.');
  }
  const resources = deployed.dedicatedResources as ProtoObject | undefined;
  if (!resources) throw invalidArgument('deployed_model.dedicated_resources is required for custom-trained models.');
  const { vcpus } = checkMachineSpec(resources.machineSpec as ProtoObject | undefined);
  const min = Number(resources.minReplicaCount ?? 0);
  const max = Number(resources.maxReplicaCount ?? 0) || min;
  if (!Number.isInteger(min) || min < 1) throw invalidArgument('deployed_model.dedicated_resources.min_replica_count must be at least 1.');
  if (max < min) throw invalidArgument(`max_replica_count (${max}) must not be less than min_replica_count (${min}).`);
  return { resources: { ...resources, minReplicaCount: min, maxReplicaCount: max }, vcpus: vcpus * max };
}

const DEPLOY_STAGES: [number, string][] = [
  [0.25, 'CREATING_SERVING_CLUSTER'],
  [0.5, 'ADDING_NODES_TO_CLUSTER'],
  [0.75, 'STARTING_MODEL_SERVER'],
  [1, 'FINISHING_UP'],
];

export function deployModel(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const name = String(request.endpoint ?? '');
  const ref = parseEndpointName(name);
  const endpoint = findEndpoint(ctx.store.state, name);
  const deployed = (request.deployedModel ?? {}) as ProtoObject;
  const modelRef = parseModelName(String(deployed.model ?? ''), 'deployed_model.model');
  if (parentName(modelRef) !== parentName(ref)) throw invalidArgument('deployed_model.model must be in the same project and location as the endpoint.');
  const { model, version } = findModelVersion(ctx.store.state, String(deployed.model));
  const { resources, vcpus } = checkDedicatedResources(deployed);
  // Caller-chosen IDs are 1-10 digits, as in Vertex AI; generated ones are longer.
  const requestedId = typeof deployed.id === 'string' ? deployed.id : '';
  if (requestedId !== '' && !/^[0-9]{1,10}$/.test(requestedId)) throw invalidArgument(`deployed_model.id "${requestedId}" must be 1 to 10 digits.`);
  const id = requestedId || numericId();
  if (endpoint.deployedModels.some((d) => d.id === id)) throw alreadyExists(`DeployedModel ${id} already exists on ${name}.`);
  const existing = endpoint.deployedModels.map((d) => d.id);
  splitAfterDeploy(endpoint.trafficSplit, (request.trafficSplit ?? {}) as TrafficSplit, existing, id);
  const inUse = servingCpusInUse(ctx, parentName(ref));
  if (inUse + vcpus > ctx.settings.servingCpuQuota) {
    throw quotaExceeded(
      'aiplatform.googleapis.com/custom_model_serving_cpus',
      ref.project,
      `${ref.location} limit ${ctx.settings.servingCpuQuota} vCPUs, ${inUse} in use, this deployment needs ${vcpus}`,
    );
  }
  const displayName = typeof deployed.displayName === 'string' && deployed.displayName !== '' ? deployed.displayName : version.displayName;
  checkDisplayName('deployed_model.display_name', displayName);
  const stored: StoredDeployedModel = {
    id,
    model: model.name,
    modelVersionId: version.versionId,
    displayName,
    dedicatedResources: resources,
    createTime: nowIso(),
  };
  const operation = ctx.operations.start({
    kind: 'deployModel',
    resource: name,
    request: { endpoint: name, deployedModel: stored as unknown as ProtoObject, trafficSplit: request.trafficSplit ?? {}, artifactUri: version.artifactUri ?? '' },
    types: operationTypes(SERVICE, 'DeployModel'),
    metadata: { deploymentStage: 'STARTING_DEPLOYMENT' },
  });
  return ctx.operations.toProto(operation);
}

export const runDeployModel =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    const stored = operation.request.deployedModel as unknown as StoredDeployedModel;
    progress.report({ deploymentStage: 'PREPARING_MODEL' });
    try {
      await ctx.predictors.get(stored.id, String(operation.request.artifactUri));
    } catch (error) {
      progress.report({ deploymentStage: 'FAILED_TO_DEPLOY' });
      throw failedPrecondition(
        `Model server never became ready: ${errorMessage(error)}. ` +
          'Check that the artifact URI holds a TF.js model (model.json and its weight files).',
      );
    }
    try {
      for (const [fraction, stage] of DEPLOY_STAGES) {
        progress.report({ deploymentStage: stage });
        await progress.progress(fraction);
      }
      const endpoint = findEndpoint(ctx.store.state, String(operation.request.endpoint));
      const existing = endpoint.deployedModels.map((d) => d.id);
      const split = splitAfterDeploy(endpoint.trafficSplit, operation.request.trafficSplit as TrafficSplit, existing, stored.id);
      endpoint.deployedModels.push(stored);
      endpoint.trafficSplit = split;
      touch(endpoint);
      progress.report({ deploymentStage: 'SUCCESSFULLY_DEPLOYED' });
      return { deployedModel: deployedModelProto(stored) };
    } catch (error) {
      ctx.predictors.release(stored.id);
      throw error;
    }
  };

export function undeployModel(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const name = String(request.endpoint ?? '');
  parseEndpointName(name);
  const endpoint = findEndpoint(ctx.store.state, name);
  const id = String(request.deployedModelId ?? '');
  if (id === '') throw invalidArgument('deployed_model_id is required.');
  splitForUndeploy(endpoint, id, (request.trafficSplit ?? {}) as TrafficSplit);
  const operation = ctx.operations.start({ kind: 'undeployModel', resource: name, request, types: operationTypes(SERVICE, 'UndeployModel') });
  return ctx.operations.toProto(operation);
}

function splitForUndeploy(endpoint: StoredEndpoint, id: string, requested: TrafficSplit): TrafficSplit {
  if (!endpoint.deployedModels.some((d) => d.id === id)) throw notFound(`DeployedModel ${id} does not exist on Endpoint ${endpoint.name}.`);
  const remaining = endpoint.deployedModels.filter((d) => d.id !== id).map((d) => d.id);
  return splitAfterUndeploy(endpoint.trafficSplit, requested, id, remaining, endpoint.name);
}

export const runUndeployModel =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    await progress.progress(1);
    const endpoint = findEndpoint(ctx.store.state, String(operation.request.endpoint));
    const id = String(operation.request.deployedModelId);
    const split = splitForUndeploy(endpoint, id, (operation.request.trafficSplit ?? {}) as TrafficSplit);
    endpoint.deployedModels = endpoint.deployedModels.filter((d) => d.id !== id);
    endpoint.trafficSplit = split;
    touch(endpoint);
    ctx.predictors.release(id);
    return {};
  };
