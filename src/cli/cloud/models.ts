// `model-studio cloud models upload|list|describe|delete`, as `gcloud ai models`.
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { deleteModel, describeModel, listModels, listModelVersions, pushModel, type ModelSummary } from '../../cloud';
import { SANDBOX_BUCKET, SANDBOX_SERVING_IMAGE } from '../../core/sandboxInfo';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { modelFields } from './format';
import { fields, table, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, resolveTarget, waitTimeoutMs } from './target';
import { withClients } from './withClients';
import { uploadFromJob } from './jobModels';

const USAGE = {
  upload: `model-studio cloud models upload (--run RUN | --job JOB [--trial ID]) --display-name NAME [--bucket gs://BUCKET[/PREFIX]] [--create-bucket] [--container-image-uri URI] [--parent-model MODEL] [--runs-dir DIR] ${COMMON_USAGE}`,
  list: `model-studio cloud models list ${COMMON_USAGE}`,
  describe: `model-studio cloud models describe MODEL [--versions] ${COMMON_USAGE}`,
  delete: `model-studio cloud models delete MODEL[@VERSION] ${COMMON_USAGE}`,
};

export async function modelsCommand(verb: string | undefined, argv: string[]): Promise<number> {
  switch (verb) {
    case 'upload':
      return upload(argv);
    case 'list':
      return list(argv);
    case 'describe':
      return describe(argv);
    case 'delete':
      return remove(argv);
    default:
      throw new UserError(`Unknown models command '${verb ?? ''}': use upload, list, describe or delete`);
  }
}

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
          ['displayName', result.model.displayName],
          ['artifactUri', result.artifactUri],
          ['uploaded', `${result.files.length} files, ${result.uploadedBytes} bytes (MD5 verified)`],
        ]),
      );
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
      const versions = await listModelVersions(clients, positionals[0]);
      out.result(versions, () => versions.map(modelFields).join('\n---\n'));
    } else {
      const model = await describeModel(clients, positionals[0]);
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
