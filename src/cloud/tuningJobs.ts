// Vertex AI hyperparameter tuning jobs from a spec's `search` section: it
// becomes the StudySpec (metric and goal, parameters with their scale types,
// algorithm), trials run the trainer image with --<parameterId>=<value>.
// Describe lists the trials with their values, final measurement and state,
// and names the best trial by the study's goal.
import type { google } from '@google-cloud/aiplatform/build/protos/protos';
import { UserError } from '../shared/errors';
import type { ParameterSpec, SearchGoal, SearchSpec } from '../shared/sweep';
import { parameterIdOf, trainingPriceSource } from '../shared/vertexTraining';
import type { CloudClients } from './clients';
import { labelText, prepareTrainingInputs, trainerJobSpec, type TrainingInputOptions } from './customJobs';
import { explained } from './errors';
import { gridSize } from '../core/sweep/sampling';
import { cancelTrainingJob, describeTrainingJob, listTrainingJobs, type TrainingJobKind } from './jobLifecycle';
import {
  baseOutputOf,
  elapsedMs,
  estimatedCost,
  explainJobError,
  jobState,
  jobTimes,
  machineOf,
  newOutputDir,
  specUriOf,
  type JobMachine,
  type JobTimes,
  type TrainingJobState,
} from './trainingJobs';

type IStudySpec = google.cloud.aiplatform.v1.IStudySpec;
type IParameterSpec = google.cloud.aiplatform.v1.StudySpec.IParameterSpec;
type ITuningJob = google.cloud.aiplatform.v1.IHyperparameterTuningJob;
type ITrial = google.cloud.aiplatform.v1.ITrial;

const SCALE_TYPES = { linear: 'UNIT_LINEAR_SCALE', log: 'UNIT_LOG_SCALE', reverseLog: 'UNIT_REVERSE_LOG_SCALE' } as const;
const ALGORITHMS = { grid: 'GRID_SEARCH', random: 'RANDOM_SEARCH', default: 'ALGORITHM_UNSPECIFIED' } as const;

function parameterSpec(path: string, parameter: ParameterSpec, grid: boolean): IParameterSpec {
  const parameterId = parameterIdOf(path);
  switch (parameter.type) {
    case 'double':
      if (grid) throw new UserError(`Vertex AI's grid search takes no double parameters: give search.parameters["${path}"] discrete values, or use "algorithm": "random"`);
      return { parameterId, doubleValueSpec: { minValue: parameter.min, maxValue: parameter.max }, scaleType: SCALE_TYPES[parameter.scale ?? 'linear'] as never };
    case 'integer':
      return { parameterId, integerValueSpec: { minValue: parameter.min, maxValue: parameter.max }, scaleType: SCALE_TYPES[parameter.scale ?? 'linear'] as never };
    case 'discrete':
      return { parameterId, discreteValueSpec: { values: parameter.values } };
    case 'categorical':
      return { parameterId, categoricalValueSpec: { values: parameter.values } };
  }
}

/** The spec's search section as a Vertex AI StudySpec. */
export function studySpecOf(search: SearchSpec): IStudySpec {
  const grid = search.algorithm === 'grid';
  const ids = new Map<string, string>();
  const parameters = Object.entries(search.parameters).map(([path, parameter]) => {
    const id = parameterIdOf(path);
    const other = ids.get(id);
    if (other !== undefined) throw new UserError(`search.parameters "${other}" and "${path}" both become the Vertex AI parameter id "${id}": drop one of them`);
    ids.set(id, path);
    return parameterSpec(path, parameter, grid);
  });
  return {
    metrics: [{ metricId: search.metric.name, goal: (search.metric.goal === 'maximize' ? 'MAXIMIZE' : 'MINIMIZE') as never }],
    parameters,
    algorithm: ALGORITHMS[search.algorithm ?? 'default'] as never,
  };
}

