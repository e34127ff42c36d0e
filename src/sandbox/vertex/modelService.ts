// google.cloud.aiplatform.v1.ModelService: upload (new models and new
// versions of a model), get, list, list versions, update, merge version
// aliases, delete, delete version.
import type { protos } from '@google-cloud/aiplatform';
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
import { aborted, alreadyExists, failedPrecondition, invalidArgument, notFound } from './status';
import { ALIAS_PATTERN, ALIAS_RULE, DEFAULT_ALIAS, mergeAliases } from '../../shared/versionAliases';

/** Aliases one upload or merge may name. */
const MAX_ALIASES = 32;

type IModel = protos.google.cloud.aiplatform.v1.IModel;
type IModelContainerSpec = protos.google.cloud.aiplatform.v1.IModelContainerSpec;
type IUploadModelRequest = protos.google.cloud.aiplatform.v1.IUploadModelRequest;
type IGetModelRequest = protos.google.cloud.aiplatform.v1.IGetModelRequest;
type IListModelsRequest = protos.google.cloud.aiplatform.v1.IListModelsRequest;
type IListModelVersionsRequest = protos.google.cloud.aiplatform.v1.IListModelVersionsRequest;
type IUpdateModelRequest = protos.google.cloud.aiplatform.v1.IUpdateModelRequest;
type IMergeVersionAliasesRequest = protos.google.cloud.aiplatform.v1.IMergeVersionAliasesRequest;
type IDeleteModelRequest = protos.google.cloud.aiplatform.v1.IDeleteModelRequest;
type IDeleteModelVersionRequest = protos.google.cloud.aiplatform.v1.IDeleteModelVersionRequest;

const SERVICE = `${V1}.ModelService`;

function checkContainerSpec(spec: IModelContainerSpec | null | undefined): IModelContainerSpec {
  const container = spec ?? {};
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

function checkAliases(aliases: readonly string[] | null | undefined, field = 'model.version_aliases'): string[] {
  const list = aliases ?? [];
  if (list.length > MAX_ALIASES) throw invalidArgument(`${field} has more than ${MAX_ALIASES} aliases.`);
  for (const alias of list) {
    if (!ALIAS_PATTERN.test(alias)) throw invalidArgument(`${field}: version alias "${alias}" must match ${ALIAS_RULE}.`);
  }
  return [...new Set(list)];
}

/** Takes `aliases` away from the other versions of `model`: an alias names one version. */
function moveAliases(model: StoredModel, to: StoredModelVersion, aliases: readonly string[]): void {
  for (const alias of aliases) {
    if (alias === DEFAULT_ALIAS) {
      model.defaultVersionId = to.versionId;
      continue;
    }
    for (const other of model.versions) {
      if (other !== to && other.versionAliases.includes(alias)) {
        other.versionAliases = other.versionAliases.filter((a) => a !== alias);
        touchVersion(other);
      }
    }
    if (!to.versionAliases.includes(alias)) to.versionAliases.push(alias);
  }
}

function touchVersion(version: StoredModelVersion): void {
  version.updateTime = nowIso();
  version.etag = newEtag();
}

export function uploadModel(ctx: SandboxContext, request: IUploadModelRequest): ProtoObject {
  const parent = parseParent(String(request.parent ?? ''));
  const model: IModel = request.model ?? {};
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
    request: { ...request, model: { ...model }, resolvedName: name, newModel: parentModel === '' } as ProtoObject,
    types: operationTypes(SERVICE, 'UploadModel'),
  });
  return ctx.operations.toProto(operation);
}

export const runUploadModel =
  (ctx: SandboxContext): OperationRunner =>
  async (operation, progress) => {
    const request = operation.request;
    const model = request.model as IModel;
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
    const version: StoredModelVersion = {
      versionId,
      displayName: String(model.displayName),
      description: checkDescription('model.description', model.description),
      versionDescription: checkDescription('model.version_description', model.versionDescription),
      containerSpec: checkContainerSpec(model.containerSpec),
      artifactUri: artifactUri || undefined,
      labels: checkLabels('model.labels', model.labels),
      versionAliases: [],
      createTime: now,
      updateTime: now,
      etag: newEtag(),
    };
    stored.versions.push(version);
    // The first version holds "default" whatever the request says.
    if (stored.versions.length === 1) stored.defaultVersionId = versionId;
    moveAliases(stored, version, aliases);
    return { model: name, modelVersionId: versionId };
  };

export function getModel(ctx: SandboxContext, request: IGetModelRequest): ProtoObject {
  const { model, version } = findModelVersion(ctx.store.state, String(request.name ?? ''));
  return modelProto(ctx.store.state, model, version);
}

