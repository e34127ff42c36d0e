// `model-studio cloud models upload|list|describe|delete|list-version|
// delete-version|add-version-aliases|remove-version-aliases`, as `gcloud ai models`.
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import {
  addVersionAliases,
  deleteModel,
  describeModel,
  listModels,
  listModelVersions,
  parseAliasList,
  pushModel,
  removeVersionAliases,
  withEvaluations,
  type ModelSummary,
} from '../../cloud';
import { SANDBOX_BUCKET, SANDBOX_SERVING_IMAGE } from '../../core/sandboxInfo';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { evaluationLine, modelFields } from './format';
import { fields, table, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, resolveTarget, waitTimeoutMs } from './target';
import { withClients } from './withClients';
import { uploadFromJob } from './jobModels';
import type { VerbTable } from '../verbs';

const USAGE = {
  upload: `model-studio cloud models upload (--run RUN | --job JOB [--trial ID]) --display-name NAME [--bucket gs://BUCKET[/PREFIX]] [--create-bucket] [--container-image-uri URI] [--parent-model MODEL] [--version-aliases a,b] [--version-description TEXT] [--runs-dir DIR] ${COMMON_USAGE}`,
  list: `model-studio cloud models list ${COMMON_USAGE}`,
  describe: `model-studio cloud models describe MODEL[@VERSION|@ALIAS] [--versions] ${COMMON_USAGE}`,
  delete: `model-studio cloud models delete MODEL[@VERSION] ${COMMON_USAGE}`,
  listVersion: `model-studio cloud models list-version MODEL ${COMMON_USAGE}`,
  deleteVersion: `model-studio cloud models delete-version MODEL@VERSION ${COMMON_USAGE}`,
  addAliases: `model-studio cloud models add-version-aliases MODEL@VERSION --aliases a,b ${COMMON_USAGE}`,
  removeAliases: `model-studio cloud models remove-version-aliases MODEL@VERSION --aliases a,b ${COMMON_USAGE}`,
};

export const modelVerbs: VerbTable = {
  upload: { run: upload, usage: USAGE.upload, note: "--job: a training job's model; a tuning job's best trial unless --trial ID" },
  list: { run: list, usage: USAGE.list },
  describe: { run: describe, usage: USAGE.describe },
  delete: { run: remove, usage: USAGE.delete },
  'list-version': { run: listVersion, usage: USAGE.listVersion },
  'delete-version': { run: deleteVersion, usage: USAGE.deleteVersion },
  'add-version-aliases': { run: (argv) => changeAliases(argv, 'add'), usage: USAGE.addAliases },
  'remove-version-aliases': { run: (argv) => changeAliases(argv, 'remove'), usage: USAGE.removeAliases },
};

function runFolder(run: string, runsDir: string | undefined): string {
  if (existsSync(resolve(run, 'run.json'))) return resolve(run);
  return resolve(runsDir ?? resolve('.model-studio', 'runs'), run);
}

async function upload(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      ...COMMON_OPTIONS,
      run: { type: 'string' },
      'display-name': { type: 'string' },
      bucket: { type: 'string' },
      'create-bucket': { type: 'boolean' },
      'container-image-uri': { type: 'string' },
      'container-predict-route': { type: 'string' },
      'container-health-route': { type: 'string' },
      'parent-model': { type: 'string' },
      'version-aliases': { type: 'string' },
      'version-description': { type: 'string' },
      description: { type: 'string' },
      'runs-dir': { type: 'string' },
      job: { type: 'string' },
      trial: { type: 'string' },
    },
    USAGE.upload,
  );
  if (values.job !== undefined || values.trial !== undefined) {
    if (values.run) throw new UserError(`Pass --run or --job, not both. Usage: ${USAGE.upload}`);
    return uploadFromJob(values, USAGE.upload);
  }
  if (!values.run) throw new UserError(`Missing --run RUN (a run ID or run folder). Usage: ${USAGE.upload}`);
  if (!values['display-name']) throw new UserError(`Missing --display-name NAME. Usage: ${USAGE.upload}`);
  const target = resolveTarget(values);
  const imageUri = values['container-image-uri'] ?? process.env.MODEL_STUDIO_SERVING_IMAGE ?? (target.sandbox ? SANDBOX_SERVING_IMAGE : undefined);
  if (!imageUri) {
    throw new UserError('Missing --container-image-uri: the serving image you pushed to Artifact Registry (see src/serving/README.md), e.g. us-central1-docker.pkg.dev/PROJECT/REPO/tfjs-serving:latest');
  }
  const bucket = values.bucket ?? (target.sandbox ? SANDBOX_BUCKET : undefined);
  if (!bucket) throw new UserError(`Missing --bucket gs://BUCKET[/PREFIX] for the model files. Usage: ${USAGE.upload}`);
  return withClients(
    values,
    async (clients, out) => {
      const result = await withInterrupt((signal) =>
        pushModel(clients, {
          runDir: runFolder(values.run as string, values['runs-dir']),
          bucket,
          createBucket: values['create-bucket'] ?? Boolean(target.sandbox && !values.bucket),
          displayName: values['display-name'] as string,
          imageUri,
          predictRoute: values['container-predict-route'],
          healthRoute: values['container-health-route'],
          parentModel: values['parent-model'],
          versionAliases: values['version-aliases'] === undefined ? undefined : parseAliasList(values['version-aliases']),
          versionDescription: values['version-description'],
          description: values.description,
          onProgress: (p) => {
            if (p.step === 'bucket') out.progress(p.message);
            if (p.step === 'upload') out.progress(`Uploading ${p.file} (${p.fileIndex + 1}/${p.fileCount}) · ${Math.round((100 * p.bytesDone) / Math.max(1, p.totalBytes))}%`);
          },
          wait: out.waitOptions('Registering the model', waitTimeoutMs(values.timeout), signal),
        }),
      );
      out.result(result, () =>
        fields([
          ['model', result.model.name],
          ['versionId', result.model.versionId],
          ['versionAliases', result.model.versionAliases.join(', ')],
          ['displayName', result.model.displayName],
          ['artifactUri', result.artifactUri],
          ['uploaded', `${result.files.length} files, ${result.uploadedBytes} bytes (MD5 verified)`],
          ['evaluation', result.model.evaluation ? evaluationLine(result.model.evaluation) : undefined],
        ]),
      );
      if (result.evaluationWarning) out.progress(result.evaluationWarning);
      return 0;
    },
    target,
  );
}