export interface TuningTrialSummary {
  id: string;
  state: 'requested' | 'active' | 'stopping' | 'succeeded' | 'infeasible' | 'unspecified';
  /** Values by parameter id. */
  parameters: Record<string, number | string>;
  value?: number;
  step?: number;
  reason?: string;
  startTime?: string;
  endTime?: string;
  /** gs://.../<trial>/ with the trial's run.json, metrics.jsonl and model/. */
  outputDir: string;
}

export interface TuningJobSummary extends JobTimes {
  kind: 'tuning';
  name: string;
  id: string;
  displayName: string;
  state: TrainingJobState;
  error?: string;
  machine: JobMachine;
  outputDir: string;
  specUri?: string;
  metric: { name: string; goal: SearchGoal };
  maxTrialCount: number;
  parallelTrialCount: number;
  maxFailedTrialCount: number;
  trials: TuningTrialSummary[];
  best?: { trialId: string; value: number };
  elapsedMs: number;
  estimatedCostUsd?: number;
  /** Where the estimate's prices come from: the catalog with its date, or the bundled fallback. */
  priceSource: string;
  labels: Record<string, string>;
}

function trialSummary(trial: ITrial, metricId: string, outputDir: string): TuningTrialSummary {
  const parameters: Record<string, number | string> = {};
  for (const p of trial.parameters ?? []) {
    const value = p.value;
    if (value?.numberValue !== undefined && value.numberValue !== null) parameters[p.parameterId ?? ''] = value.numberValue;
    else if (value?.stringValue !== undefined && value.stringValue !== null) parameters[p.parameterId ?? ''] = value.stringValue;
  }
  const metric = trial.finalMeasurement?.metrics?.find((m) => m.metricId === metricId);
  const state = String(trial.state ?? 'STATE_UNSPECIFIED').toLowerCase();
  const times = jobTimes(trial);
  return {
    id: trial.id ?? '',
    state: (['requested', 'active', 'stopping', 'succeeded', 'infeasible'] as const).find((s) => s === state) ?? 'unspecified',
    parameters,
    value: metric?.value ?? undefined,
    step: trial.finalMeasurement?.stepCount === undefined || trial.finalMeasurement.stepCount === null ? undefined : Number(trial.finalMeasurement.stepCount),
    reason: trial.infeasibleReason || undefined,
    startTime: times.startTime,
    endTime: times.endTime,
    outputDir: `${outputDir}${trial.id ?? ''}/`,
  };
}

/** The best succeeded trial by the goal; the earlier trial wins a tie. */
export function bestTrial(trials: readonly TuningTrialSummary[], goal: SearchGoal): { trialId: string; value: number } | undefined {
  let best: { trialId: string; value: number } | undefined;
  for (const trial of trials) {
    if (trial.state !== 'succeeded' || trial.value === undefined) continue;
    if (!best || (goal === 'maximize' ? trial.value > best.value : trial.value < best.value)) best = { trialId: trial.id, value: trial.value };
  }
  return best;
}

