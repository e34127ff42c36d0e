// Runs the sandbox's training jobs: each replica is the trainer image's entry
// as a local process (replica.ts). Jobs move through Vertex AI's states
// (queued, pending, running, then succeeded, failed or cancelled; cancelling
// in between), are saved on every change, and after a sandbox restart the
// ones that were running start again and resume from their checkpoints.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../../shared/vertexTraining';
import { nowIso } from './ids';
import { JobsFile, type JobState, type StoredReplica } from './jobState';
import type { CheckedJobSpec } from './jobSpecs';
import { replicaEnv } from './jobSpecs';
import { endOrphan, Replica, type ReplicaExit } from './replica';

export interface JobEngineOptions {
  stateDir: string;
  /** The trainer image's entry, dist/vertexTrainer.js; jobs fail with a clear reason when it is missing. */
  trainerPath?: string;
  /** The sandbox storage server's URL, given to replicas as STORAGE_EMULATOR_HOST. */
  storageUrl?: string;
  /** How long a job waits in each of queued and pending; default 200 ms. */
  queueDelayMs?: number;
  log?: (line: string) => void;
}

export interface LaunchRequest {
  /** The key replicas are tracked by: the job name, or JOB/trials/ID. */
  key: string;
  spec: CheckedJobSpec;
  outputDir: string;
  extraEnv?: Record<string, string>;
  extraArgs?: string[];
  onStart(replica: StoredReplica | undefined): void;
  onExit(exit: ReplicaExit): void;
}

export class JobEngine {
  readonly file: JobsFile;
  private readonly replicas = new Map<string, Replica>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing = false;

  constructor(readonly options: JobEngineOptions) {
    this.file = new JobsFile(options.stateDir);
  }

  get queueDelayMs(): number {
    return this.options.queueDelayMs ?? 200;
  }

  save(): void {
    this.file.save();
  }

  /** Runs `task` after `ms`, unless the sandbox closes first. */
  later(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closing) task();
    }, ms);
    this.timers.add(timer);
  }

  /** Moves a job to its next state, stamping its times. */
  setState(job: { state: JobState; updateTime: string; startTime?: string; endTime?: string }, state: JobState): void {
    const now = nowIso();
    job.state = state;
    job.updateTime = now;
    if (state === 'JOB_STATE_RUNNING') job.startTime ??= now;
    if (state === 'JOB_STATE_SUCCEEDED' || state === 'JOB_STATE_FAILED' || state === 'JOB_STATE_CANCELLED') job.endTime = now;
    this.save();
    this.options.log?.(`job state ${state}`);
  }

  /** Starts one replica; false (and nothing started) when the trainer bundle is missing. */
  launch(request: LaunchRequest): boolean {
    const trainerPath = this.options.trainerPath;
    if (!trainerPath || !existsSync(trainerPath)) return false;
    const id = request.key.split('/').slice(5).join('-');
    const replica = new Replica({
      trainerPath,
      args: [...request.spec.pool.args, ...(request.extraArgs ?? [])],
      env: {
        ...replicaEnv(request.spec, request.outputDir, request.extraEnv ?? {}),
        ...(this.options.storageUrl ? { STORAGE_EMULATOR_HOST: this.options.storageUrl } : {}),
        CLOUD_ML_PROJECT_ID: request.key.split('/')[1] ?? '',
        [ENV.jobId]: request.key.split('/')[5] ?? '',
      },
      logFile: join(this.options.stateDir, 'job-logs', `${id}.log`),
      timeoutMs: request.spec.timeoutMs,
    });
    this.replicas.set(request.key, replica);
    request.onStart(replica.stored);
    void replica.exited.then((exit) => {
      this.replicas.delete(request.key);
      // A closing sandbox leaves the job as it was: it runs again (and resumes) at the next start.
      if (!this.closing) request.onExit(exit);
    });
    return true;
  }

  /** SIGTERM to the replica, which saves and copies up its checkpoint. */
  stop(key: string): boolean {
    const replica = this.replicas.get(key);
    replica?.stop();
    return replica !== undefined;
  }

  isRunning(key: string): boolean {
    return this.replicas.has(key);
  }

  /** A replica a crashed sandbox left behind would write the same outputs twice: end it before starting again. */
  endOrphan(replica: StoredReplica | undefined): void {
    endOrphan(replica);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const running = [...this.replicas.values()];
    for (const replica of running) replica.stop();
    await Promise.all(running.map((r) => r.exited));
  }
}

/** The job's error when its replica ended badly; undefined when it succeeded. */
export function replicaFailure(exit: ReplicaExit, timeoutMs: number | undefined): { code: number; message: string } | undefined {
  if (exit.timedOut) return { code: 4, message: `The job ran past its timeout of ${Math.round((timeoutMs ?? 0) / 1000)} s and was stopped.` };
  if (exit.code === 0) return undefined;
  const how = exit.code === null ? `was ended by ${exit.signal ?? 'a signal'}` : `exited with a non-zero status of ${exit.code}`;
  return { code: 13, message: `The replica workerpool0-0 ${how}.${exit.lastError ? ` ${exit.lastError}` : ''}` };
}

export const TRAINER_MISSING = 'The sandbox has no trainer bundle (dist/vertexTrainer.js): build it with `node scripts/build.mjs`, then create the job again.';
