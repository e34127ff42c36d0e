// Push: a run's model/ folder goes to gs://BUCKET/PREFIX/, then UploadModel
// registers it with the serving container, labels from the run, and, when a
// parent model is given, as that model's next version in the Model Registry.
import type { CloudClients } from './clients';
import { withAdvice } from './cleanup';
import { describeModel } from './describeModel';
import { explained } from './errors';
import { idOf, modelResourceName, withoutVersion } from './names';
import { operationName, waitForOperation, toPlain, type OperationsClientLike, type OperationUpdate, type WaitOptions } from './operations';
import { readRunModel } from './runModelFiles';
import { explainStorageError } from './storageErrors';
import type { ModelSummary } from './summaries';
import { uploadFiles, type UploadProgress } from './uploadFolder';
import { errorMessage, UserError } from '../shared/errors';
import { importEvaluation } from './evaluations';
import { RUN_LABEL } from '../shared/cloudResources';
import { aliasProblem, DEFAULT_ALIAS } from '../shared/versionAliases';

export const DEFAULT_PREDICT_ROUTE = '/predict';
export const DEFAULT_HEALTH_ROUTE = '/health';
/** The port the serving container listens on (Vertex AI passes it as AIP_HTTP_PORT). */
export const SERVING_PORT = 8080;

export interface PushModelOptions {
  /** The run folder, `.model-studio/runs/<id>`. */
  runDir: string;
  /** gs://BUCKET or gs://BUCKET/PREFIX; files go under PREFIX/ (default model-studio/<run id>/). */
  bucket: string;
  createBucket?: boolean;
  displayName: string;
  /** Serving container image (Artifact Registry URI). */
  imageUri: string;
  predictRoute?: string;
  healthRoute?: string;
  /** Register as a new version of this model instead of a new model. */
  parentModel?: string;
  description?: string;
  /** Describes this version (default: the run and its test accuracy). */
  versionDescription?: string;
  /** Aliases for the new version, e.g. ["champion"]; one another version holds moves here. */
  versionAliases?: string[];
  labels?: Record<string, string>;
  onProgress?: (progress: PushProgress) => void;
  /** Waiting for the registration (progress, deadline, AbortSignal). */
  wait?: WaitOptions;
}

export type PushProgress =
  | { step: 'bucket'; message: string }
  | ({ step: 'upload' } & UploadProgress)
  | ({ step: 'register' } & OperationUpdate);

export interface PushResult {
  /** The new version, with the run's test evaluation when it was imported. */
  model: ModelSummary;
  /** Why the run's evaluation is not in the registry (the model is). */
  evaluationWarning?: string;
  artifactUri: string;
  files: string[];
  uploadedBytes: number;
}

/** Label values: lowercase letters, digits, "_" and "-", at most 63. */
export function labelValue(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .slice(0, 63);
}

export function parseBucketUri(uri: string, runId: string): { bucket: string; prefix: string } {
  const match = /^(?:gs:\/\/)?([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri.trim());
  if (!match) throw new UserError(`"${uri}" is not a Cloud Storage bucket: use gs://BUCKET or gs://BUCKET/PREFIX (lowercase letters, digits, ".", "-", "_")`);
  const path = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: match[1], prefix: `${path === '' ? `model-studio/${runId}` : path}/` };
}

async function ensureBucket(clients: CloudClients, bucket: string, create: boolean, report: (message: string) => void): Promise<void> {
  const action = `checking bucket gs://${bucket}`;
  let exists: boolean;
  try {
    [exists] = await clients.storage.bucket(bucket).exists();
  } catch (error) {
    throw explainStorageError(error, action, clients.config, 'storage.buckets.get');
  }
  if (exists) return;
  if (!create) {
    throw new UserError(
      `Bucket gs://${bucket} does not exist: pass --create-bucket to create it in ${clients.config.region}, or create it with \`gcloud storage buckets create gs://${bucket} --location=${clients.config.region}\``,
    );
  }
  report(`Creating bucket gs://${bucket} in ${clients.config.region}`);
  try {
    await clients.storage.createBucket(bucket, { location: clients.config.region.toUpperCase() });
  } catch (error) {
    throw explainStorageError(error, `creating bucket gs://${bucket}`, clients.config, 'storage.buckets.create');
  }
}