function modelRows(models: ModelSummary[]): string[][] {
  return models.map((m) => [m.id, m.displayName, m.versionId, m.createTime ?? '', String(m.deployedTo.length)]);
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE.list);
  return withClients(values, async (clients, out) => {
    const models = await listModels(clients);
    out.result(models, () => (models.length === 0 ? 'Listed 0 items.' : table(['MODEL_ID', 'DISPLAY_NAME', 'VERSION', 'CREATED', 'DEPLOYMENTS'], modelRows(models))));
    return 0;
  });
}

async function describe(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, versions: { type: 'boolean' } }, USAGE.describe);
  if (positionals.length !== 1) throw new UserError(`Expected one MODEL. Usage: ${USAGE.describe}`);
  return withClients(values, async (clients, out) => {
    if (values.versions) {
      const versions = await withEvaluations(clients, await listModelVersions(clients, positionals[0]));
      out.result(versions, () => versions.map(modelFields).join('\n---\n'));
    } else {
      const [model] = await withEvaluations(clients, [await describeModel(clients, positionals[0])]);
      out.result(model, () => modelFields(model));
    }
    return 0;
  });
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE.delete);
  if (positionals.length !== 1) throw new UserError(`Expected one MODEL. Usage: ${USAGE.delete}`);
  return withClients(values, async (clients, out) => {
    await withInterrupt((signal) => deleteModel(clients, positionals[0], out.waitOptions(`Deleting model ${positionals[0]}`, waitTimeoutMs(values.timeout), signal)));
    out.result({ deleted: positionals[0] }, () => `Deleted model ${positionals[0]}.`);
    return 0;
  });
}

function versionRows(versions: ModelSummary[]): string[][] {
  return versions.map((v) => [
    v.versionId,
    v.versionAliases.join(','),
    v.versionCreateTime ?? '',
    v.evaluation?.accuracy === undefined ? '' : v.evaluation.accuracy.toFixed(4),
    v.evaluation?.logLoss === undefined ? '' : v.evaluation.logLoss.toFixed(4),
    v.deployedTo.map((d) => `${d.deployedModelId}@${d.endpoint.slice(d.endpoint.lastIndexOf('/') + 1)}`).join(','),
    v.versionDescription ?? '',
  ]);
}

async function listVersion(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE.listVersion);
  if (positionals.length !== 1) throw new UserError(`Expected one MODEL. Usage: ${USAGE.listVersion}`);
  return withClients(values, async (clients, out) => {
    const versions = await withEvaluations(clients, await listModelVersions(clients, positionals[0]));
    out.result(versions, () => table(['VERSION_ID', 'ALIASES', 'CREATED', 'ACCURACY', 'LOG_LOSS', 'DEPLOYED (ID@ENDPOINT)', 'DESCRIPTION'], versionRows(versions)));
    return 0;
  });
}

async function deleteVersion(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE.deleteVersion);
  if (positionals.length !== 1 || !positionals[0].includes('@')) throw new UserError(`Expected one MODEL@VERSION. Usage: ${USAGE.deleteVersion}`);
  const version = positionals[0];
  return withClients(values, async (clients, out) => {
    await withInterrupt((signal) => deleteModel(clients, version, out.waitOptions(`Deleting version ${version}`, waitTimeoutMs(values.timeout), signal)));
    out.result({ deleted: version }, () => `Deleted model version ${version}.`);
    return 0;
  });
}

async function changeAliases(argv: string[], change: 'add' | 'remove'): Promise<number> {
  const usage = change === 'add' ? USAGE.addAliases : USAGE.removeAliases;
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, aliases: { type: 'string' } }, usage);
  if (positionals.length !== 1) throw new UserError(`Expected one MODEL@VERSION. Usage: ${usage}`);
  if (values.aliases === undefined) throw new UserError(`Missing --aliases a,b. Usage: ${usage}`);
  const aliases = parseAliasList(values.aliases);
  return withClients(values, async (clients, out) => {
    const version =
      change === 'add' ? await addVersionAliases(clients, positionals[0], aliases) : await removeVersionAliases(clients, positionals[0], aliases);
    out.result(version, () => `Version ${version.versionId} of model ${version.id} has aliases: ${version.versionAliases.join(', ') || '(none)'}.`);
    return 0;
  });
}
