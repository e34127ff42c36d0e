// Vertex AI custom jobs from a spec: the inputs go to the bucket (skipped
// when the same bytes are there), then one worker pool runs the trainer image
// with --spec=gs://...; list, describe and cancel as `gcloud ai custom-jobs` do.
import type { google } from '@google-cloud/aiplatform/build/protos/protos';
import { UserError } from '../shared/errors';
import { trainingPriceSource } from '../shared/vertexTraining';
import type { CloudClients } from './clients';
import { explained } from './errors';
import { stageInputs, uploadInputs, type UploadedInputs } from './jobInputs';
import { cancelTrainingJob, describeTrainingJob, listTrainingJobs, type TrainingJobKind } from './jobLifecycle';
import { explainStorageError } from './storageErrors';
import {
  baseOutputOf,
  elapsedMs,
  estimatedCost,
  explainJobError,
  isFinalJobState,
  jobState,
  jobTimes,
  machineOf,
  newOutputDir,
  specUriOf,
  type JobMachine,
  type JobTimes,
  type TrainingJobState,
} from './trainingJobs';

type ICustomJob = google.cloud.aiplatform.v1.ICustomJob;
type ICustomJobSpec = google.cloud.aiplatform.v1.ICustomJobSpec;

export interface TrainerMachineOptions {
  /** Default n1-standard-4. */
  machineType?: string;
  accelerator?: { type: string; count: number };
  replicaCount?: number;
  /** The trainer image (Artifact Registry URI). */
  imageUri: string;
  serviceAccount?: string;
  timeoutSeconds?: number;
  spot?: boolean;
}