export async function pushModel(clients: CloudClients, options: PushModelOptions): Promise<PushResult> {
  for (const alias of options.versionAliases ?? []) {
    const problem = aliasProblem(alias);
    if (problem) throw new UserError(problem);
  }
  const run = await readRunModel(options.runDir);
  const target = parseBucketUri(options.bucket, labelValue(run.runId));
  const artifactUri = `gs://${target.bucket}/${target.prefix.replace(/\/$/, '')}`;
  const parentModel = options.parentModel ? withoutVersion(modelResourceName(clients.config, options.parentModel)) : undefined;
  if (parentModel) await describeModel(clients, parentModel, options.wait?.signal);
  const report = (message: string): void => options.onProgress?.({ step: 'bucket', message });

  await ensureBucket(clients, target.bucket, options.createBucket ?? false, report);
  const uploaded = await uploadFiles(clients.storage, clients.config, target, run.files, {
    onProgress: (progress) => options.onProgress?.({ step: 'upload', ...progress }),
    signal: options.wait?.signal,
  });

  const accuracy = run.testAccuracy;
  const summary = `Trained by Model Studio in run ${run.runId}${accuracy === undefined ? '' : `, test accuracy ${accuracy.toFixed(4)}`}.`;
  const labels: Record<string, string> = {
    [RUN_LABEL]: labelValue(run.runId),
    ...(accuracy === undefined ? {} : { 'test-accuracy': labelValue(accuracy.toFixed(4)) }),
    ...options.labels,
  };
  const request = {
    parent: clients.parent,
    ...(parentModel ? { parentModel } : {}),
    model: {
      displayName: options.displayName,
      description: options.description ?? summary,
      versionDescription: options.versionDescription ?? summary,
      // The SDK's default: a new version becomes the one that MODEL without @VERSION means
      // (the first version holds "default" anyway).
      versionAliases: [...new Set([...(parentModel ? [DEFAULT_ALIAS] : []), ...(options.versionAliases ?? [])])],
      artifactUri,
      labels,
      containerSpec: {
        imageUri: options.imageUri,
        predictRoute: options.predictRoute ?? DEFAULT_PREDICT_ROUTE,
        healthRoute: options.healthRoute ?? DEFAULT_HEALTH_ROUTE,
        ports: [{ containerPort: SERVING_PORT }],
      },
    },
  };
  const context = { action: `registering ${artifactUri} as ${parentModel ? `a new version of ${idOf(parentModel)}` : `model "${options.displayName}"`}`, config: clients.config };
  const cleanup = `The files stay at ${artifactUri}/; push again, or delete them with \`gcloud storage rm -r ${artifactUri}\``;
  let response: Record<string, unknown>;
  try {
    const operation = await explained(context, async () => operationName((await clients.models.uploadModel(request))[0]));
    response = toPlain(
      await waitForOperation<unknown>(clients.models as unknown as OperationsClientLike, 'uploadModel', operation, context, {
        ...options.wait,
        onProgress: (update) => {
          options.wait?.onProgress?.(update);
          options.onProgress?.({ step: 'register', ...update });
        },
      }),
    );
  } catch (error) {
    throw withAdvice(error, cleanup);
  }
  const versionName = `${String(response.model)}@${String(response.modelVersionId)}`;
  let model = await describeModel(clients, versionName, options.wait?.signal);
  let evaluationWarning: string | undefined;
  if (run.evaluation) {
    try {
      model = { ...model, evaluation: await importEvaluation(clients, versionName, run.evaluation, `Test set of run ${run.runId}`) };
    } catch (error) {
      evaluationWarning = `The model is registered, but its test evaluation was not imported: ${errorMessage(error)}`;
    }
  } else {
    evaluationWarning = `Run ${run.runId} has no test evaluation in its metrics.jsonl, so version ${model.versionId} has none in the registry`;
  }
  return { model, evaluationWarning, artifactUri, files: uploaded.map((u) => u.name), uploadedBytes: uploaded.reduce((s, u) => s + u.bytes, 0) };
}
