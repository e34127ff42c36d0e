// Custom and tuning jobs of the sandbox, persisted in their own file beside
// vertex-state.json (written the same way: a temporary file renamed into
// place), so jobs and their trials survive a sandbox restart.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { protos } from '@google-cloud/aiplatform';
import { UserError } from '../../shared/errors';
import { readJsonFile, writeJsonFile } from './jsonFile';

type ICustomJobSpec = protos.google.cloud.aiplatform.v1.ICustomJobSpec;
type IStudySpec = protos.google.cloud.aiplatform.v1.IStudySpec;

export const JOB_STATES = [
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_CANCELLED',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export function isFinalState(state: JobState): boolean {
  return state === 'JOB_STATE_SUCCEEDED' || state === 'JOB_STATE_FAILED' || state === 'JOB_STATE_CANCELLED';
}

/** The replica process a job or trial runs, so a restarted sandbox can tell whether it still lives. */
export interface StoredReplica {
  pid: number;
  processStart?: string;
}

/** What every stored job has, whatever it runs. */
export interface StoredJobBase {
  name: string;
  displayName: string;
  labels: Record<string, string>;
  state: JobState;
  createTime: string;
  updateTime: string;
  startTime?: string;
  endTime?: string;
  error?: { code: number; message: string };
}

export interface StoredCustomJob extends StoredJobBase {
  /** The CustomJobSpec as the client sent it. */
  jobSpec: ICustomJobSpec;
  replica?: StoredReplica;
  /** Times the replica was started again after a sandbox restart. */
  restarts: number;
}

export type TrialState = 'REQUESTED' | 'ACTIVE' | 'STOPPING' | 'SUCCEEDED' | 'INFEASIBLE';

export interface StoredTrial {
  id: string;
  state: TrialState;
  /** Values by parameter id, numbers or strings. */
  parameters: Record<string, number | string>;
  startTime: string;
  endTime?: string;
  finalMeasurement?: { stepCount: number; metrics: { metricId: string; value: number }[] };
  infeasibleReason?: string;
  replica?: StoredReplica;
}

export interface StoredTuningJob extends StoredJobBase {
  studySpec: IStudySpec;
  trialJobSpec: ICustomJobSpec;
  maxTrialCount: number;
  parallelTrialCount: number;
  maxFailedTrialCount: number;
  trials: StoredTrial[];
  /** Seeds the sandbox's random search, so a restart draws the same trials. */
  seed: number;
}

export interface JobsState {
  version: 1;
  customJobs: Record<string, StoredCustomJob>;
  tuningJobs: Record<string, StoredTuningJob>;
}

const FILE = 'jobs-state.json';

export class JobsFile {
  readonly state: JobsState;
  /** Saves since the start: a job's new state is a change the editor's view polls for. */
  revision = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.state = JobsFile.read(join(dir, FILE));
  }

  private static read(path: string): JobsState {
    const damaged = `${path} is damaged: delete it to start the sandbox with no training jobs`;
    const parsed = readJsonFile(path, damaged) as JobsState | null | undefined;
    if (parsed === undefined) return { version: 1, customJobs: {}, tuningJobs: {} };
    if (parsed?.version === 1) return parsed;
    throw new UserError(damaged);
  }

  save(): void {
    writeJsonFile(join(this.dir, FILE), this.state);
    this.revision++;
  }
}