export interface TrainingInputOptions extends TrainerMachineOptions {
  specPath: string;
  displayName: string;
  /** gs://BUCKET */
  bucket: string;
  /** Train this many epochs instead of the spec's. */
  epochs?: number;
  labels?: Record<string, string>;
  /** Create the bucket in the job's region when it is missing (the sandbox's default bucket). */
  createBucket?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface CustomJobSummary extends JobTimes {
  kind: 'custom';
  name: string;
  id: string;
  displayName: string;
  state: TrainingJobState;
  /** The job's error, explained; set when it failed. */
  error?: string;
  machine: JobMachine;
  /** gs://.../ with run.json, metrics.jsonl, model/ and checkpoints/. */
  outputDir: string;
  specUri?: string;
  elapsedMs: number;
  estimatedCostUsd?: number;
  /** Where the estimate's prices come from: the catalog with its date, or the bundled fallback. */
  priceSource: string;
  labels: Record<string, string>;
}

export function customJobSummary(job: ICustomJob, clients: CloudClients, now = Date.now()): CustomJobSummary {
  const machine = machineOf(job.jobSpec);
  const times = jobTimes(job);
  const elapsed = elapsedMs(times.startTime, times.endTime, now);
  const state = jobState(job.state);
  return {
    kind: 'custom',
    name: job.name ?? '',
    id: (job.name ?? '').split('/').pop() ?? '',
    displayName: job.displayName ?? '',
    state,
    error: job.error?.message && state === 'failed' ? explainJobError(job.error.message, machine, clients.config) : undefined,
    machine,
    outputDir: baseOutputOf(job.jobSpec),
    specUri: specUriOf(job.jobSpec),
    ...times,
    elapsedMs: elapsed,
    estimatedCostUsd: estimatedCost(machine, elapsed, clients.trainingPrices),
    priceSource: trainingPriceSource(clients.trainingPrices),
    labels: { ...(job.labels ?? {}) },
  };
}

/** gs://BUCKET, checked to exist and to be where the job runs. */
export async function checkTrainingBucket(clients: CloudClients, bucketUri: string, createIfMissing = false): Promise<string> {
  const match = /^(?:gs:\/\/)?([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])\/?$/.exec(bucketUri.trim());
  if (!match) throw new UserError(`"${bucketUri}" is not a bucket: pass --bucket gs://BUCKET`);
  const bucket = match[1];
  const { region } = clients.config;
  let location: string | undefined;
  try {
    const [metadata] = await clients.storage.bucket(bucket).getMetadata();
    location = metadata.location?.toLowerCase();
  } catch (error) {
    if ((error as { code?: number }).code === 404 && createIfMissing) {
      await clients.storage.createBucket(bucket, { location: region.toUpperCase() }).catch((e: unknown) => {
        throw explainStorageError(e, `creating bucket gs://${bucket}`, clients.config, 'storage.buckets.create');
      });
      return bucket;
    }
    if ((error as { code?: number }).code === 404) {
      throw new UserError(`Bucket gs://${bucket} does not exist: create it with \`gcloud storage buckets create gs://${bucket} --location=${region}\``);
    }
    throw explainStorageError(error, `checking bucket gs://${bucket}`, clients.config, 'storage.buckets.get');
  }
  // A regional bucket elsewhere makes every read and write cross regions (and Vertex AI refuses some).
  if (location && location.includes('-') && location !== region) {
    throw new UserError(`Bucket gs://${bucket} is in ${location}, the job would run in ${region}: use a bucket in ${region} (\`gcloud storage buckets create gs://NAME --location=${region}\`) or pass --region ${location}`);
  }
  return bucket;
}

/** The CustomJobSpec that runs the trainer image on the uploaded spec. */
export function trainerJobSpec(options: TrainerMachineOptions & { epochs?: number }, specUri: string, outputDir: string): ICustomJobSpec {
  const count = options.accelerator?.count ?? 0;
  return {
    workerPoolSpecs: [
      {
        machineSpec: {
          machineType: options.machineType ?? 'n1-standard-4',
          ...(options.accelerator && count > 0 ? { acceleratorType: options.accelerator.type as never, acceleratorCount: count } : {}),
        },
        replicaCount: options.replicaCount ?? 1,
        containerSpec: {
          imageUri: options.imageUri,
          args: [`--spec=${specUri}`, ...(options.epochs ? [`--epochs=${options.epochs}`] : [])],
        },
      },
    ],
    baseOutputDirectory: { outputUriPrefix: outputDir },
    ...(options.serviceAccount ? { serviceAccount: options.serviceAccount } : {}),
    ...(options.timeoutSeconds || options.spot
      ? { scheduling: { ...(options.timeoutSeconds ? { timeout: { seconds: options.timeoutSeconds } } : {}), ...(options.spot ? { strategy: 'SPOT' as never } : {}) } }
      : {}),
  };
}

/** Checks the bucket, then uploads the spec, the bundled module and local data files. */
export async function prepareTrainingInputs(clients: CloudClients, options: TrainingInputOptions): Promise<{ bucket: string; inputs: UploadedInputs }> {
  const bucket = await checkTrainingBucket(clients, options.bucket, options.createBucket);
  options.onProgress?.(`Uploading the spec and its files to gs://${bucket}`);
  const staged = await stageInputs(options.specPath, bucket);
  const inputs = await uploadInputs(clients.storage, clients.config, bucket, staged, options.signal);
  options.onProgress?.(`Uploaded ${inputs.uploaded.length} file(s), ${inputs.skipped.length} already there`);
  return { bucket, inputs };
}

export async function createCustomJob(clients: CloudClients, options: TrainingInputOptions): Promise<{ job: CustomJobSummary; inputs: UploadedInputs }> {
  const { bucket, inputs } = await prepareTrainingInputs(clients, options);
  const jobSpec = trainerJobSpec(options, inputs.specUri, newOutputDir(bucket, options.displayName));
  const customJob: ICustomJob = { displayName: options.displayName, jobSpec, labels: { 'model-studio-spec': labelText(inputs.spec.name), ...options.labels } };
  const created = await explained({ action: `creating custom job "${options.displayName}"`, config: clients.config }, async () => {
    const [job] = await clients.jobs.createCustomJob({ parent: clients.parent, customJob });
    return job;
  });
  return { job: customJobSummary(created, clients), inputs };
}

/** A spec's name as a label value. */
export function labelText(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').slice(0, 63);
}

const CUSTOM_JOBS: TrainingJobKind<ICustomJob, CustomJobSummary> = {
  collection: 'customJobs',
  noun: 'custom job',
  get: async (clients, name) => (await clients.jobs.getCustomJob({ name }))[0],
  list: async (clients) => (await clients.jobs.listCustomJobs({ parent: clients.parent }))[0],
  cancel: (clients, name) => clients.jobs.cancelCustomJob({ name }),
  summary: (job, clients) => customJobSummary(job, clients),
};

export async function describeCustomJob(clients: CloudClients, job: string, signal?: AbortSignal): Promise<CustomJobSummary> {
  return describeTrainingJob(clients, CUSTOM_JOBS, job, signal);
}

export async function listCustomJobs(clients: CloudClients, signal?: AbortSignal): Promise<CustomJobSummary[]> {
  return listTrainingJobs(clients, CUSTOM_JOBS, signal);
}

/** Asks Vertex AI to cancel; the job goes through cancelling to cancelled. */
export async function cancelCustomJob(clients: CloudClients, job: string): Promise<CustomJobSummary> {
  return cancelTrainingJob(clients, CUSTOM_JOBS, job);
}

export { isFinalJobState };
