// google.cloud.aiplatform.v1.EndpointService: create, get, list, update
// (etag-checked) and delete endpoints. Deploying models is in deployments.ts.
import type { protos } from '@google-cloud/aiplatform';
import type { SandboxContext } from './context';
import { checkInferenceTimeout, checkLoggingConfig, dedicatedDns } from './endpointConfig';
import { newEtag, nowIso, numericId } from './ids';
import { checkDescription, checkDisplayName, checkLabels, endpointName, parentName, parseEndpointName, parseParent } from './names';
import type { OperationRunner } from './operations';
import { operationTypes, V1, type ProtoObject } from './protos';
import { endpointProto, findEndpoint, matchesFilter, page } from './resources';
import type { StoredEndpoint } from './state';
import { aborted, alreadyExists, failedPrecondition, invalidArgument } from './status';
import { checkUpdatedSplit, type TrafficSplit } from './traffic';

type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
type ICreateEndpointRequest = protos.google.cloud.aiplatform.v1.ICreateEndpointRequest;
type IGetEndpointRequest = protos.google.cloud.aiplatform.v1.IGetEndpointRequest;
type IListEndpointsRequest = protos.google.cloud.aiplatform.v1.IListEndpointsRequest;
type IUpdateEndpointRequest = protos.google.cloud.aiplatform.v1.IUpdateEndpointRequest;
type IDeleteEndpointRequest = protos.google.cloud.aiplatform.v1.IDeleteEndpointRequest;

const SERVICE = `${V1}.EndpointService`;
const ENDPOINT_ID = /^([1-9][0-9]{0,9}|[a-z][a-z0-9-]{0,62})$/;

export function touch(endpoint: StoredEndpoint): void {
  endpoint.etag = newEtag();
  endpoint.updateTime = nowIso();
}

export function createEndpoint(ctx: SandboxContext, request: ICreateEndpointRequest): ProtoObject {
  const parent = parseParent(String(request.parent ?? ''));
  const endpoint: IEndpoint = request.endpoint ?? {};
  const displayName = checkDisplayName('endpoint.display_name', endpoint.displayName);
  checkInferenceTimeout(endpoint);
  checkDescription('endpoint.description', endpoint.description);
  checkLabels('endpoint.labels', endpoint.labels);
  const requestedId = typeof request.endpointId === 'string' ? request.endpointId : '';
  if (requestedId !== '' && !ENDPOINT_ID.test(requestedId)) {
    throw invalidArgument(`endpoint_id "${requestedId}" must be a number of up to 10 digits or 1-63 lowercase letters, digits and "-".`);
  }
  const ref = { ...parent, endpointId: requestedId || numericId() };
  const name = endpointName(ref);
  if (ctx.store.state.endpoints[name]) throw alreadyExists(`Endpoint ${name} already exists.`);
  checkLoggingConfig(endpoint.predictRequestResponseLoggingConfig, ref, displayName);
  const operation = ctx.operations.start({
    kind: 'createEndpoint',
    resource: name,
    request: { ...request, resolvedName: name } as ProtoObject,
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
    const endpoint = (operation.request.endpoint ?? {}) as IEndpoint;
    const ref = parseEndpointName(name);
    const now = nowIso();
    const stored: StoredEndpoint = {
      name,
      ...(endpoint.dedicatedEndpointEnabled ? { dedicatedEndpointDns: dedicatedDns(ref) } : {}),
      inferenceTimeoutSeconds: checkInferenceTimeout(endpoint),
      logging: checkLoggingConfig(endpoint.predictRequestResponseLoggingConfig, ref, String(endpoint.displayName)),
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

export function getEndpoint(ctx: SandboxContext, request: IGetEndpointRequest): ProtoObject {
  const name = String(request.name ?? '');
  parseEndpointName(name, 'name');
  return endpointProto(findEndpoint(ctx.store.state, name));
}

export function listEndpoints(ctx: SandboxContext, request: IListEndpointsRequest): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const endpoints = Object.values(ctx.store.state.endpoints)
    .filter((e) => e.name.startsWith(`${parent}/`) && matchesFilter(request.filter, e.displayName, e.labels))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(endpointProto);
  const { items, nextPageToken } = page(endpoints, request.pageSize, request.pageToken);
  return { endpoints: items, nextPageToken };
}

const UPDATABLE = new Set(['display_name', 'description', 'labels', 'traffic_split', 'predict_request_response_logging_config']);

export function updateEndpoint(ctx: SandboxContext, request: IUpdateEndpointRequest): ProtoObject {
  const changes: IEndpoint = request.endpoint ?? {};
  const name = String(changes.name ?? '');
  const ref = parseEndpointName(name, 'endpoint.name');
  const paths = request.updateMask?.paths ?? [];
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
  if (snake.includes('predict_request_response_logging_config')) {
    next.logging = checkLoggingConfig(changes.predictRequestResponseLoggingConfig ?? { enabled: false }, ref, next.displayName ?? endpoint.displayName);
  }
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

export function deleteEndpoint(ctx: SandboxContext, request: IDeleteEndpointRequest): ProtoObject {
  const name = String(request.name ?? '');
  parseEndpointName(name, 'name');
  const endpoint = findEndpoint(ctx.store.state, name);
  refuseDeployedModels(endpoint);
  const operation = ctx.operations.start({ kind: 'deleteEndpoint', resource: name, request: { name }, types: operationTypes(SERVICE, 'DeleteEndpoint') });
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
