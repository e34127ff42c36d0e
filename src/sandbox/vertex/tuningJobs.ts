// JobService's hyperparameter tuning jobs: the StudySpec's parameters are
// sampled (grid, or seeded random for RANDOM_SEARCH and Vertex's own default),
// `parallelTrialCount` trials run at once as replicas that receive their
// values as --<parameterId>=<value>, and each trial's final measurement is the
// last report in its hypertune metric file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { protos } from '@google-cloud/aiplatform';
import type { ParameterScale, ParameterSpec, SearchSpec } from '../../shared/sweep';
import { DEFAULT_HP_METRIC_FILE, ENV } from '../../shared/vertexTraining';
import { planTrials, trialCount } from '../../core/sweep/sampling';
import { numericId, nowIso } from './ids';
import { beginCancel, failJob, getJob, jobProtoFields, listJobs, protoTime, queueJob, type JobKind } from './jobLifecycle';
import { TRAINER_MISSING, replicaFailure, type JobEngine } from './jobEngine';
import { checkJobSpec, imageMissingMessage } from './jobSpecs';
import { isFinalState, type StoredTrial, type StoredTuningJob } from './jobState';
import { checkQuota } from './customJobs';
import { checkDisplayName, checkLabels, parentName, parseParent } from './names';
import type { ProtoObject } from './protos';
import { invalidArgument } from './status';

type IStudySpec = protos.google.cloud.aiplatform.v1.IStudySpec;
type ICreateTuningJobRequest = protos.google.cloud.aiplatform.v1.ICreateHyperparameterTuningJobRequest;
type IGetTuningJobRequest = protos.google.cloud.aiplatform.v1.IGetHyperparameterTuningJobRequest;
type IListTuningJobsRequest = protos.google.cloud.aiplatform.v1.IListHyperparameterTuningJobsRequest;
type ICancelTuningJobRequest = protos.google.cloud.aiplatform.v1.ICancelHyperparameterTuningJobRequest;

const SCALES: Record<string, ParameterScale> = {
  UNIT_LINEAR_SCALE: 'linear',
  UNIT_LOG_SCALE: 'log',
  UNIT_REVERSE_LOG_SCALE: 'reverseLog',
};

/** The StudySpec as the local sampler reads it: parameters keyed by their ids. */
export function searchOfStudy(study: IStudySpec): SearchSpec {
  const metrics = study.metrics ?? [];
  if (metrics.length !== 1) throw invalidArgument('study_spec.metrics must have exactly one metric.');
  const goal = metrics[0].goal === 'MINIMIZE' ? 'minimize' : metrics[0].goal === 'MAXIMIZE' ? 'maximize' : undefined;
  if (!goal) throw invalidArgument('study_spec.metrics[0].goal must be MAXIMIZE or MINIMIZE.');
  const parameters: Record<string, ParameterSpec> = {};
  for (const p of study.parameters ?? []) {
    const id = String(p.parameterId ?? '');
    if (id === '') throw invalidArgument('study_spec.parameters[].parameter_id is required.');
    const scale = SCALES[String(p.scaleType ?? 'UNIT_LINEAR_SCALE')] ?? 'linear';
    const double = p.doubleValueSpec;
    const integer = p.integerValueSpec;
    const discrete = p.discreteValueSpec;
    const categorical = p.categoricalValueSpec;
    if (double) parameters[id] = { type: 'double', min: Number(double.minValue ?? 0), max: Number(double.maxValue ?? 0), scale };
    else if (integer) parameters[id] = { type: 'integer', min: Number(integer.minValue ?? 0), max: Number(integer.maxValue ?? 0), scale };
    else if (discrete?.values?.length) parameters[id] = { type: 'discrete', values: discrete.values.map(Number) };
    else if (categorical?.values?.length) parameters[id] = { type: 'categorical', values: categorical.values.map(String) };
    else throw invalidArgument(`study_spec.parameters "${id}" needs a double, integer, discrete or categorical value spec.`);
    const spec = parameters[id];
    if ((spec.type === 'double' || spec.type === 'integer') && !(spec.min < spec.max)) {
      throw invalidArgument(`study_spec.parameters "${id}": min_value must be less than max_value.`);
    }
  }
  if (Object.keys(parameters).length === 0) throw invalidArgument('study_spec.parameters must have at least one parameter.');
  return { metric: { name: String(metrics[0].metricId ?? ''), goal }, algorithm: study.algorithm === 'GRID_SEARCH' ? 'grid' : 'random', parameters };
}

function trialProto(trial: StoredTrial): ProtoObject {
  return {
    id: trial.id,
    state: trial.state,
    parameters: Object.entries(trial.parameters).map(([parameterId, value]) => ({
      parameterId,
      value: typeof value === 'number' ? { numberValue: value } : { stringValue: value },
    })),
    finalMeasurement: trial.finalMeasurement,
    startTime: protoTime(trial.startTime),
    endTime: protoTime(trial.endTime),
    infeasibleReason: trial.infeasibleReason,
  };
}

