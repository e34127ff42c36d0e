// What custom and tuning jobs share in the sandbox's JobService: the wait in
// queued and pending before they run, the fields of their messages, lookup
// by name, list pages, and the first step of a cancel.
import { timestamp } from './ids';
import type { JobEngine } from './jobEngine';
import { isFinalState, type StoredJobBase } from './jobState';
import { parentName, parseParent } from './names';
import type { ProtoObject } from './protos';
import { matchesFilter, page } from './resources';
import { failedPrecondition, invalidArgument, notFound } from './status';

/** One kind of training job: where it is stored and how it is sent. */
export interface JobKind<J extends StoredJobBase> {
  /** The message's name in errors: CustomJob, HyperparameterTuningJob. */
  message: string;
  /** The collection in resource names, and the list response's field. */
  collection: 'customJobs' | 'hyperparameterTuningJobs';
  /** The jobs of this kind, by name. */
  stored(engine: JobEngine): Record<string, J>;
  proto(job: J): ProtoObject;
}

export function protoTime(iso: string | undefined): ProtoObject | undefined {
  return iso === undefined ? undefined : timestamp(iso);
}

/** The fields every job message has. */
export function jobProtoFields(job: StoredJobBase): ProtoObject {
  return {
    name: job.name,
    displayName: job.displayName,
    state: job.state,
    createTime: protoTime(job.createTime),
    updateTime: protoTime(job.updateTime),
    startTime: protoTime(job.startTime),
    endTime: protoTime(job.endTime),
    error: job.error,
    labels: job.labels,
  };
}

/** Queued, then pending, a short wait each, as a real job waits for its machines; then `run` (at once for a running job). */
export function queueJob(engine: JobEngine, job: StoredJobBase, run: () => void): void {
  if (job.state === 'JOB_STATE_QUEUED') {
    engine.later(engine.queueDelayMs, () => {
      if (job.state !== 'JOB_STATE_QUEUED') return;
      engine.setState(job, 'JOB_STATE_PENDING');
      queueJob(engine, job, run);
    });
  } else if (job.state === 'JOB_STATE_PENDING') {
    engine.later(engine.queueDelayMs, () => {
      if (job.state === 'JOB_STATE_PENDING') run();
    });
  } else if (job.state === 'JOB_STATE_RUNNING') {
    run();
  }
}

export function findJob<J extends StoredJobBase>(engine: JobEngine, kind: JobKind<J>, name: string): J {
  if (!new RegExp(`^projects/[^/]+/locations/[^/]+/${kind.collection}/[^/]+$`).test(name)) {
    throw invalidArgument(`name "${name}" must look like projects/PROJECT/locations/LOCATION/${kind.collection}/JOB.`);
  }
  const job = kind.stored(engine)[name];
  if (!job) throw notFound(`${kind.message} ${name} not found.`);
  return job;
}

/** The fields of a Get, List or Cancel request that name the jobs. */
export interface JobRequest {
  name?: string | null;
  parent?: string | null;
  filter?: string | null;
  pageSize?: number | null;
  pageToken?: string | null;
}

export function getJob<J extends StoredJobBase>(engine: JobEngine, kind: JobKind<J>, request: JobRequest): ProtoObject {
  return kind.proto(findJob(engine, kind, String(request.name ?? '')));
}

/** The parent's jobs, newest first, filtered and paged. */
export function listJobs<J extends StoredJobBase>(engine: JobEngine, kind: JobKind<J>, request: JobRequest): ProtoObject {
  const parent = parentName(parseParent(String(request.parent ?? '')));
  const jobs = Object.values(kind.stored(engine))
    .filter((job) => job.name.startsWith(`${parent}/`) && matchesFilter(request.filter, job.displayName, job.labels))
    .sort((a, b) => b.createTime.localeCompare(a.createTime))
    .map((job) => kind.proto(job));
  const { items, nextPageToken } = page(jobs, request.pageSize, request.pageToken);
  return { [kind.collection]: items, nextPageToken };
}

/** Moves the named job to cancelling and returns it; undefined when it is cancelling already. A job that ended cannot be cancelled. */
export function beginCancel<J extends StoredJobBase>(engine: JobEngine, kind: JobKind<J>, request: JobRequest): J | undefined {
  const job = findJob(engine, kind, String(request.name ?? ''));
  if (isFinalState(job.state)) throw failedPrecondition(`Cannot cancel ${kind.message} ${job.name}: it is already in state ${job.state}.`);
  if (job.state === 'JOB_STATE_CANCELLING') return undefined;
  engine.setState(job, 'JOB_STATE_CANCELLING');
  return job;
}

/** The job's error, then its final state. */
export function failJob(engine: JobEngine, job: StoredJobBase, code: number, message: string): void {
  job.error = { code, message };
  engine.setState(job, 'JOB_STATE_FAILED');
}
