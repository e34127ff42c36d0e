// Batch prediction jobs (JobService): create one from a model version
// (MODEL, MODEL@VERSION, MODEL@ALIAS) over JSONL instances in Cloud Storage,
// list, describe, cancel, wait, and read the results next to their inputs.
import type { protos } from '@google-cloud/aiplatform';
import type { CloudClients } from './clients';
import { CloudUserError, explained } from './errors';
import { modelResourceName } from './names';
import { retryRead, SINGLE_ATTEMPT, sleep } from './retry';
import { idOf } from './names';
import { isoTime } from './summaries';
import { DEFAULT_MACHINE_TYPE, type BatchJobState, type BatchPredictionJobSummary } from '../shared/cloudResources';
import { UserError } from '../shared/errors';

type IBatchPredictionJob = protos.google.cloud.aiplatform.v1.IBatchPredictionJob;

export interface CreateBatchJobOptions {
  displayName: string;
  model: string;
  /** gs://BUCKET/instances.jsonl (one instance per line). */
  input: string | string[];
  /** gs://BUCKET/PREFIX: the job writes a prediction-... folder under it. */
  output: string;
  machineType?: string;
  startingReplicaCount?: number;
  maxReplicaCount?: number;
  labels?: Record<string, string>;
}

const TERMINAL: readonly BatchJobState[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

function stateOf(state: unknown): BatchJobState {
  const text = String(state ?? '').replace(/^JOB_STATE_/, '');
  return (['PENDING', 'RUNNING', 'CANCELLING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const).find((s) => s === text) ?? 'UNKNOWN';
}

export function batchJobSummary(job: IBatchPredictionJob): BatchPredictionJobSummary {
  const name = job.name ?? '';
  const stats = job.completionStats;
  return {
    name,
    id: idOf(name),
    displayName: job.displayName ?? '',
    model: job.model ?? '',
    modelVersionId: job.modelVersionId ?? '',
    state: stateOf(job.state),
    inputUris: job.inputConfig?.gcsSource?.uris ?? [],
    outputUriPrefix: job.outputConfig?.gcsDestination?.outputUriPrefix ?? '',
    outputDirectory: job.outputInfo?.gcsOutputDirectory || undefined,
    machineType: job.dedicatedResources?.machineSpec?.machineType || undefined,
    startingReplicaCount: job.dedicatedResources?.startingReplicaCount ?? undefined,
    maxReplicaCount: job.dedicatedResources?.maxReplicaCount ?? undefined,
    successfulCount: Number(String(stats?.successfulCount ?? 0)),
    failedCount: Number(String(stats?.failedCount ?? 0)),
    incompleteCount: Number(String(stats?.incompleteCount ?? 0)),
    replicaHours: Number(String(job.resourcesConsumed?.replicaHours ?? 0)),
    error: job.error?.message || undefined,
    createTime: isoTime(job.createTime),
    startTime: isoTime(job.startTime),
    endTime: isoTime(job.endTime),
  };
}

/** A job ID or full name as projects/P/locations/R/batchPredictionJobs/ID. */
export function batchJobName(clients: CloudClients, job: string): string {
  if (/^projects\/[^/]+\/locations\/[^/]+\/batchPredictionJobs\/[^/]+$/.test(job)) return job;
  if (!/^[0-9]{1,20}$/.test(job)) throw new UserError(`"${job}" is not a batch prediction job ID or name: use an ID such as 1234567890 or projects/P/locations/R/batchPredictionJobs/ID`);
  return `${clients.parent}/batchPredictionJobs/${job}`;
}

export async function createBatchPredictionJob(clients: CloudClients, options: CreateBatchJobOptions): Promise<BatchPredictionJobSummary> {
  const inputs = Array.isArray(options.input) ? options.input : [options.input];
  for (const uri of inputs) {
    if (!/^gs:\/\/[^/]+\/.+/.test(uri)) throw new UserError(`--input "${uri}" must be a Cloud Storage file, gs://BUCKET/instances.jsonl (one JSON instance per line)`);
  }
  if (!/^gs:\/\/[^/]+/.test(options.output)) throw new UserError(`--output "${options.output}" must be a Cloud Storage folder, gs://BUCKET/PREFIX/`);
  const starting = options.startingReplicaCount ?? 1;
  const max = options.maxReplicaCount ?? starting;
  if (max < starting) throw new UserError(`--max-replica-count (${max}) must not be less than --starting-replica-count (${starting})`);
  const model = modelResourceName(clients.config, options.model);
  const request = {
    parent: clients.parent,
    batchPredictionJob: {
      displayName: options.displayName,
      model,
      inputConfig: { instancesFormat: 'jsonl', gcsSource: { uris: inputs } },
      outputConfig: { predictionsFormat: 'jsonl', gcsDestination: { outputUriPrefix: options.output } },
      dedicatedResources: { machineSpec: { machineType: options.machineType ?? DEFAULT_MACHINE_TYPE }, startingReplicaCount: starting, maxReplicaCount: max },
      labels: options.labels,
    },
  };
  return explained({ action: `creating batch prediction job "${options.displayName}" for ${idOf(model)}`, config: clients.config }, async () => {
    const [job] = await clients.jobs.createBatchPredictionJob(request, SINGLE_ATTEMPT);
    return batchJobSummary(job);
  });
}

export async function listBatchPredictionJobs(clients: CloudClients, signal?: AbortSignal): Promise<BatchPredictionJobSummary[]> {
  return explained({ action: 'listing batch prediction jobs', config: clients.config }, async () => {
    const [found] = await retryRead(() => clients.jobs.listBatchPredictionJobs({ parent: clients.parent }), { signal });
    return found.map(batchJobSummary);
  });
}

export async function describeBatchPredictionJob(clients: CloudClients, job: string, signal?: AbortSignal): Promise<BatchPredictionJobSummary> {
  const name = batchJobName(clients, job);
  return explained({ action: `reading batch prediction job ${name}`, config: clients.config }, async () => {
    const [found] = await retryRead(() => clients.jobs.getBatchPredictionJob({ name }), { signal });
    return batchJobSummary(found);
  });
}

/** Asks Vertex AI to cancel; the job goes through CANCELLING to CANCELLED. */
export async function cancelBatchPredictionJob(clients: CloudClients, job: string): Promise<BatchPredictionJobSummary> {
  const name = batchJobName(clients, job);
  await explained({ action: `cancelling batch prediction job ${name}`, config: clients.config }, async () => {
    await clients.jobs.cancelBatchPredictionJob({ name }, SINGLE_ATTEMPT);
  });
  return describeBatchPredictionJob(clients, name);
}

/** Polls until the job succeeds, fails or is cancelled. */
export async function waitForBatchPredictionJob(
  clients: CloudClients,
  job: string,
  options: { pollMs?: number; timeoutMs?: number; signal?: AbortSignal; onProgress?: (job: BatchPredictionJobSummary) => void } = {},
): Promise<BatchPredictionJobSummary> {
  const deadline = Date.now() + (options.timeoutMs ?? 24 * 3_600_000);
  let interval = options.pollMs ?? 1000;
  for (;;) {
    const current = await describeBatchPredictionJob(clients, job, options.signal);
    options.onProgress?.(current);
    if (TERMINAL.includes(current.state)) return current;
    if (Date.now() > deadline) throw new CloudUserError(`Batch prediction job ${current.id} is still ${current.state.toLowerCase()}; check later with \`model-studio cloud batch-prediction-jobs describe ${current.id}\``, 'DEADLINE_EXCEEDED');
    await sleep(interval, options.signal);
    interval = Math.min(interval * 1.5, 30_000);
  }
}

export interface BatchResultLine {
  instance: unknown;
  prediction?: unknown;
  /** Why this instance has no prediction. */
  error?: string;
}

/** The predictions and errors a finished job wrote, each next to its instance. */
export async function readBatchPredictionResults(clients: CloudClients, job: BatchPredictionJobSummary, limit = 10_000): Promise<BatchResultLine[]> {
  if (!job.outputDirectory) throw new UserError(`Batch prediction job ${job.id} has no results (state ${job.state.toLowerCase()})`);
  const match = /^gs:\/\/([^/]+)\/(.*)$/.exec(job.outputDirectory);
  if (!match) throw new UserError(`Batch prediction job ${job.id} wrote to ${job.outputDirectory}, which is not in Cloud Storage`);
  const [files] = await clients.storage.bucket(match[1]).getFiles({ prefix: `${match[2].replace(/\/$/, '')}/` });
  const lines: BatchResultLine[] = [];
  for (const file of files.filter((f) => /\/(predictions|errors)_\d+\.jsonl$/.test(f.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    const [data] = await file.download();
    for (const text of data.toString('utf8').split('\n')) {
      if (text.trim() === '' || lines.length >= limit) continue;
      const row = JSON.parse(text) as { instance?: unknown; prediction?: unknown; status?: { message?: string } };
      lines.push(row.status ? { instance: row.instance, error: row.status.message ?? 'failed' } : { instance: row.instance, prediction: row.prediction });
    }
  }
  return lines;
}