export function tuningJobProto(job: StoredTuningJob): ProtoObject {
  return {
    ...jobProtoFields(job),
    studySpec: job.studySpec,
    maxTrialCount: job.maxTrialCount,
    parallelTrialCount: job.parallelTrialCount,
    maxFailedTrialCount: job.maxFailedTrialCount,
    trialJobSpec: job.trialJobSpec,
    trials: job.trials.map(trialProto),
  };
}

const TUNING_JOBS: JobKind<StoredTuningJob> = {
  message: 'HyperparameterTuningJob',
  collection: 'hyperparameterTuningJobs',
  stored: (engine) => engine.file.state.tuningJobs,
  proto: tuningJobProto,
};

function positive(field: string, value: unknown): number {
  const n = Number(value ?? 0);
  if (!Number.isInteger(n) || n < 1) throw invalidArgument(`${field} must be a positive number.`);
  return n;
}

export function createTuningJob(engine: JobEngine, request: ICreateTuningJobRequest): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const body = request.hyperparameterTuningJob ?? {};
  const displayName = checkDisplayName('hyperparameter_tuning_job.display_name', body.displayName);
  searchOfStudy(body.studySpec ?? {});
  const maxTrialCount = positive('max_trial_count', body.maxTrialCount);
  const parallelTrialCount = positive('parallel_trial_count', body.parallelTrialCount);
  const spec = checkJobSpec(body.trialJobSpec, 'hyperparameter_tuning_job.trial_job_spec');
  checkQuota(engine, spec, Math.min(parallelTrialCount, maxTrialCount));
  const now = nowIso();
  const job: StoredTuningJob = {
    name: `${parent}/hyperparameterTuningJobs/${numericId()}`,
    displayName,
    studySpec: body.studySpec ?? {},
    trialJobSpec: body.trialJobSpec ?? {},
    maxTrialCount,
    parallelTrialCount,
    maxFailedTrialCount: Number(body.maxFailedTrialCount ?? 0),
    labels: checkLabels('hyperparameter_tuning_job.labels', body.labels),
    state: 'JOB_STATE_QUEUED',
    createTime: now,
    updateTime: now,
    trials: [],
    seed: randomInt(1, 2 ** 31),
  };
  engine.file.state.tuningJobs[job.name] = job;
  engine.save();
  advance(engine, job);
  return tuningJobProto(job);
}

function fail(engine: JobEngine, job: StoredTuningJob, code: number, message: string): void {
  for (const trial of job.trials) if (trial.state === 'ACTIVE') engine.stop(trialKey(job, trial));
  failJob(engine, job, code, message);
}

function trialKey(job: StoredTuningJob, trial: StoredTrial): string {
  return `${job.name}/trials/${trial.id}`;
}

function advance(engine: JobEngine, job: StoredTuningJob): void {
  queueJob(engine, job, () => {
    if (job.state === 'JOB_STATE_PENDING') {
      const spec = checkJobSpec(job.trialJobSpec, 'trial_job_spec');
      const imageProblem = imageMissingMessage(spec.pool.imageUri);
      if (imageProblem) return fail(engine, job, 5, imageProblem);
      engine.setState(job, 'JOB_STATE_RUNNING');
    }
    fillTrials(engine, job);
  });
}

/** Starts trials until `parallelTrialCount` run or `maxTrialCount` were started; ends the job when all are done. */
function fillTrials(engine: JobEngine, job: StoredTuningJob): void {
  if (job.state !== 'JOB_STATE_RUNNING') return;
  const search = searchOfStudy(job.studySpec);
  const count = trialCount({ ...search, maxTrials: job.maxTrialCount });
  const planned = planTrials(search, job.seed, count);
  while (job.trials.filter((t) => t.state === 'ACTIVE').length < job.parallelTrialCount && job.trials.length < count) {
    const trial: StoredTrial = { id: String(job.trials.length + 1), state: 'ACTIVE', parameters: planned[job.trials.length], startTime: nowIso() };
    job.trials.push(trial);
    if (!startTrial(engine, job, trial)) return;
  }
  engine.save();
  if (job.trials.length >= count && job.trials.every((t) => t.state !== 'ACTIVE' && t.state !== 'STOPPING')) finishJob(engine, job);
}

function finishJob(engine: JobEngine, job: StoredTuningJob): void {
  if (job.trials.some((t) => t.state === 'SUCCEEDED')) return engine.setState(job, 'JOB_STATE_SUCCEEDED');
  fail(engine, job, 9, `All ${job.trials.length} trials failed. The first: ${job.trials[0]?.infeasibleReason ?? 'no reason recorded'}`);
}

function metricFileOf(engine: JobEngine, job: StoredTuningJob, trial: StoredTrial): string {
  return join(engine.options.stateDir, 'job-metrics', `${job.name.split('/').pop() ?? 'job'}-${trial.id}`, 'output.metrics');
}