export function tuningJobSummary(job: ITuningJob, clients: CloudClients, now = Date.now()): TuningJobSummary {
  const machine = machineOf(job.trialJobSpec);
  const outputDir = baseOutputOf(job.trialJobSpec);
  const studyMetric = job.studySpec?.metrics?.[0];
  const metric = { name: studyMetric?.metricId ?? '', goal: (String(studyMetric?.goal) === 'MINIMIZE' ? 'minimize' : 'maximize') as SearchGoal };
  const trials = (job.trials ?? []).map((t) => trialSummary(t, metric.name, outputDir));
  const times = jobTimes(job);
  const state = jobState(job.state);
  // Trials are billed while they run: the sum of their times, one replica set each.
  const trialMs = trials.reduce((sum, t) => sum + elapsedMs(t.startTime, t.endTime, now), 0);
  return {
    kind: 'tuning',
    name: job.name ?? '',
    id: (job.name ?? '').split('/').pop() ?? '',
    displayName: job.displayName ?? '',
    state,
    error: job.error?.message && state === 'failed' ? explainJobError(job.error.message, machine, clients.config) : undefined,
    machine,
    outputDir,
    specUri: specUriOf(job.trialJobSpec),
    metric,
    maxTrialCount: Number(job.maxTrialCount ?? 0),
    parallelTrialCount: Number(job.parallelTrialCount ?? 0),
    maxFailedTrialCount: Number(job.maxFailedTrialCount ?? 0),
    trials,
    best: bestTrial(trials, metric.goal),
    ...times,
    elapsedMs: elapsedMs(times.startTime, times.endTime, now),
    estimatedCostUsd: estimatedCost(machine, trialMs, clients.trainingPrices),
    priceSource: trainingPriceSource(clients.trainingPrices),
    labels: { ...(job.labels ?? {}) },
  };
}

export interface TuningJobOptions extends TrainingInputOptions {
  maxTrialCount?: number;
  parallelTrialCount?: number;
  maxFailedTrialCount?: number;
}

export async function createTuningJob(clients: CloudClients, options: TuningJobOptions): Promise<TuningJobSummary> {
  const { bucket, inputs } = await prepareTrainingInputs(clients, options);
  const search = inputs.spec.search;
  if (!search) throw new UserError(`${options.specPath} has no "search" section: add one (metric, parameters) to tune it, or use \`custom-jobs create\``);
  const studySpec = studySpecOf(search);
  const maxTrialCount = options.maxTrialCount ?? search.maxTrials ?? (search.algorithm === 'grid' ? gridSize(search) : 10);
  const parallelTrialCount = options.parallelTrialCount ?? search.parallelTrials ?? 1;
  for (const [flag, value] of [['--max-trial-count', maxTrialCount], ['--parallel-trial-count', parallelTrialCount]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UserError(`${flag} must be a whole number of at least 1, not ${value}`);
  }
  const hyperparameterTuningJob: ITuningJob = {
    displayName: options.displayName,
    studySpec,
    maxTrialCount,
    parallelTrialCount,
    maxFailedTrialCount: options.maxFailedTrialCount ?? 0,
    trialJobSpec: trainerJobSpec(options, inputs.specUri, newOutputDir(bucket, options.displayName)),
    labels: { 'model-studio-spec': labelText(inputs.spec.name), ...options.labels },
  };
  const created = await explained({ action: `creating tuning job "${options.displayName}"`, config: clients.config }, async () => {
    const [job] = await clients.jobs.createHyperparameterTuningJob({ parent: clients.parent, hyperparameterTuningJob });
    return job;
  });
  return tuningJobSummary(created, clients);
}

const TUNING_JOBS: TrainingJobKind<ITuningJob, TuningJobSummary> = {
  collection: 'hyperparameterTuningJobs',
  noun: 'tuning job',
  get: async (clients, name) => (await clients.jobs.getHyperparameterTuningJob({ name }))[0],
  list: async (clients) => (await clients.jobs.listHyperparameterTuningJobs({ parent: clients.parent }))[0],
  cancel: (clients, name) => clients.jobs.cancelHyperparameterTuningJob({ name }),
  summary: (job, clients) => tuningJobSummary(job, clients),
};

export async function describeTuningJob(clients: CloudClients, job: string, signal?: AbortSignal): Promise<TuningJobSummary> {
  return describeTrainingJob(clients, TUNING_JOBS, job, signal);
}

export async function listTuningJobs(clients: CloudClients, signal?: AbortSignal): Promise<TuningJobSummary[]> {
  return listTrainingJobs(clients, TUNING_JOBS, signal);
}

export async function cancelTuningJob(clients: CloudClients, job: string): Promise<TuningJobSummary> {
  return cancelTrainingJob(clients, TUNING_JOBS, job);
}
