// `models upload --job JOB [--trial ID]`: the model a training job saved in
// AIP_MODEL_DIR (for a tuning job, the best trial's unless --trial names one)
// goes to the Model Registry like a local run's, labelled with the job, the
// trial and the run it came from.
import { UserError } from '../shared/errors';
import { RUN_LABEL } from '../shared/cloudResources';
import type { CloudClients } from './clients';
import { describeCustomJob } from './customJobs';
import { describeModel } from './describeModel';
import { explained } from './errors';
import { idOf, modelResourceName, withoutVersion } from './names';
import { operationName, toPlain, waitForOperation, type OperationsClientLike, type WaitOptions } from './operations';
import { DEFAULT_HEALTH_ROUTE, DEFAULT_PREDICT_ROUTE, labelValue, SERVING_PORT } from './pushModel';
import { readJobRun } from './streamJob';
import type { ModelSummary } from './summaries';
import { describeTuningJob } from './tuningJobs';
import { jobResourceName } from './trainingJobs';

export const JOB_LABEL = 'model-studio-job';
export const TRIAL_LABEL = 'model-studio-trial';

export interface PushJobModelOptions {
  /** A custom or tuning job: ID or resource name. */
  job: string;
  /** A tuning job's trial; default the best. */
  trial?: string;
  displayName: string;
  imageUri: string;
  parentModel?: string;
  labels?: Record<string, string>;
  wait?: WaitOptions;
}

export interface PushJobModelResult {
  model: ModelSummary;
  artifactUri: string;
  jobName: string;
  trialId?: string;
}

/** Where the job's model is: the job's (or trial's) output folder, once it succeeded. */
async function jobModelSource(clients: CloudClients, options: PushJobModelOptions): Promise<{ jobName: string; outputDir: string; trialId?: string }> {
  const isTuning = /\/hyperparameterTuningJobs\//.test(options.job);
  if (!isTuning && options.trial === undefined) {
    try {
      const job = await describeCustomJob(clients, options.job, options.wait?.signal);
      if (job.state !== 'succeeded') throw new UserError(`Custom job ${job.id} is ${job.state}: only a succeeded job has a model to push${job.error ? ` (${job.error})` : ''}`);
      return { jobName: job.name, outputDir: job.outputDir };
    } catch (error) {
      // An ID may name a tuning job instead.
      if (/\/customJobs\//.test(options.job) || !/^Not found/.test((error as Error).message ?? '')) throw error;
    }
  }
  const job = await describeTuningJob(clients, jobResourceName(clients.config, 'hyperparameterTuningJobs', options.job), options.wait?.signal);
  const trialId = options.trial ?? job.best?.trialId;
  if (trialId === undefined) throw new UserError(`Tuning job ${job.id} has no succeeded trial yet: wait for one, or pass --trial ID`);
  const trial = job.trials.find((t) => t.id === trialId);
  if (!trial) throw new UserError(`Tuning job ${job.id} has no trial ${trialId}: it has ${job.trials.map((t) => t.id).join(', ') || 'none yet'}`);
  if (trial.state !== 'succeeded') throw new UserError(`Trial ${trialId} of tuning job ${job.id} is ${trial.state}: push a succeeded trial${trial.reason ? ` (${trial.reason})` : ''}`);
  return { jobName: job.name, outputDir: trial.outputDir, trialId };
}

export async function pushJobModel(clients: CloudClients, options: PushJobModelOptions): Promise<PushJobModelResult> {
  const source = await jobModelSource(clients, options);
  const artifactUri = `${source.outputDir}model`;
  const run = await readJobRun(clients.storage, source.outputDir);
  const accuracy = run?.testMetrics?.acc ?? run?.testMetrics?.accuracy;
  const parentModel = options.parentModel ? withoutVersion(modelResourceName(clients.config, options.parentModel)) : undefined;
  const from = `${source.trialId ? `trial ${source.trialId} of tuning job` : 'custom job'} ${idOf(source.jobName)}`;
  const summary = `Trained on Vertex AI by Model Studio in ${from}${run ? `, run ${run.id}` : ''}${accuracy === undefined ? '' : `, test accuracy ${accuracy.toFixed(4)}`}.`;
  const labels: Record<string, string> = {
    [JOB_LABEL]: labelValue(idOf(source.jobName)),
    ...(source.trialId ? { [TRIAL_LABEL]: labelValue(source.trialId) } : {}),
    ...(run ? { [RUN_LABEL]: labelValue(run.id) } : {}),
    ...(accuracy === undefined ? {} : { 'test-accuracy': labelValue(accuracy.toFixed(4)) }),
    ...options.labels,
  };
  const request = {
    parent: clients.parent,
    ...(parentModel ? { parentModel } : {}),
    model: {
      displayName: options.displayName,
      description: summary,
      versionDescription: summary,
      versionAliases: parentModel ? ['default'] : [],
      artifactUri,
      labels,
      containerSpec: { imageUri: options.imageUri, predictRoute: DEFAULT_PREDICT_ROUTE, healthRoute: DEFAULT_HEALTH_ROUTE, ports: [{ containerPort: SERVING_PORT }] },
    },
  };
  const context = { action: `registering ${artifactUri} from ${from}`, config: clients.config };
  const operation = await explained(context, async () => operationName((await clients.models.uploadModel(request))[0]));
  const response = toPlain(await waitForOperation<unknown>(clients.models as unknown as OperationsClientLike, 'uploadModel', operation, context, options.wait));
  const model = await describeModel(clients, `${String(response.model)}@${String(response.modelVersionId)}`, options.wait?.signal);
  return { model, artifactUri, jobName: source.jobName, trialId: source.trialId };
}

