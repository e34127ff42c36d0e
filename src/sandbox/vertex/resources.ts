// Stored resources as the proto messages clients receive, and lookups that
// fail with the NOT_FOUND messages Vertex AI sends.
import { timestamp } from './ids';
import type { ProtoObject } from './protos';
import type { SandboxState, StoredDeployedModel, StoredEndpoint, StoredModel, StoredModelVersion } from './state';
import { invalidArgument, notFound } from './status';
import { parseModelName } from './names';
import { endpointSettingsProto } from './endpointConfig';

export function findModel(state: SandboxState, name: string): StoredModel {
  parseModelName(name);
  const base = name.split('@')[0];
  const model = state.models[base];
  if (!model) throw notFound(`Model ${base} does not exist.`);
  return model;
}

/** The version a name points at: "@ID", "@alias", or the default version. */
export function findVersion(model: StoredModel, version: string | undefined): StoredModelVersion {
  const wanted = version === undefined || version === 'default' ? model.defaultVersionId : version;
  const found = model.versions.find((v) => v.versionId === wanted) ?? model.versions.find((v) => v.versionAliases.includes(wanted));
  if (!found) throw notFound(`Model ${model.name} has no version or alias "${wanted}".`);
  return found;
}

export function findModelVersion(state: SandboxState, name: string): { model: StoredModel; version: StoredModelVersion } {
  const model = findModel(state, name);
  return { model, version: findVersion(model, parseModelName(name).version) };
}

export function findEndpoint(state: SandboxState, name: string): StoredEndpoint {
  const endpoint = state.endpoints[name];
  if (!endpoint) throw notFound(`Endpoint ${name} does not exist.`);
  return endpoint;
}

/** Where each version of a model is deployed. */
export function deploymentsOf(state: SandboxState, modelName: string, versionId?: string): { endpoint: string; deployedModelId: string }[] {
  const refs: { endpoint: string; deployedModelId: string }[] = [];
  for (const endpoint of Object.values(state.endpoints)) {
    for (const deployed of endpoint.deployedModels) {
      if (deployed.model === modelName && (versionId === undefined || deployed.modelVersionId === versionId)) {
        refs.push({ endpoint: endpoint.name, deployedModelId: deployed.id });
      }
    }
  }
  return refs;
}

export function modelProto(state: SandboxState, model: StoredModel, version: StoredModelVersion): ProtoObject {
  const aliases = version.versionId === model.defaultVersionId ? ['default', ...version.versionAliases] : version.versionAliases;
  return {
    name: model.name,
    versionId: version.versionId,
    versionAliases: aliases,
    versionCreateTime: timestamp(version.createTime),
    versionUpdateTime: timestamp(version.updateTime),
    displayName: version.displayName,
    description: version.description ?? '',
    versionDescription: version.versionDescription ?? '',
    containerSpec: version.containerSpec,
    artifactUri: version.artifactUri ?? '',
    supportedDeploymentResourcesTypes: ['DEDICATED_RESOURCES'],
    createTime: timestamp(model.createTime),
    updateTime: timestamp(version.updateTime),
    deployedModels: deploymentsOf(state, model.name, version.versionId),
    labels: version.labels,
    etag: version.etag,
  };
}

export function deployedModelProto(deployed: StoredDeployedModel): ProtoObject {
  return {
    id: deployed.id,
    model: deployed.model,
    modelVersionId: deployed.modelVersionId,
    displayName: deployed.displayName,
    dedicatedResources: deployed.dedicatedResources,
    createTime: timestamp(deployed.createTime),
  };
}

export function endpointProto(endpoint: StoredEndpoint): ProtoObject {
  return {
    ...endpointSettingsProto(endpoint),
    name: endpoint.name,
    displayName: endpoint.displayName,
    description: endpoint.description ?? '',
    deployedModels: endpoint.deployedModels.map(deployedModelProto),
    trafficSplit: endpoint.trafficSplit,
    etag: endpoint.etag,
    labels: endpoint.labels,
    createTime: timestamp(endpoint.createTime),
    updateTime: timestamp(endpoint.updateTime),
  };
}

/** Offset-based pages, with the offset as an opaque token. */
export function page<T>(items: readonly T[], pageSize: unknown, pageToken: unknown): { items: T[]; nextPageToken: string } {
  const size = typeof pageSize === 'number' && pageSize > 0 ? Math.min(pageSize, 1000) : 100;
  const start = typeof pageToken === 'string' && pageToken !== '' ? Number(Buffer.from(pageToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) return { items: [], nextPageToken: '' };
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : '';
  return { items: slice, nextPageToken: next };
}

/** The subset of AIP-160 filters gcloud sends: display_name="X" and labels.KEY="V", joined by AND. */
export function matchesFilter(filter: unknown, displayName: string, labels: Record<string, string>): boolean {
  if (typeof filter !== 'string' || filter.trim() === '') return true;
  return filter.split(/\s+AND\s+/i).every((term) => {
    const match = /^\s*(display_name|labels\.[\w-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(term);
    if (!match) throw invalidArgument(`Unsupported filter term "${term}": use display_name="NAME" or labels.KEY="VALUE", joined by AND.`);
    return match[1] === 'display_name' ? displayName === match[2] : labels[match[1].slice('labels.'.length)] === match[2];
  });
}
