// google.cloud.aiplatform.v1.JobService batch prediction: a job reads JSONL
// instances from Cloud Storage, runs them through the model version's serving
// code (the same predictor as online predictions), and writes
// predictions_00001.jsonl ({"instance", "prediction"} per line) and
// errors_00001.jsonl under a prediction-<model>-<time> folder of the output
// prefix, with Vertex AI's job states, completion stats and replica-hours.
import type { protos } from '@google-cloud/aiplatform';
import type { SandboxContext } from './context';
import { nowIso, numericId, timestamp } from './ids';
import { checkMachineSpec } from './machines';
import { checkDisplayName, checkLabels, parentName, parseModelName, parseParent } from './names';
import type { ProtoObject } from './protos';
import { findModelVersion, matchesFilter, page } from './resources';
import type { StoredBatchJob } from './state';
import { failedPrecondition, invalidArgument, notFound } from './status';
import { errorMessage } from '../../shared/errors';

type ICreateBatchPredictionJobRequest = protos.google.cloud.aiplatform.v1.ICreateBatchPredictionJobRequest;
type IGetBatchPredictionJobRequest = protos.google.cloud.aiplatform.v1.IGetBatchPredictionJobRequest;
type IListBatchPredictionJobsRequest = protos.google.cloud.aiplatform.v1.IListBatchPredictionJobsRequest;
type ICancelBatchPredictionJobRequest = protos.google.cloud.aiplatform.v1.ICancelBatchPredictionJobRequest;

/** Input limits of the sandbox: input files, their bytes, instances per job. */
const MAX_INPUT_FILES = 100;
const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const MAX_INSTANCES = 100_000;
/** Instances per call to the model server. */
const CHUNK = 64;
const MAX_REPLICAS = 1000;
const GS_URI = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}\/.+/;
const GS_PREFIX = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}(\/.*)?$/;
const DONE = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED']);

function jobs(ctx: SandboxContext): Record<string, StoredBatchJob> {
  return (ctx.store.state.batchPredictionJobs ??= {});
}

function findJob(ctx: SandboxContext, name: string): StoredBatchJob {
  if (!/^projects\/[^/]+\/locations\/[^/]+\/batchPredictionJobs\/[^/]+$/.test(name)) {
    throw invalidArgument(`name "${name}" must look like projects/PROJECT/locations/LOCATION/batchPredictionJobs/JOB.`);
  }
  const job = jobs(ctx)[name];
  if (!job) throw notFound(`BatchPredictionJob ${name} does not exist.`);
  return job;
}

/** CancelBatchPredictionJob arrived (read through a function: it changes while the job runs). */
function cancelling(job: StoredBatchJob): boolean {
  return job.state === 'JOB_STATE_CANCELLING';
}

function jobProto(job: StoredBatchJob): ProtoObject {
  return {
    name: job.name,
    displayName: job.displayName,
    model: job.model,
    modelVersionId: job.modelVersionId,
    inputConfig: { instancesFormat: 'jsonl', gcsSource: { uris: job.inputUris } },
    outputConfig: { predictionsFormat: 'jsonl', gcsDestination: { outputUriPrefix: job.outputUriPrefix } },
    dedicatedResources: job.dedicatedResources,
    ...(job.outputDirectory ? { outputInfo: { gcsOutputDirectory: job.outputDirectory } } : {}),
    state: job.state,
    ...(job.error ? { error: { code: job.error.code, message: job.error.message } } : {}),
    completionStats: job.completionStats,
    resourcesConsumed: { replicaHours: job.replicaHours },
    labels: job.labels,
    createTime: timestamp(job.createTime),
    updateTime: timestamp(job.updateTime),
    ...(job.startTime ? { startTime: timestamp(job.startTime) } : {}),
    ...(job.endTime ? { endTime: timestamp(job.endTime) } : {}),
  };
}

