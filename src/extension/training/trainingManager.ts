// Owns every training job of the window: queues them beyond
// modelStudio.maxConcurrentRuns, forks one trainer process per run, folds its
// events into a LiveRun for the status bar and the tree, forwards them to the
// dashboard, and reports how each run ended.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainerEvent } from '../../shared/events';
import type { TrainRequest } from '../../shared/protocol/trainer';
import type { Log } from '../log';
import { readSettings } from '../settings';
import { applyEvent, queuedRun, type LiveRun } from './liveRun';
import { RunQueue } from './runQueue';
import { TrainerProcess, type TrainerResult } from './trainerProcess';
import { shutdownTrainers } from './shutdown';
import { errorMessage } from '../../shared/errors';

/** A job: the trainer's request, plus where the trainer runs and what the UI calls it meanwhile. */
export interface TrainOptions extends TrainRequest {
  /** Working directory of the trainer: the spec's workspace folder. */
  cwd: string;
  /** Spec name for the UI until the trainer reports its own. */
  name: string;
}

export class TrainingJob {
  private static nextKey = 1;
  readonly key = TrainingJob.nextKey++;
  live: LiveRun;
  process: TrainerProcess | undefined;
  result: TrainerResult | undefined;

  constructor(readonly options: TrainOptions) {
    this.live = { ...queuedRun(options.name, options.specPath), runId: options.resume };
  }

  get runId(): string | undefined {
    return this.live.runId;
  }

  get runsDir(): string {
    return this.options.runsDir;
  }
}

export interface JobEvent {
  job: TrainingJob;
  event: TrainerEvent;
}

export interface TrainingEnvironment {
  trainerPath: string;
  /** Extra environment for the trainer (e.g. where the native backend was installed). */
  env: () => NodeJS.ProcessEnv;
  log: Log;
}