export function listModels(ctx: SandboxContext, request: IListModelsRequest): ProtoObject {
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

export function listModelVersions(ctx: SandboxContext, request: IListModelVersionsRequest): ProtoObject {
  const model = findModel(ctx.store.state, String(request.name ?? ''));
  const versions = model.versions.map((v) => modelProto(ctx.store.state, model, v));
  const { items, nextPageToken } = page(versions, request.pageSize, request.pageToken);
  return { models: items, nextPageToken };
}

/** MergeVersionAliases: adds, moves (from the version that holds it) and, with "-name", removes aliases of one version. */
export function mergeVersionAliases(ctx: SandboxContext, request: IMergeVersionAliasesRequest): ProtoObject {
  const name = String(request.name ?? '');
  const ref = parseModelName(name);
  const model = findModel(ctx.store.state, name);
  const version = model.versions.find((v) => v.versionId === ref.version);
  if (!version) {
    if (ref.version === undefined || !/^[0-9]+$/.test(ref.version)) throw invalidArgument(`name "${name}" must name a version by its ID, MODEL@VERSION_ID.`);
    throw notFound(`Model ${model.name} has no version ${ref.version}.`);
  }
  const changes = request.versionAliases ?? [];
  if (changes.length === 0) throw invalidArgument('version_aliases is required: list aliases to add, or "-alias" to remove one.');
  checkAliases(changes.map((c) => (c.startsWith('-') ? c.slice(1) : c)), 'version_aliases');
  if (changes.includes(`-${DEFAULT_ALIAS}`) && !changes.includes(DEFAULT_ALIAS)) {
    throw failedPrecondition(`The "${DEFAULT_ALIAS}" alias cannot be removed: add it to another version of ${model.name} to move it there.`);
  }
  const current = version.versionId === model.defaultVersionId ? [DEFAULT_ALIAS, ...version.versionAliases] : version.versionAliases;
  const next = mergeAliases(current, changes);
  version.versionAliases = version.versionAliases.filter((a) => next.includes(a));
  moveAliases(model, version, next.filter((a) => !current.includes(a)));
  touchVersion(version);
  ctx.store.save();
  return modelProto(ctx.store.state, model, version);
}

const UPDATABLE_MODEL_FIELDS = new Set(['display_name', 'description', 'version_description', 'labels']);

/** UpdateModel of one version's display name, descriptions and labels (etag-checked). */
export function updateModel(ctx: SandboxContext, request: IUpdateModelRequest): ProtoObject {
  const changes: IModel = request.model ?? {};
  const { model, version } = findModelVersion(ctx.store.state, String(changes.name ?? ''));
  const paths = (request.updateMask?.paths ?? []).map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  if (paths.length === 0) throw invalidArgument('update_mask is required: list the fields to change, e.g. version_description.');
  const unknown = paths.filter((p) => !UPDATABLE_MODEL_FIELDS.has(p));
  if (unknown.length > 0) throw invalidArgument(`update_mask has fields that cannot be updated: ${unknown.join(', ')}.`);
  if (changes.etag && changes.etag !== version.etag) {
    throw aborted(`The etag "${changes.etag}" of Model ${model.name}@${version.versionId} is stale: read it again and retry.`);
  }
  const next: Partial<StoredModelVersion> = {};
  if (paths.includes('display_name')) next.displayName = checkDisplayName('model.display_name', changes.displayName);
  if (paths.includes('description')) next.description = checkDescription('model.description', changes.description);
  if (paths.includes('version_description')) next.versionDescription = checkDescription('model.version_description', changes.versionDescription);
  if (paths.includes('labels')) next.labels = checkLabels('model.labels', changes.labels);
  Object.assign(version, next);
  touchVersion(version);
  ctx.store.save();
  return modelProto(ctx.store.state, model, version);
}

function refuseDeployed(ctx: SandboxContext, model: StoredModel, versionId?: string): void {
  const deployed = deploymentsOf(ctx.store.state, model.name, versionId);
  if (deployed.length > 0) {
    const where = deployed.map((d) => `DeployedModel ${d.deployedModelId} on ${d.endpoint}`).join(', ');
    throw failedPrecondition(`Model ${model.name}${versionId ? `@${versionId}` : ''} is deployed (${where}); undeploy it first.`);
  }
}

export function deleteModel(ctx: SandboxContext, request: IDeleteModelRequest): ProtoObject {
  const name = String(request.name ?? '');
  if (parseModelName(name).version !== undefined) throw invalidArgument('DeleteModel takes a model name without a version; use DeleteModelVersion for one version.');
  const model = findModel(ctx.store.state, name);
  refuseDeployed(ctx, model);
  const operation = ctx.operations.start({ kind: 'deleteModel', resource: model.name, request: { name: model.name }, types: operationTypes(SERVICE, 'DeleteModel') });
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

export function deleteModelVersion(ctx: SandboxContext, request: IDeleteModelVersionRequest): ProtoObject {
  const name = String(request.name ?? '');
  const { model, version } = findModelVersion(ctx.store.state, name);
  if (parseModelName(name).version === undefined) throw invalidArgument('DeleteModelVersion needs a name with a version, MODEL@VERSION.');
  refuseDeployed(ctx, model, version.versionId);
  if (version.versionId === model.defaultVersionId) {
    throw failedPrecondition(`Version ${version.versionId} is the default version of ${model.name}; make another version the default or delete the whole model.`);
  }
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