export function createBatchPredictionJob(ctx: SandboxContext, request: ICreateBatchPredictionJobRequest): ProtoObject {
  const parent = parseParent(String(request.parent ?? ''));
  const spec = request.batchPredictionJob ?? {};
  const displayName = checkDisplayName('batch_prediction_job.display_name', spec.displayName);
  const labels = checkLabels('batch_prediction_job.labels', spec.labels);
  if (!spec.model) throw invalidArgument('batch_prediction_job.model is required: MODEL, MODEL@VERSION or MODEL@ALIAS.');
  const modelRef = parseModelName(spec.model, 'batch_prediction_job.model');
  if (parentName(modelRef) !== parentName(parent)) throw invalidArgument('batch_prediction_job.model must be in the same project and location as parent.');
  const { model, version } = findModelVersion(ctx.store.state, spec.model);
  const format = spec.inputConfig?.instancesFormat ?? '';
  if (format !== 'jsonl') throw invalidArgument(`batch_prediction_job.input_config.instances_format "${format}" is not supported by this model; use jsonl.`);
  const uris = spec.inputConfig?.gcsSource?.uris ?? [];
  if (uris.length === 0) throw invalidArgument('batch_prediction_job.input_config.gcs_source.uris is required: gs://BUCKET/instances.jsonl.');
  if (uris.length > MAX_INPUT_FILES) throw invalidArgument(`batch_prediction_job.input_config.gcs_source.uris has ${uris.length} files; at most ${MAX_INPUT_FILES}.`);
  for (const uri of uris) if (!GS_URI.test(uri)) throw invalidArgument(`Input "${uri}" must be a Cloud Storage object, gs://BUCKET/PATH.`);
  const outputFormat = spec.outputConfig?.predictionsFormat ?? '';
  if (outputFormat !== 'jsonl') throw invalidArgument(`batch_prediction_job.output_config.predictions_format "${outputFormat}" is not supported; use jsonl.`);
  const prefix = spec.outputConfig?.gcsDestination?.outputUriPrefix ?? '';
  if (!GS_PREFIX.test(prefix)) throw invalidArgument(`batch_prediction_job.output_config.gcs_destination.output_uri_prefix "${prefix}" must be gs://BUCKET[/PATH].`);
  const resources = spec.dedicatedResources;
  if (!resources?.machineSpec) throw invalidArgument('batch_prediction_job.dedicated_resources.machine_spec is required for custom-trained models.');
  checkMachineSpec(resources.machineSpec);
  const starting = Number(resources.startingReplicaCount ?? 1) || 1;
  const max = Number(resources.maxReplicaCount ?? 0) || starting;
  if (!Number.isInteger(starting) || starting < 1) throw invalidArgument('dedicated_resources.starting_replica_count must be at least 1.');
  if (max < starting || max > MAX_REPLICAS) throw invalidArgument(`dedicated_resources.max_replica_count (${max}) must be from starting_replica_count (${starting}) to ${MAX_REPLICAS}.`);
  const now = nowIso();
  const job: StoredBatchJob = {
    name: `${parentName(parent)}/batchPredictionJobs/${numericId()}`,
    displayName,
    model: model.name,
    modelVersionId: version.versionId,
    modelDisplayName: version.displayName,
    artifactUri: version.artifactUri ?? '',
    inputUris: [...uris],
    outputUriPrefix: prefix.replace(/\/+$/, ''),
    dedicatedResources: { machineSpec: resources.machineSpec, startingReplicaCount: starting, maxReplicaCount: max },
    state: 'JOB_STATE_PENDING',
    completionStats: { successfulCount: 0, failedCount: 0, incompleteCount: 0 },
    replicaHours: 0,
    labels,
    createTime: now,
    updateTime: now,
  };
  jobs(ctx)[job.name] = job;
  ctx.store.save();
  ctx.batchRunner.start(job);
  return jobProto(job);
}

export function getBatchPredictionJob(ctx: SandboxContext, request: IGetBatchPredictionJobRequest): ProtoObject {
  return jobProto(findJob(ctx, String(request.name ?? '')));
}

export function listBatchPredictionJobs(ctx: SandboxContext, request: IListBatchPredictionJobsRequest): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const list = Object.values(jobs(ctx))
    .filter((j) => j.name.startsWith(`${parent}/`) && matchesFilter(request.filter, j.displayName, j.labels))
    .sort((a, b) => b.createTime.localeCompare(a.createTime))
    .map(jobProto);
  const { items, nextPageToken } = page(list, request.pageSize, request.pageToken);
  return { batchPredictionJobs: items, nextPageToken };
}

export function cancelBatchPredictionJob(ctx: SandboxContext, request: ICancelBatchPredictionJobRequest): ProtoObject {
  const job = findJob(ctx, String(request.name ?? ''));
  if (DONE.has(job.state)) throw failedPrecondition(`BatchPredictionJob ${job.name} is already ${job.state.replace('JOB_STATE_', '').toLowerCase()}; there is nothing to cancel.`);
  job.state = 'JOB_STATE_CANCELLING';
  job.updateTime = nowIso();
  ctx.store.save();
  return {};
}

