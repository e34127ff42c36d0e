// google.cloud.aiplatform.v1.ModelService: upload (new models and new
// versions of a model), get, list, list versions, delete, delete version.
import type { SandboxContext } from './context';
import { newEtag, nowIso, numericId } from './ids';
import {
  checkDescription,
  checkDisplayName,
  checkLabels,
  checkResourceId,
  modelName,
  parentName,
  parseModelName,
  parseParent,
} from './names';
import type { OperationRunner } from './operations';
import { operationTypes, V1, type ProtoObject } from './protos';
import { deploymentsOf, findModel, findModelVersion, findVersion, matchesFilter, modelProto, page } from './resources';
import type { StoredModel, StoredModelVersion } from './state';
import { alreadyExists, failedPrecondition, invalidArgument } from './status';

const SERVICE = `${V1}.ModelService`;
const ALIAS = /^[a-z][a-z0-9-]{0,126}[a-z0-9]$/;

function checkContainerSpec(spec: unknown): ProtoObject {
  const container = (spec ?? {}) as ProtoObject;
  if (typeof container.imageUri !== 'string' || container.imageUri === '') {
    throw invalidArgument('model.container_spec.image_uri is required: a custom-trained model needs a serving container image.');
  }
  for (const route of ['predictRoute', 'healthRoute'] as const) {
    const value = container[route];
    if (value !== undefined && value !== '' && (typeof value !== 'string' || !value.startsWith('/'))) {
      throw invalidArgument(`model.container_spec.${route} must start with "/".`);
    }
  }
  return container;
}

function checkAliases(aliases: unknown): string[] {
  const list = Array.isArray(aliases) ? (aliases as unknown[]).map(String) : [];
  for (const alias of list) {
    if (alias !== 'default' && !ALIAS.test(alias)) {
      throw invalidArgument(`Version alias "${alias}" must match [a-z][a-zA-Z0-9-]{0,126}[a-z0-9].`);
    }
  }
  return list;
}

export function uploadModel(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const parent = parseParent(String(request.parent ?? ''));
  const model = (request.model ?? {}) as ProtoObject;
  checkDisplayName('model.display_name', model.displayName);
  checkDescription('model.description', model.description);
  checkDescription('model.version_description', model.versionDescription);
  checkLabels('model.labels', model.labels);
  checkContainerSpec(model.containerSpec);
  checkAliases(model.versionAliases);
  const artifactUri = typeof model.artifactUri === 'string' ? model.artifactUri : '';
  if (artifactUri !== '' && !/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}(\/.*)?$/.test(artifactUri)) {
    throw invalidArgument(`model.artifact_uri "${artifactUri}" must be a Cloud Storage folder, gs://BUCKET/PATH.`);
  }
  const parentModel = typeof request.parentModel === 'string' ? request.parentModel : '';
  const modelId = typeof request.modelId === 'string' ? request.modelId : '';
  let name: string;
  if (parentModel !== '') {
    if (modelId !== '') throw invalidArgument('model_id and parent_model cannot both be set.');
    const ref = parseModelName(parentModel, 'parent_model');
    if (ref.version !== undefined) throw invalidArgument('parent_model must name a model, without a version.');
    if (parentName(ref) !== parentName(parent)) throw invalidArgument('parent_model must be in the same project and location as parent.');
    name = findModel(ctx.store.state, parentModel).name;
  } else {
    if (modelId !== '') checkResourceId('model_id', modelId);
    name = modelName({ ...parent, modelId: modelId || numericId() });
    if (ctx.store.state.models[name]) throw alreadyExists(`Model ${name} already exists.`);
  }
  const operation = ctx.operations.start({
    kind: 'uploadModel',
    resource: name,
    request: { ...request, model: { ...model }, resolvedName: name, newModel: parentModel === '' },
    types: operationTypes(SERVICE, 'UploadModel'),
  });
  return ctx.operations.toProto(operation);
}

