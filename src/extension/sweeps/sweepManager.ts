// The sweep this window runs: the core runner (the CLI's own) in the
// extension host, which itself trains nothing: each trial is a trainer child
// process. Its record feeds the status bar, the tree and the CodeLens live.
// One sweep at a time per window; the window's closing stops it (each trial
// saves like a stopped run), so it can be resumed.
import * as vscode from 'vscode';
import { UserError } from '../../shared/errors';
import type { SweepEvent, SweepRecord } from '../../shared/sweep';
import type { SweepRunner } from '../../core/sweep/sweepRunner';
import { sweepsDirFor } from '../../core/sweep/sweepStore';
import { loadSweepBundle } from './loadSweepBundle';
import { shutdownTrainers, SHUTDOWN_GRACE_MS } from '../training/shutdown';
import type { Log } from '../log';
import { readSettings, runsDirOf } from '../settings';

export interface SweepEnvironment {
  trainerPath: string;
  /** dist/sweeps.js: the runner, loaded at the first sweep. */
  bundlePath: string;
  /** Extra environment for the trainers (where the native backend was installed). */
  env: () => NodeJS.ProcessEnv;
  log: Log;
}

/** A sweep to start (specPath) or to finish (resume), in a workspace folder. */
export interface SweepStart {
  folder: vscode.WorkspaceFolder;
  specPath?: string;
  resume?: string;
}

export class SweepManager implements vscode.Disposable {
  private runner: SweepRunner | undefined;
  private folder: vscode.WorkspaceFolder | undefined;
  private latest: SweepRecord | undefined;
  private readonly changed = new vscode.EventEmitter<SweepRecord>();
  private readonly finished = new vscode.EventEmitter<SweepRecord>();
  private ended: Promise<void> = Promise.resolve();

  /** The running sweep's record changed (a trial started, ended an epoch, ended), or it ended. */
  readonly onDidChange = this.changed.event;
  readonly onDidFinish = this.finished.event;

  constructor(private readonly environment: SweepEnvironment) {}

  /** The sweep running in this window, if any. */
  get running(): SweepRecord | undefined {
    return this.runner ? this.latest : undefined;
  }

  /** The newest record of the last sweep this window ran (running or ended). */
  get last(): SweepRecord | undefined {
    return this.latest;
  }

  get runningFolder(): vscode.WorkspaceFolder | undefined {
    return this.runner ? this.folder : undefined;
  }

  /** Plans (or reloads) the sweep, writes sweep.json and starts its first trials; resolves once it runs. */
  async start(start: SweepStart): Promise<SweepRecord> {
    if (this.runner) {
      throw new UserError(`Sweep ${this.runner.current.name} is running in this window: stop it first (Model Studio: Stop Sweep), or wait for it to end.`);
    }
    const { log } = this.environment;
    // Loaded on first use: spec validation and the runner stay out of activation.
    const { SweepRunner } = loadSweepBundle(this.environment.bundlePath);
    const settings = readSettings(start.folder.uri);
    const runner = await SweepRunner.create({
      specPath: start.specPath,
      resume: start.resume,
      runsDir: runsDirOf(start.folder),
      sweepsDir: sweepsDirFor(start.folder.uri.fsPath),
      trainerPath: this.environment.trainerPath,
      cwd: start.folder.uri.fsPath,
      env: { ...process.env, ...this.environment.env() },
      backend: settings.backend,
      onChange: (record) => {
        this.latest = record;
        this.changed.fire(record);
      },
      onEvent: (event) => logEvent(log, event),
      onTrainerOutput: (trialId, line) => log.debug(`[trial ${trialId}] ${line}`),
    });
    this.runner = runner;
    this.folder = start.folder;
    this.latest = runner.current;
    log.info(`Sweep ${runner.current.id}: ${runner.current.trials.length} trials, ${runner.parallel} at a time (${runner.parallelWhy})`);
    this.ended = runner.run().then((record) => {
      this.runner = undefined;
      this.latest = record;
      this.changed.fire(record);
      this.finished.fire(record);
    });
    this.changed.fire(runner.current);
    return runner.current;
  }

  /** Stops every trial of the running sweep (each saves a checkpoint); the sweep is recorded as stopped. */
  stop(): void {
    if (!this.runner) throw new UserError('No sweep is running in this window.');
    this.environment.log.info(`Sweep ${this.runner.current.id}: stopping every trial`);
    this.runner.stop();
  }

  /** The window is closing: stop the trials, kill what has not stopped in time, and let the record say so. */
  async shutdown(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    const trainers = runner.trainers;
    runner.stop();
    await shutdownTrainers(trainers, graceMs);
    await this.ended;
  }

  dispose(): void {
    this.runner?.stop();
    this.changed.dispose();
    this.finished.dispose();
  }
}

function logEvent(log: Log, event: SweepEvent): void {
  switch (event.type) {
    case 'trialStarted':
      log.info(`Sweep ${event.sweepId}: trial ${event.trialId} ${event.resumed ? 'resumed' : 'started'} as run ${event.runId}`);
      return;
    case 'trialFinished':
      log.info(`Sweep ${event.sweepId}: trial ${event.trialId} ${event.status}${event.value !== undefined ? ` (${event.value})` : ''}${event.reason ? `: ${event.reason}` : ''}`);
      return;
    case 'sweepFinished':
      log.info(`Sweep ${event.sweepId}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`);
      return;
    default:
      return;
  }
}
