// JobService's custom jobs: create (checked, then queued, pending, running),
// get, list, cancel. The one replica is the trainer image's entry run locally.
import { numericId, nowIso, timestamp } from './ids';
import { TRAINER_MISSING, replicaFailure, type JobEngine } from './jobEngine';
import { acceleratorQuotaError, checkJobSpec, imageMissingMessage, TRAINING_ACCELERATOR_QUOTA } from './jobSpecs';
import { isFinalState, type StoredCustomJob } from './jobState';
import { checkDisplayName, checkLabels, parentName, parseParent } from './names';
import type { ProtoObject } from './protos';
import { matchesFilter, page } from './resources';
import { failedPrecondition, invalidArgument, notFound } from './status';

const CUSTOM_JOB_NAME = /^projects\/[^/]+\/locations\/[^/]+\/customJobs\/[^/]+$/;

function protoTime(iso: string | undefined): ProtoObject | undefined {
  return iso === undefined ? undefined : timestamp(iso);
}

export function customJobProto(job: StoredCustomJob): ProtoObject {
  return {
    name: job.name,
    displayName: job.displayName,
    jobSpec: job.jobSpec,
    state: job.state,
    createTime: protoTime(job.createTime),
    updateTime: protoTime(job.updateTime),
    startTime: protoTime(job.startTime),
    endTime: protoTime(job.endTime),
    error: job.error,
    labels: job.labels,
  };
}

/** GPUs of `type` that running jobs and trials hold now. */
export function acceleratorsInUse(engine: JobEngine, type: string): number {
  const { customJobs, tuningJobs } = engine.file.state;
  const active = (state: string): boolean => !isFinalState(state as StoredCustomJob['state']);
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

export function createCustomJob(engine: JobEngine, request: ProtoObject): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const body = (request.customJob ?? {}) as ProtoObject;
  const displayName = checkDisplayName('custom_job.display_name', body.displayName);
  const spec = checkJobSpec(body.jobSpec as ProtoObject | undefined, 'custom_job.job_spec');
  checkQuota(engine, spec);
  const now = nowIso();
  const job: StoredCustomJob = {
    name: `${parent}/customJobs/${numericId()}`,
    displayName,
    jobSpec: body.jobSpec as ProtoObject,
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

/** Queued -> pending -> running, a short wait each, as a real job waits for its machines. */
function schedule(engine: JobEngine, job: StoredCustomJob): void {
  if (job.state === 'JOB_STATE_QUEUED') {
    engine.later(engine.queueDelayMs, () => {
      if (job.state !== 'JOB_STATE_QUEUED') return;
      engine.setState(job, 'JOB_STATE_PENDING');
      schedule(engine, job);
    });
  } else if (job.state === 'JOB_STATE_PENDING') {
    engine.later(engine.queueDelayMs, () => {
      if (job.state === 'JOB_STATE_PENDING') start(engine, job);
    });
  } else if (job.state === 'JOB_STATE_RUNNING') {
    start(engine, job);
  }
}

function fail(engine: JobEngine, job: StoredCustomJob, code: number, message: string): void {
  job.error = { code, message };
  engine.setState(job, 'JOB_STATE_FAILED');
}

function start(engine: JobEngine, job: StoredCustomJob): void {
  const spec = checkJobSpec(job.jobSpec, 'custom_job.job_spec');
  const imageProblem = imageMissingMessage(spec.pool.imageUri);
  if (imageProblem) return fail(engine, job, 5, imageProblem);
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
      if (failure) return fail(engine, job, failure.code, failure.message);
      engine.setState(job, 'JOB_STATE_SUCCEEDED');
    },
  });
  if (!launched) fail(engine, job, 9, TRAINER_MISSING);
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

export function findCustomJob(engine: JobEngine, name: string): StoredCustomJob {
  if (!CUSTOM_JOB_NAME.test(name)) throw invalidArgument(`name "${name}" must look like projects/PROJECT/locations/LOCATION/customJobs/JOB.`);
  const job = engine.file.state.customJobs[name];
  if (!job) throw notFound(`CustomJob ${name} not found.`);
  return job;
}

export function getCustomJob(engine: JobEngine, request: ProtoObject): ProtoObject {
  return customJobProto(findCustomJob(engine, String(request.name ?? '')));
}

export function listCustomJobs(engine: JobEngine, request: ProtoObject): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const jobs = Object.values(engine.file.state.customJobs)
    .filter((job) => job.name.startsWith(`${parent}/`) && matchesFilter(request.filter, job.displayName, job.labels))
    .sort((a, b) => b.createTime.localeCompare(a.createTime))
    .map(customJobProto);
  const { items, nextPageToken } = page(jobs, request.pageSize, request.pageToken);
  return { customJobs: items, nextPageToken };
}

export function cancelCustomJob(engine: JobEngine, request: ProtoObject): ProtoObject {
  const job = findCustomJob(engine, String(request.name ?? ''));
  if (isFinalState(job.state)) throw failedPrecondition(`Cannot cancel CustomJob ${job.name}: it is already in state ${job.state}.`);
  if (job.state === 'JOB_STATE_CANCELLING') return {};
  engine.setState(job, 'JOB_STATE_CANCELLING');
  // Waiting jobs have nothing to stop; a running one saves its checkpoint first.
  if (!engine.stop(job.name)) engine.later(0, () => engine.setState(job, 'JOB_STATE_CANCELLED'));
  return {};
}