export const runUploadModel =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    const request = operation.request;
    const model = request.model as ProtoObject;
    const name = String(request.resolvedName);
    const artifactUri = typeof model.artifactUri === 'string' ? model.artifactUri : '';
    if (artifactUri !== '' && ctx.listArtifacts) {
      const files = await ctx.listArtifacts(artifactUri);
      if (files.length === 0) throw invalidArgument(`model.artifact_uri ${artifactUri} holds no files; upload the model files there first.`);
    }
    await progress.progress(1);
    const state = ctx.store.state;
    let stored: StoredModel | undefined = state.models[name];
    if (request.newModel === true && stored) throw alreadyExists(`Model ${name} already exists.`);
    if (request.newModel !== true && !stored) throw failedPrecondition(`Model ${name} was deleted while the new version was uploading.`);
    const now = nowIso();
    if (!stored) {
      stored = { name, versions: [], defaultVersionId: '1', nextVersionId: 1, createTime: now };
      state.models[name] = stored;
    }
    const versionId = String(stored.nextVersionId);
    stored.nextVersionId += 1;
    const aliases = checkAliases(model.versionAliases);
    const named = aliases.filter((alias) => alias !== 'default');
    for (const other of stored.versions) other.versionAliases = other.versionAliases.filter((a) => !named.includes(a));
    const version: StoredModelVersion = {
      versionId,
      displayName: String(model.displayName),
      description: checkDescription('model.description', model.description),
      versionDescription: checkDescription('model.version_description', model.versionDescription),
      containerSpec: checkContainerSpec(model.containerSpec),
      artifactUri: artifactUri || undefined,
      labels: checkLabels('model.labels', model.labels),
      versionAliases: named,
      createTime: now,
      updateTime: now,
      etag: newEtag(),
    };
    stored.versions.push(version);
    if (stored.versions.length === 1 || aliases.includes('default')) stored.defaultVersionId = versionId;
    return { model: name, modelVersionId: versionId };
  };

export function getModel(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const { model, version } = findModelVersion(ctx.store.state, String(request.name ?? ''));
  return modelProto(ctx.store.state, model, version);
}

export function listModels(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const state = ctx.store.state;
  const models = Object.values(state.models)
    .filter((m) => m.name.startsWith(`${parent}/`))
    .map((m) => modelProto(state, m, findVersion(m, undefined)))
    .filter((m) => matchesFilter(request.filter, String(m.displayName), m.labels as Record<string, string>))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const { items, nextPageToken } = page(models, request.pageSize, request.pageToken);
  return { models: items, nextPageToken };
}

export function listModelVersions(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const model = findModel(ctx.store.state, String(request.name ?? ''));
  const versions = model.versions.map((v) => modelProto(ctx.store.state, model, v));
  const { items, nextPageToken } = page(versions, request.pageSize, request.pageToken);
  return { models: items, nextPageToken };
}

function refuseDeployed(ctx: SandboxContext, model: StoredModel, versionId?: string): void {
  const deployed = deploymentsOf(ctx.store.state, model.name, versionId);
  if (deployed.length > 0) {
    const where = deployed.map((d) => `DeployedModel ${d.deployedModelId} on ${d.endpoint}`).join(', ');
    throw failedPrecondition(`Model ${model.name}${versionId ? `@${versionId}` : ''} is deployed (${where}); undeploy it first.`);
  }
}

export function deleteModel(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const name = String(request.name ?? '');
  if (parseModelName(name).version !== undefined) throw invalidArgument('DeleteModel takes a model name without a version; use DeleteModelVersion for one version.');
  const model = findModel(ctx.store.state, name);
  refuseDeployed(ctx, model);
  const operation = ctx.operations.start({ kind: 'deleteModel', resource: model.name, request, types: operationTypes(SERVICE, 'DeleteModel') });
  return ctx.operations.toProto(operation);
}

export const runDeleteModel =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    await progress.progress(1);
    const model = findModel(ctx.store.state, String(operation.request.name));
    refuseDeployed(ctx, model);
    delete ctx.store.state.models[model.name];
    return {};
  };

export function deleteModelVersion(ctx: SandboxContext, request: ProtoObject): ProtoObject {
  const name = String(request.name ?? '');
  const { model, version } = findModelVersion(ctx.store.state, name);
  if (parseModelName(name).version === undefined) throw invalidArgument('DeleteModelVersion needs a name with a version, MODEL@VERSION.');
  if (version.versionId === model.defaultVersionId) {
    throw failedPrecondition(`Version ${version.versionId} is the default version of ${model.name}; make another version the default or delete the whole model.`);
  }
  refuseDeployed(ctx, model, version.versionId);
  const operation = ctx.operations.start({
    kind: 'deleteModelVersion',
    resource: model.name,
    request: { name: `${model.name}@${version.versionId}` },
    types: operationTypes(SERVICE, 'DeleteModelVersion'),
  });
  return ctx.operations.toProto(operation);
}

export const runDeleteModelVersion =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    await progress.progress(1);
    const { model, version } = findModelVersion(ctx.store.state, String(operation.request.name));
    refuseDeployed(ctx, model, version.versionId);
    model.versions = model.versions.filter((v) => v !== version);
    return {};
  };