/** Runs jobs in the background, one chunk of instances at a time, so cancel takes effect between chunks. */
export class BatchRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly delayMs: number,
  ) {}

  start(job: StoredBatchJob): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.run(job);
    }, this.delayMs);
    this.timers.add(timer);
  }

  /** Jobs a previous process left unfinished start over. */
  resumePending(): void {
    for (const job of Object.values(jobs(this.ctx))) if (!DONE.has(job.state)) this.start(job);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  private finish(job: StoredBatchJob, state: StoredBatchJob['state'], error?: { code: number; message: string }): void {
    const now = nowIso();
    job.state = state;
    job.endTime = now;
    job.updateTime = now;
    if (error) job.error = error;
    const replicas = Number(job.dedicatedResources.startingReplicaCount ?? 1);
    job.replicaHours = ((Date.parse(now) - Date.parse(job.startTime ?? now)) / 3_600_000) * replicas;
    this.ctx.store.save();
  }

  private async run(job: StoredBatchJob): Promise<void> {
    if (this.closed) return;
    if (job.state === 'JOB_STATE_CANCELLING') return this.finish(job, 'JOB_STATE_CANCELLED');
    job.state = 'JOB_STATE_RUNNING';
    job.startTime = nowIso();
    job.updateTime = job.startTime;
    this.ctx.store.save();
    const objects = this.ctx.objects;
    const key = `batch:${job.name}`;
    try {
      if (!objects) throw new Error('the sandbox has no storage server attached');
      const lines: { text: string; source: string }[] = [];
      let bytes = 0;
      for (const uri of job.inputUris) {
        const data = await objects.read(uri).catch((error: unknown) => {
          throw failedPrecondition(`Cannot read input ${uri}: ${errorMessage(error)}`);
        });
        bytes += data.length;
        if (bytes > MAX_INPUT_BYTES) throw invalidArgument(`The input files hold more than ${MAX_INPUT_BYTES} bytes, the sandbox's limit.`);
        for (const text of data.toString('utf8').split('\n')) if (text.trim() !== '') lines.push({ text, source: uri });
      }
      if (lines.length > MAX_INSTANCES) throw invalidArgument(`The input files hold ${lines.length} instances; the sandbox runs at most ${MAX_INSTANCES} per job.`);
      job.completionStats = { successfulCount: 0, failedCount: 0, incompleteCount: lines.length };
      const server = await this.ctx.predictors.get(key, job.artifactUri);
      const predictions: string[] = [];
      const errors: string[] = [];
      for (let start = 0; start < lines.length; start += CHUNK) {
        if (this.closed) return;
        if (cancelling(job)) return this.finish(job, 'JOB_STATE_CANCELLED');
        const parsed = lines.slice(start, start + CHUNK).map(({ text }) => {
          try {
            return { instance: JSON.parse(text) as unknown };
          } catch {
            return { raw: text };
          }
        });
        for (const bad of parsed.filter((p) => 'raw' in p)) errors.push(JSON.stringify({ instance: bad.raw, status: { code: 3, message: 'The line is not valid JSON.' } }));
        const good = parsed.filter((p): p is { instance: unknown } => 'instance' in p);
        await this.predictChunk(server, good.map((g) => g.instance), predictions, errors);
        job.completionStats = {
          successfulCount: predictions.length,
          failedCount: errors.length,
          incompleteCount: lines.length - predictions.length - errors.length,
        };
        job.updateTime = nowIso();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const folder = `${job.outputUriPrefix}/prediction-${job.modelDisplayName.replace(/[^A-Za-z0-9_-]/g, '_')}-${job.createTime.replace(/[:.]/g, '_')}`;
      await objects.write(`${folder}/predictions_00001.jsonl`, predictions.map((p) => `${p}\n`).join(''));
      await objects.write(`${folder}/errors_00001.jsonl`, errors.map((e) => `${e}\n`).join(''));
      job.outputDirectory = folder;
      if (predictions.length === 0 && errors.length > 0) this.finish(job, 'JOB_STATE_FAILED', { code: 3, message: `All ${errors.length} instances failed; see ${folder}/errors_00001.jsonl.` });
      else this.finish(job, 'JOB_STATE_SUCCEEDED');
    } catch (error) {
      const code = typeof (error as { code?: unknown }).code === 'number' ? Number((error as { code: number }).code) : 13;
      this.finish(job, 'JOB_STATE_FAILED', { code, message: errorMessage(error) });
    } finally {
      this.ctx.predictors.release(key);
    }
  }

  /** One call for the chunk; if the model server refuses it, instance by instance so one bad line fails alone. */
  private async predictChunk(server: { predict(instances: unknown[], parameters: unknown): Promise<unknown[]> }, instances: unknown[], predictions: string[], errors: string[]): Promise<void> {
    if (instances.length === 0) return;
    try {
      const out = await server.predict(instances, null);
      instances.forEach((instance, i) => predictions.push(JSON.stringify({ instance, prediction: out[i] })));
      return;
    } catch (error) {
      if (instances.length === 1) {
        errors.push(JSON.stringify({ instance: instances[0], status: { code: 3, message: errorMessage(error) } }));
        return;
      }
    }
    for (const instance of instances) await this.predictChunk(server, [instance], predictions, errors);
  }
}
