// JobService's custom jobs: create (checked, then queued, pending, running),
// get, list, cancel. The one replica is the trainer image's entry run locally.
import type { protos } from '@google-cloud/aiplatform';
import { numericId, nowIso } from './ids';
import { beginCancel, failJob, getJob, jobProtoFields, listJobs, queueJob, type JobKind } from './jobLifecycle';
import { TRAINER_MISSING, replicaFailure, type JobEngine } from './jobEngine';
import { acceleratorQuotaError, checkJobSpec, imageMissingMessage, TRAINING_ACCELERATOR_QUOTA } from './jobSpecs';
import { isFinalState, type JobState, type StoredCustomJob } from './jobState';
import { checkDisplayName, checkLabels, parentName, parseParent } from './names';
import type { ProtoObject } from './protos';

type ICreateCustomJobRequest = protos.google.cloud.aiplatform.v1.ICreateCustomJobRequest;
type IGetCustomJobRequest = protos.google.cloud.aiplatform.v1.IGetCustomJobRequest;
type IListCustomJobsRequest = protos.google.cloud.aiplatform.v1.IListCustomJobsRequest;
type ICancelCustomJobRequest = protos.google.cloud.aiplatform.v1.ICancelCustomJobRequest;

export function customJobProto(job: StoredCustomJob): ProtoObject {
  return { ...jobProtoFields(job), jobSpec: job.jobSpec };
}

const CUSTOM_JOBS: JobKind<StoredCustomJob> = {
  message: 'CustomJob',
  collection: 'customJobs',
  stored: (engine) => engine.file.state.customJobs,
  proto: customJobProto,
};

/** GPUs of `type` that running jobs and trials hold now. */
export function acceleratorsInUse(engine: JobEngine, type: string): number {
  const { customJobs, tuningJobs } = engine.file.state;
  const active = (state: JobState): boolean => !isFinalState(state);
  let count = 0;
  for (const job of Object.values(customJobs)) {
    const spec = checkJobSpec(job.jobSpec, 'custom_job.job_spec');
    if (active(job.state) && spec.pool.acceleratorType === type) count += spec.pool.acceleratorCount;
  }
  for (const job of Object.values(tuningJobs)) {
    const spec = checkJobSpec(job.trialJobSpec, 'trial_job_spec');
    if (active(job.state) && spec.pool.acceleratorType === type) count += spec.pool.acceleratorCount * job.parallelTrialCount;
  }
  return count;
}

export function checkQuota(engine: JobEngine, spec: ReturnType<typeof checkJobSpec>, parallel = 1): void {
  const type = spec.pool.acceleratorType;
  if (!type) return;
  const requested = spec.pool.acceleratorCount * parallel;
  const inUse = acceleratorsInUse(engine, type);
  if (requested + inUse > TRAINING_ACCELERATOR_QUOTA) throw acceleratorQuotaError(type, requested, inUse);
}

export function createCustomJob(engine: JobEngine, request: ICreateCustomJobRequest): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const body = request.customJob ?? {};
  const displayName = checkDisplayName('custom_job.display_name', body.displayName);
  const spec = checkJobSpec(body.jobSpec, 'custom_job.job_spec');
  checkQuota(engine, spec);
  const now = nowIso();
  const job: StoredCustomJob = {
    name: `${parent}/customJobs/${numericId()}`,
    displayName,
    jobSpec: body.jobSpec ?? {},
    labels: checkLabels('custom_job.labels', body.labels),
    state: 'JOB_STATE_QUEUED',
    createTime: now,
    updateTime: now,
    restarts: 0,
  };
  engine.file.state.customJobs[job.name] = job;
  engine.save();
  schedule(engine, job);
  return customJobProto(job);
}

function schedule(engine: JobEngine, job: StoredCustomJob): void {
  queueJob(engine, job, () => start(engine, job));
}

function start(engine: JobEngine, job: StoredCustomJob): void {
  const spec = checkJobSpec(job.jobSpec, 'custom_job.job_spec');
  const imageProblem = imageMissingMessage(spec.pool.imageUri);
  if (imageProblem) return failJob(engine, job, 5, imageProblem);
  const launched = engine.launch({
    key: job.name,
    spec,
    outputDir: spec.baseOutputDir,
    onStart: (replica) => {
      job.replica = replica;
      if (job.state !== 'JOB_STATE_RUNNING') engine.setState(job, 'JOB_STATE_RUNNING');
      else engine.save();
    },
    onExit: (exit) => {
      job.replica = undefined;
      if (job.state === 'JOB_STATE_CANCELLING') return engine.setState(job, 'JOB_STATE_CANCELLED');
      const failure = replicaFailure(exit, spec.timeoutMs);
      if (failure) return failJob(engine, job, failure.code, failure.message);
      engine.setState(job, 'JOB_STATE_SUCCEEDED');
    },
  });
  if (!launched) failJob(engine, job, 9, TRAINER_MISSING);
}

/** At sandbox start: jobs that were waiting wait again; running ones start again and resume from their checkpoints. */
export function resumeCustomJobs(engine: JobEngine): void {
  for (const job of Object.values(engine.file.state.customJobs)) {
    if (job.state === 'JOB_STATE_CANCELLING') {
      engine.setState(job, 'JOB_STATE_CANCELLED');
    } else if (job.state === 'JOB_STATE_RUNNING') {
      engine.endOrphan(job.replica);
      job.restarts++;
      schedule(engine, job);
    } else if (!isFinalState(job.state)) {
      schedule(engine, job);
    }
  }
}

export function getCustomJob(engine: JobEngine, request: IGetCustomJobRequest): ProtoObject {
  return getJob(engine, CUSTOM_JOBS, request);
}

export function listCustomJobs(engine: JobEngine, request: IListCustomJobsRequest): ProtoObject {
  return listJobs(engine, CUSTOM_JOBS, request);
}

export function cancelCustomJob(engine: JobEngine, request: ICancelCustomJobRequest): ProtoObject {
  const job = beginCancel(engine, CUSTOM_JOBS, request);
  // Waiting jobs have nothing to stop; a running one saves its checkpoint first.
  if (job && !engine.stop(job.name)) engine.later(0, () => engine.setState(job, 'JOB_STATE_CANCELLED'));
  return {};
}
