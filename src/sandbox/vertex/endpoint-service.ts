// google.cloud.aiplatform.v1.EndpointService: endpoints, and the deployment
// of model versions onto them with a traffic split.
import type { SandboxContext } from './context';
import { quotaExceeded } from './faults';
import { newEtag, nowIso, numericId } from './ids';
import { checkMachineSpec } from './machines';
import { checkDescription, checkDisplayName, checkLabels, endpointName, parentName, parseEndpointName, parseModelName, parseParent } from './names';
import type { OperationRunner } from './operations';
import { operationTypes, V1, type ProtoObject } from './protos';
import { deployedModelProto, endpointProto, findEndpoint, findModelVersion, matchesFilter, page } from './resources';
import type { StoredDeployedModel, StoredEndpoint } from './state';
import { aborted, alreadyExists, failedPrecondition, invalidArgument, notFound } from './status';
import { checkUpdatedSplit, splitAfterDeploy, splitAfterUndeploy, type TrafficSplit } from './traffic';

const SERVICE = `${V1}.EndpointService`;
const ENDPOINT_ID = /^([1-9][0-9]{0,9}|[a-z][a-z0-9-]{0,62})$/;

function touch(endpoint: StoredEndpoint): void {
  endpoint.etag = newEtag();
  endpoint.updateTime = nowIso();
}

export function createEndpoint(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const parent = parseParent(String(request.parent ?? ''));
  const endpoint = (request.endpoint ?? {}) as ProtoObject;
  checkDisplayName('endpoint.display_name', endpoint.displayName);
  checkDescription('endpoint.description', endpoint.description);
  checkLabels('endpoint.labels', endpoint.labels);
  const requestedId = typeof request.endpointId === 'string' ? request.endpointId : '';
  if (requestedId !== '' && !ENDPOINT_ID.test(requestedId)) {
    throw invalidArgument(`endpoint_id "${requestedId}" must be a number of up to 10 digits or 1-63 lowercase letters, digits and "-".`);
  }
  const name = endpointName({ ...parent, endpointId: requestedId || numericId() });
  if (ctx.store.state.endpoints[name]) throw alreadyExists(`Endpoint ${name} already exists.`);
  const operation = ctx.operations.start({
    kind: 'createEndpoint',
    resource: name,
    request: { ...request, resolvedName: name },
    types: operationTypes(SERVICE, 'CreateEndpoint'),
  });
  return ctx.operations.toProto(operation);
}

export const runCreateEndpoint =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    await progress.progress(1);
    const name = String(operation.request.resolvedName);
    if (ctx.store.state.endpoints[name]) throw alreadyExists(`Endpoint ${name} already exists.`);
    const endpoint = (operation.request.endpoint ?? {}) as ProtoObject;
    const now = nowIso();
    const stored: StoredEndpoint = {
      name,
      displayName: String(endpoint.displayName),
      description: checkDescription('endpoint.description', endpoint.description),
      labels: checkLabels('endpoint.labels', endpoint.labels),
      deployedModels: [],
      trafficSplit: {},
      etag: newEtag(),
      createTime: now,
      updateTime: now,
    };
    ctx.store.state.endpoints[name] = stored;
    return endpointProto(stored);
  };

export function getEndpoint(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const name = String(request.name ?? '');
  parseEndpointName(name, 'name');
  return endpointProto(findEndpoint(ctx.store.state, name));
}

export function listEndpoints(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const endpoints = Object.values(ctx.store.state.endpoints)
    .filter((e) => e.name.startsWith(`${parent}/`) && matchesFilter(request.filter, e.displayName, e.labels))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(endpointProto);
  const { items, nextPageToken } = page(endpoints, request.pageSize, request.pageToken);
  return { endpoints: items, nextPageToken };
}

const UPDATABLE = new Set(['display_name', 'description', 'labels', 'traffic_split']);

export function updateEndpoint(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const changes = (request.endpoint ?? {}) as ProtoObject;
  const name = String(changes.name ?? '');
  parseEndpointName(name, 'endpoint.name');
  const paths = (((request.updateMask ?? {}) as ProtoObject).paths ?? []) as string[];
  if (paths.length === 0) throw invalidArgument('update_mask is required: list the fields to change, e.g. traffic_split.');
  const snake = paths.map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const unknown = snake.filter((p) => !UPDATABLE.has(p));
  if (unknown.length > 0) throw invalidArgument(`update_mask has fields that cannot be updated: ${unknown.join(', ')}.`);
  const endpoint = findEndpoint(ctx.store.state, name);
  const etag = typeof changes.etag === 'string' ? changes.etag : '';
  if (etag !== '' && etag !== endpoint.etag) {
    throw aborted(`The etag "${etag}" of Endpoint ${name} is stale: the endpoint was changed since it was read. Read it again and retry.`);
  }
  // Validate everything before changing anything.
  const next: Partial<StoredEndpoint> = {};
  if (snake.includes('display_name')) next.displayName = checkDisplayName('endpoint.display_name', changes.displayName);
  if (snake.includes('description')) next.description = checkDescription('endpoint.description', changes.description);
  if (snake.includes('labels')) next.labels = checkLabels('endpoint.labels', changes.labels);
  if (snake.includes('traffic_split')) {
    next.trafficSplit = checkUpdatedSplit(
      (changes.trafficSplit ?? {}) as TrafficSplit,
      endpoint.deployedModels.map((d) => d.id),
    );
    if (endpoint.deployedModels.length > 0 && Object.keys(next.trafficSplit).length === 0) {
      throw invalidArgument('endpoint.traffic_split must give 100% to the deployed models; it is empty.');
    }
  }
  Object.assign(endpoint, next);
  touch(endpoint);
  ctx.store.save();
  return endpointProto(endpoint);
}

export function deleteEndpoint(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const name = String(request.name ?? '');
  parseEndpointName(name, 'name');
  const endpoint = findEndpoint(ctx.store.state, name);
  refuseDeployedModels(endpoint);
  const operation = ctx.operations.start({ kind: 'deleteEndpoint', resource: name, request, types: operationTypes(SERVICE, 'DeleteEndpoint') });
  return ctx.operations.toProto(operation);
}

function refuseDeployedModels(endpoint: StoredEndpoint): void {
  if (endpoint.deployedModels.length > 0) {
    const ids = endpoint.deployedModels.map((d) => d.id).join(', ');
    throw failedPrecondition(`Endpoint ${endpoint.name} has deployed models (${ids}); undeploy them before deleting the endpoint.`);
  }
}

export const runDeleteEndpoint =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    await progress.progress(1);
    const endpoint = findEndpoint(ctx.store.state, String(operation.request.name));
    refuseDeployedModels(endpoint);
    delete ctx.store.state.endpoints[endpoint.name];
    return {};
  };

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
        `Model server never became ready: ${error instanceof Error ? error.message : String(error)}. ` +
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