export class TrainingManager implements vscode.Disposable {
  private readonly jobs = new Set<TrainingJob>();
  private readonly queue: RunQueue<TrainingJob>;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly eventReceived = new vscode.EventEmitter<JobEvent>();
  private readonly finished = new vscode.EventEmitter<TrainingJob>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.eventReceived, this.finished];
  /** Set by shutdown(): the window is closing and no new trainer starts. */
  private closing = false;

  /** A job was added, advanced, or ended: for the status bar and the tree. */
  readonly onDidChange = this.changed.event;
  /** Every trainer event as it arrives (batch events already coalesced by the trainer). */
  readonly onDidReceiveEvent = this.eventReceived.event;
  readonly onDidFinish = this.finished.event;

  constructor(private readonly environment: TrainingEnvironment) {
    this.queue = new RunQueue<TrainingJob>(readSettings().maxConcurrentRuns, (job) => this.start(job));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modelStudio.maxConcurrentRuns')) this.queue.setCapacity(readSettings().maxConcurrentRuns);
      }),
    );
  }

  /** Jobs in the window that have not ended, running first, then queued in order. */
  get active(): TrainingJob[] {
    return [...this.queue.running, ...this.queue.queued];
  }

  get liveRuns(): LiveRun[] {
    return this.active.map((job) => job.live);
  }

  findByRunId(runId: string): TrainingJob | undefined {
    return this.active.find((job) => job.runId === runId);
  }

  /** Queues a run; it starts at once when a slot is free. */
  train(options: TrainOptions): TrainingJob {
    if (options.resume && this.findByRunId(options.resume)) {
      throw new Error(`Run ${options.resume} is already training.`);
    }
    const job = new TrainingJob(options);
    this.jobs.add(job);
    const started = this.queue.enqueue(job);
    if (!started) this.environment.log.info(`${options.name}: queued behind ${this.queue.running.length} running run(s)`);
    this.updateQueuePositions();
    this.changed.fire();
    return job;
  }

  /** Stops a running job (it saves a checkpoint) or drops a queued one. */
  stop(job: TrainingJob): void {
    if (this.queue.cancel(job)) {
      this.environment.log.info(`${job.live.name}: removed from the queue`);
      this.jobs.delete(job);
      job.live = { ...job.live, phase: 'finished', stopping: false };
      this.updateQueuePositions();
      this.changed.fire();
      return;
    }
    if (!job.process || job.live.phase === 'finished') return;
    this.environment.log.info(`${job.live.name}: stopping${job.runId ? ` ${job.runId}` : ''}`);
    job.live = { ...job.live, stopping: true };
    job.process.stop();
    this.changed.fire();
  }

  private start(job: TrainingJob): void {
    if (this.closing) return;
    const { options } = job;
    const { cwd: _cwd, name: _name, ...asked } = options;
    const request: TrainRequest = { ...asked, backend: options.backend ?? readSettings().backend };
    const log = this.environment.log;
    log.info(`${options.name}: starting the trainer for ${options.specPath}${options.resume ? ` (resuming ${options.resume})` : ''}`);
    job.live = { ...job.live, phase: 'starting', queuePosition: undefined };
    try {
      job.process = new TrainerProcess({
        trainerPath: this.environment.trainerPath,
        request,
        cwd: options.cwd,
        env: { ...process.env, ...this.environment.env() },
        onEvent: (event) => this.onEvent(job, event),
        onStderr: (line) => log.debug(`[${job.live.name}] ${line}`),
        onMalformedMessage: (description) => log.warn(`[${job.live.name}] ${description}`),
      });
    } catch (error) {
      // fork throws synchronously only for invalid arguments; report it like any failed start.
      this.end(job, {
        status: 'failed',
        userError: false,
        reason: `The trainer could not start: ${errorMessage(error)}`,
        exitCode: null,
        signal: null,
        stderrTail: [],
      });
      return;
    }
    if (job.live.stopping) job.process.stop();
    log.debug(`${options.name}: trainer pid ${job.process.pid ?? '?'}`);
    void job.process.exited.then((result) => this.end(job, result));
  }

  private onEvent(job: TrainingJob, event: TrainerEvent): void {
    job.live = applyEvent(job.live, event);
    if (event.type === 'log') {
      const line = `[${job.live.name}] ${event.message}`;
      if (event.level === 'error') this.environment.log.error(line);
      else if (event.level === 'warning') this.environment.log.warn(line);
      else this.environment.log.info(line);
    } else if (event.type === 'runStarted') {
      this.environment.log.info(
        `${job.live.name}: run ${event.runId} on ${event.backend.name} (${event.backend.device}), ${event.epochs} epochs of ${event.batchesPerEpoch} batches`,
      );
    } else if (event.type === 'epochEnd') {
      const metrics = Object.entries(event.metrics)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join(', ');
      this.environment.log.info(`${job.live.name}: epoch ${event.epoch + 1}/${event.epochs}: ${metrics}`);
    }
    this.eventReceived.fire({ job, event });
    if (event.type !== 'batchEnd' || this.shouldRepaint()) this.changed.fire();
  }

  private lastRepaint = 0;

  /** Batch events arrive ~20 a second; the status bar and tree need a few. */
  private shouldRepaint(): boolean {
    const now = Date.now();
    if (now - this.lastRepaint < 250) return false;
    this.lastRepaint = now;
    return true;
  }

  private end(job: TrainingJob, result: TrainerResult): void {
    job.result = result;
    const log = this.environment.log;
    const name = job.live.name;
    if (job.live.phase !== 'finished') {
      job.live = {
        ...job.live,
        phase: 'finished',
        runId: job.live.runId ?? result.runId,
        finished: result.finished ?? {
          type: 'runFinished',
          runId: result.runId ?? '',
          time: Date.now(),
          status: result.status,
          reason: result.reason,
          epochsCompleted: 0,
          finalMetrics: {},
          durationMs: 0,
        },
      };
    }
    job.live = { ...job.live, stopping: false };
    if (result.status === 'failed') {
      log.error(`${name}: ${result.reason ?? 'failed'} (exit ${result.exitCode ?? result.signal ?? '?'})`);
      if (!result.userError && result.stderrTail.length) {
        log.error(`${name}: last trainer output:\n${result.stderrTail.join('\n')}`);
      }
    } else {
      log.info(`${name}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
    }
    this.queue.finish(job);
    this.jobs.delete(job);
    this.updateQueuePositions();
    this.finished.fire(job);
    this.changed.fire();
  }

  private updateQueuePositions(): void {
    for (const job of this.queue.queued) job.live = { ...job.live, phase: 'queued', queuePosition: this.queue.position(job) };
  }

  /**
   * Ends every trainer of the window before it closes (deactivate): queued
   * jobs never start, running ones stop and save, and any still there after
   * the grace period are killed.
   */
  async shutdown(graceMs?: number): Promise<void> {
    this.closing = true;
    for (const job of this.queue.queued) this.queue.cancel(job);
    const trainers = [...this.jobs].map((job) => job.process).filter((p): p is TrainerProcess => p !== undefined);
    await shutdownTrainers(trainers, graceMs);
  }

  dispose(): void {
    for (const job of this.jobs) {
      this.queue.cancel(job);
      // The trainer saves a checkpoint and exits; it also stops by itself when the host disconnects.
      job.process?.dispose();
    }
    this.jobs.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** "mnist-mlp" from "…/mnist.train.json" when the spec cannot be read. */
export function nameFromSpecPath(specPath: string): string {
  return path.basename(specPath).replace(/\.train\.json$/i, '').replace(/\.json$/i, '');
}