function startTrial(engine: JobEngine, job: StoredTuningJob, trial: StoredTrial): boolean {
  const spec = checkJobSpec(job.trialJobSpec, 'trial_job_spec');
  const metricFile = metricFileOf(engine, job, trial);
  const launched = engine.launch({
    key: trialKey(job, trial),
    spec,
    outputDir: `${spec.baseOutputDir}${trial.id}/`,
    extraEnv: { [ENV.trialId]: trial.id, [ENV.metricFile]: metricFile },
    extraArgs: Object.entries(trial.parameters).map(([id, value]) => `--${id}=${value}`),
    onStart: (replica) => {
      trial.replica = replica;
      engine.save();
    },
    onExit: (exit) => {
      trial.replica = undefined;
      trial.endTime = nowIso();
      const metricId = searchOfStudy(job.studySpec).metric.name;
      const failure = replicaFailure(exit, spec.timeoutMs);
      if (trial.state === 'STOPPING' || job.state === 'JOB_STATE_CANCELLING') {
        trial.state = 'INFEASIBLE';
        trial.infeasibleReason = 'The job was cancelled.';
      } else if (failure) {
        trial.state = 'INFEASIBLE';
        trial.infeasibleReason = failure.message;
      } else {
        const measurement = lastMeasurement(metricFile, metricId);
        trial.state = measurement ? 'SUCCEEDED' : 'INFEASIBLE';
        if (measurement) trial.finalMeasurement = measurement;
        else trial.infeasibleReason = `The trial reported no value of metric "${metricId}" (hypertune file ${DEFAULT_HP_METRIC_FILE} or $${ENV.metricFile}).`;
      }
      afterTrial(engine, job);
    },
  });
  if (!launched) {
    trial.state = 'INFEASIBLE';
    trial.infeasibleReason = TRAINER_MISSING;
    fail(engine, job, 9, TRAINER_MISSING);
  }
  return launched;
}

function afterTrial(engine: JobEngine, job: StoredTuningJob): void {
  if (job.state === 'JOB_STATE_CANCELLING') {
    engine.save();
    if (!job.trials.some((t) => engine.isRunning(trialKey(job, t)))) engine.setState(job, 'JOB_STATE_CANCELLED');
    return;
  }
  const failed = job.trials.filter((t) => t.state === 'INFEASIBLE').length;
  if (job.maxFailedTrialCount > 0 && failed >= job.maxFailedTrialCount && job.state === 'JOB_STATE_RUNNING') {
    const first = job.trials.find((t) => t.state === 'INFEASIBLE');
    return fail(engine, job, 9, `${failed} trials failed (max_failed_trial_count ${job.maxFailedTrialCount}). Trial ${first?.id}: ${first?.infeasibleReason}`);
  }
  if (job.state === 'JOB_STATE_RUNNING') fillTrials(engine, job);
  else engine.save();
}

/** The last report of `metricId` in a hypertune metric file. */
export function lastMeasurement(file: string, metricId: string): StoredTrial['finalMeasurement'] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const line of lines.reverse()) {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const value = Number(entry[metricId]);
      if (entry[metricId] !== undefined && Number.isFinite(value)) return { stepCount: Number(entry.global_step ?? 0), metrics: [{ metricId, value }] };
    } catch {
      // A torn line: look at the one before.
    }
  }
  return undefined;
}

export function resumeTuningJobs(engine: JobEngine): void {
  for (const job of Object.values(engine.file.state.tuningJobs)) {
    if (isFinalState(job.state)) continue;
    if (job.state === 'JOB_STATE_CANCELLING') {
      engine.setState(job, 'JOB_STATE_CANCELLED');
      continue;
    }
    if (job.state === 'JOB_STATE_RUNNING') {
      // Active trials start again and resume from their checkpoints.
      for (const trial of job.trials.filter((t) => t.state === 'ACTIVE' || t.state === 'STOPPING')) {
        engine.endOrphan(trial.replica);
        trial.state = 'ACTIVE';
        if (!startTrial(engine, job, trial)) return;
      }
    }
    advance(engine, job);
  }
}

export function getTuningJob(engine: JobEngine, request: IGetTuningJobRequest): ProtoObject {
  return getJob(engine, TUNING_JOBS, request);
}

export function listTuningJobs(engine: JobEngine, request: IListTuningJobsRequest): ProtoObject {
  return listJobs(engine, TUNING_JOBS, request);
}

export function cancelTuningJob(engine: JobEngine, request: ICancelTuningJobRequest): ProtoObject {
  const job = beginCancel(engine, TUNING_JOBS, request);
  if (!job) return {};
  let stopping = 0;
  for (const trial of job.trials) {
    if (trial.state === 'ACTIVE' && engine.stop(trialKey(job, trial))) {
      trial.state = 'STOPPING';
      stopping++;
    }
  }
  engine.save();
  if (stopping === 0) engine.later(0, () => engine.setState(job, 'JOB_STATE_CANCELLED'));
  return {};
}
