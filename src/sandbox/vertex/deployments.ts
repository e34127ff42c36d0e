// google.cloud.aiplatform.v1.EndpointService.DeployModel, MutateDeployedModel
// and UndeployModel: dedicated resources checked against the machine list
// (GPUs per machine type), the autoscaling rules and the serving-CPU quota
// (charged at the maximum replica count), the traffic split applied by
// Vertex AI's rules, and the model server loaded while the operation runs (a
// load failure fails the operation).
import type { protos } from '@google-cloud/aiplatform';
import type { SandboxContext } from './context';
import { touch } from './endpointService';
import { quotaExceeded } from './faults';
import { nowIso, numericId } from './ids';
import { checkAutoscalingSpecs, checkMachineSpec } from './machines';
import { checkDisplayName, parentName, parseEndpointName, parseModelName, type Parent } from './names';
import type { OperationRunner } from './operations';
import { operationTypes, V1, type ProtoObject } from './protos';
import { deployedModelProto, findEndpoint, findModelVersion } from './resources';
import type { StoredDeployedModel, StoredEndpoint } from './state';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './status';
import { splitAfterDeploy, splitAfterUndeploy, type TrafficSplit } from './traffic';
import { errorMessage } from '../../shared/errors';

type IDedicatedResources = protos.google.cloud.aiplatform.v1.IDedicatedResources;
type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;
type IDeployModelRequest = protos.google.cloud.aiplatform.v1.IDeployModelRequest;
type IUndeployModelRequest = protos.google.cloud.aiplatform.v1.IUndeployModelRequest;
type IMutateDeployedModelRequest = protos.google.cloud.aiplatform.v1.IMutateDeployedModelRequest;

const SERVICE = `${V1}.EndpointService`;
/** Vertex AI's ceiling on replicas of one deployed model. */
const MAX_REPLICAS = 1000;

/** vCPUs of dedicated replicas deployed in a project and region, at their maximum replica counts (as quota is charged). */
function servingCpusInUse(ctx: SandboxContext, parent: string, except?: string): number {
  let total = 0;
  for (const endpoint of Object.values(ctx.store.state.endpoints)) {
    if (!endpoint.name.startsWith(`${parent}/`)) continue;
    for (const deployed of endpoint.deployedModels) {
      if (deployed.id === except) continue;
      const resources = deployed.dedicatedResources;
      total += checkMachineSpec(resources.machineSpec).vcpus * Number(resources.maxReplicaCount ?? 1);
    }
  }
  return total;
}

function checkQuota(ctx: SandboxContext, parent: Parent, resources: IDedicatedResources, except?: string): void {
  const perReplica = checkMachineSpec(resources.machineSpec).vcpus;
  const max = Number(resources.maxReplicaCount);
  const needed = perReplica * max;
  const inUse = servingCpusInUse(ctx, parentName(parent), except);
  if (inUse + needed > ctx.settings.servingCpuQuota) {
    throw quotaExceeded(
      'aiplatform.googleapis.com/custom_model_serving_cpus',
      parent.project,
      `${parent.location} limit ${ctx.settings.servingCpuQuota} vCPUs, ${inUse} in use, this deployment needs ${needed} ` +
        `(${perReplica} vCPUs x max_replica_count ${max}: quota is charged on the maximum replica count)`,
    );
  }
}

/** Replica counts and autoscaling: min at least 1, max not below min, known metrics with targets. */
function checkScaling(resources: IDedicatedResources): IDedicatedResources {
  const machine = checkMachineSpec(resources.machineSpec);
  const min = Number(resources.minReplicaCount ?? 0);
  const max = Number(resources.maxReplicaCount ?? 0) || min;
  if (!Number.isInteger(min) || min < 1) throw invalidArgument('deployed_model.dedicated_resources.min_replica_count must be at least 1.');
  if (max < min) throw invalidArgument(`max_replica_count (${max}) must not be less than min_replica_count (${min}).`);
  if (max > MAX_REPLICAS) throw invalidArgument(`max_replica_count (${max}) must be at most ${MAX_REPLICAS}.`);
  const autoscalingMetricSpecs = checkAutoscalingSpecs(resources.autoscalingMetricSpecs, machine);
  return {
    machineSpec: resources.machineSpec,
    minReplicaCount: min,
    maxReplicaCount: max,
    ...(autoscalingMetricSpecs.length > 0 ? { autoscalingMetricSpecs } : {}),
    ...(resources.spot ? { spot: true } : {}),
  };
}

function checkDedicatedResources(deployed: IDeployedModel): IDedicatedResources {
  if (deployed.automaticResources) {
    throw invalidArgument('AutomaticResources are not supported for custom-trained models; use dedicated_resources.');
  }
  const resources = deployed.dedicatedResources;
  if (!resources) throw invalidArgument('deployed_model.dedicated_resources is required for custom-trained models.');
  return checkScaling(resources);
}

const DEPLOY_STAGES: [number, string][] = [
  [0.25, 'CREATING_SERVING_CLUSTER'],
  [0.5, 'ADDING_NODES_TO_CLUSTER'],
  [0.75, 'STARTING_MODEL_SERVER'],
  [1, 'FINISHING_UP'],
];

export function deployModel(ctx: SandboxContext, request: IDeployModelRequest): ProtoObject {
  const name = String(request.endpoint ?? '');
  const ref = parseEndpointName(name);
  const endpoint = findEndpoint(ctx.store.state, name);
  const deployed: IDeployedModel = request.deployedModel ?? {};
  const modelRef = parseModelName(String(deployed.model ?? ''), 'deployed_model.model');
  if (parentName(modelRef) !== parentName(ref)) throw invalidArgument('deployed_model.model must be in the same project and location as the endpoint.');
  const { model, version } = findModelVersion(ctx.store.state, String(deployed.model));
  const resources = checkDedicatedResources(deployed);
  // Caller-chosen IDs are 1-10 digits, as in Vertex AI; generated ones are longer.
  const requestedId = typeof deployed.id === 'string' ? deployed.id : '';
  if (requestedId !== '' && !/^[0-9]{1,10}$/.test(requestedId)) throw invalidArgument(`deployed_model.id "${requestedId}" must be 1 to 10 digits.`);
  const id = requestedId || numericId();
  if (endpoint.deployedModels.some((d) => d.id === id)) throw alreadyExists(`DeployedModel ${id} already exists on ${name}.`);
  const existing = endpoint.deployedModels.map((d) => d.id);
  splitAfterDeploy(endpoint.trafficSplit, (request.trafficSplit ?? {}) as TrafficSplit, existing, id);
  checkQuota(ctx, ref, resources);
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

export function undeployModel(ctx: SandboxContext, request: IUndeployModelRequest): ProtoObject {
  const name = String(request.endpoint ?? '');
  parseEndpointName(name);
  const endpoint = findEndpoint(ctx.store.state, name);
  const id = String(request.deployedModelId ?? '');
  if (id === '') throw invalidArgument('deployed_model_id is required.');
  splitForUndeploy(endpoint, id, (request.trafficSplit ?? {}) as TrafficSplit);
  const operation = ctx.operations.start({
    kind: 'undeployModel',
    resource: name,
    request: { endpoint: name, deployedModelId: id, trafficSplit: request.trafficSplit ?? {} },
    types: operationTypes(SERVICE, 'UndeployModel'),
  });
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

/** The DeployedModel fields MutateDeployedModel may change, as update_mask paths. */
const MUTABLE = new Map<string, keyof IDedicatedResources>([
  ['dedicated_resources.min_replica_count', 'minReplicaCount'],
  ['dedicated_resources.max_replica_count', 'maxReplicaCount'],
  ['dedicated_resources.autoscaling_metric_specs', 'autoscalingMetricSpecs'],
]);

function snakeCase(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The deployed model's resources after the masked changes, validated as at deploy time. */
function mutated(endpoint: StoredEndpoint, request: IMutateDeployedModelRequest): { stored: StoredDeployedModel; resources: IDedicatedResources } {
  const id = String(request.deployedModel?.id ?? '');
  if (id === '') throw invalidArgument('deployed_model.id is required: the DeployedModel to change.');
  const stored = endpoint.deployedModels.find((d) => d.id === id);
  if (!stored) throw notFound(`DeployedModel ${id} does not exist on Endpoint ${endpoint.name}.`);
  const paths = (request.updateMask?.paths ?? []).map(snakeCase);
  if (paths.length === 0) throw invalidArgument('update_mask is required: e.g. dedicated_resources.min_replica_count, dedicated_resources.max_replica_count, dedicated_resources.autoscaling_metric_specs.');
  const immutable = paths.filter((p) => !MUTABLE.has(p));
  if (immutable.length > 0) {
    throw invalidArgument(`update_mask has fields MutateDeployedModel cannot change: ${immutable.join(', ')}; only ${[...MUTABLE.keys()].join(', ')}.`);
  }
  const changes = request.deployedModel?.dedicatedResources ?? {};
  const next: IDedicatedResources = { ...stored.dedicatedResources };
  for (const path of paths) {
    const field = MUTABLE.get(path) as 'minReplicaCount' | 'maxReplicaCount' | 'autoscalingMetricSpecs';
    if (field === 'autoscalingMetricSpecs') next.autoscalingMetricSpecs = changes.autoscalingMetricSpecs ?? [];
    else next[field] = changes[field] ?? 0;
  }
  // A mask with min alone keeps max, but never below the new min.
  if (!paths.includes('dedicated_resources.max_replica_count') && Number(next.minReplicaCount) > Number(next.maxReplicaCount)) {
    next.maxReplicaCount = next.minReplicaCount;
  }
  return { stored, resources: checkScaling(next) };
}

export function mutateDeployedModel(ctx: SandboxContext, request: IMutateDeployedModelRequest): ProtoObject {
  const name = String(request.endpoint ?? '');
  const ref = parseEndpointName(name);
  const endpoint = findEndpoint(ctx.store.state, name);
  const { stored, resources } = mutated(endpoint, request);
  checkQuota(ctx, ref, resources, stored.id);
  const operation = ctx.operations.start({
    kind: 'mutateDeployedModel',
    resource: name,
    request: { endpoint: name, deployedModel: { id: stored.id, dedicatedResources: request.deployedModel?.dedicatedResources ?? {} }, updateMask: request.updateMask ?? {} },
    types: operationTypes(SERVICE, 'MutateDeployedModel'),
  });
  return ctx.operations.toProto(operation);
}

export const runMutateDeployedModel =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    await progress.progress(1);
    const request = operation.request as IMutateDeployedModelRequest;
    const endpoint = findEndpoint(ctx.store.state, String(request.endpoint));
    const { stored, resources } = mutated(endpoint, request);
    checkQuota(ctx, parseEndpointName(endpoint.name), resources, stored.id);
    stored.dedicatedResources = resources;
    touch(endpoint);
    return { deployedModel: deployedModelProto(stored) };
  };
