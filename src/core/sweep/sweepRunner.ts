// Runs a sweep: its trials as ordinary runs, each in its own trainer process
// (dist/trainer.js over IPC), `parallelTrials` at once. sweep.json is
// rewritten at every step (a trial starts, ends an epoch, ends), with the
// best trial by the search metric and goal. The median rule stops trials that
// cannot win. stop() stops every trial (each saves like a stopped run); a
// stopped or crashed sweep resumes with the trials it still needs: completed,
// pruned and failed trials are kept, a stopped or crashed trial continues from
// its run's last checkpoint (or trains again when it has none), a pending one
// starts. No vscode, no TF.js: the CLI and the extension host both run it.
import { randomInt } from 'node:crypto';
import { UserError } from '../../shared/errors';
import type { BackendChoice, RunRecord, TrainerEvent } from '../../shared/events';
import type { TrainRequest } from '../../shared/protocol/trainer';
import { isTrialSettled, type SearchSpec, type SweepEvent, type SweepRecord, type TrialRecord, type TrialStatus } from '../../shared/sweep';
import { readRun } from '../runStore';
import { loadSpec } from '../spec';
import { TrainerProcess, type TrainerResult } from '../trainerProcess';
import { checkedTrialSpec } from './applyTrial';
import { isBetter, medianStopReason } from './medianRule';
import { defaultParallelTrials } from './parallelism';
import { gridSize, planTrials, trialCount } from './sampling';
import { newSweepId, readSweep, sweepOwner, writeSweepRecord } from './sweepStore';

export interface SweepOptions {
  /** The spec with a `search` section (absolute path); for a resume, the sweep's own is used. */
  specPath?: string;
  runsDir: string;
  sweepsDir: string;
  /** The trainer bundle, dist/trainer.js. */
  trainerPath: string;
  /** Working directory of the trainers. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  backend?: BackendChoice;
  /** Trials at once; default: the spec's parallelTrials, else what the machine allows. */
  parallel?: number;
  /** Trials in all (new sweeps only); default: the spec's maxTrials. */
  maxTrials?: number;
  /** The id of a stopped or crashed sweep to finish. */
  resume?: string;
  onEvent?: (event: SweepEvent) => void;
  /** After every write of sweep.json, with what was written. */
  onChange?: (record: SweepRecord) => void;
  /** A trainer's stderr line, for a log. */
  onTrainerOutput?: (trialId: string, line: string) => void;
  /** How long a stopped trainer may take to save before it is killed. */
  stopGraceMs?: number;
}

interface ActiveTrial {
  trial: TrialRecord;
  process: TrainerProcess;
  /** Set when the median rule stopped it. */
  pruneReason?: string;
  resumed: boolean;
}

const STOPPED_BY_USER = 'Stopped by the user.';

export class SweepRunner {
  private readonly active = new Map<string, ActiveTrial>();
  private stopRequested = false;
  /** A mistake every trial would repeat (missing data): the sweep ends with it. */
  private failure: string | undefined;
  private concluded: ((record: SweepRecord) => void) | undefined;

  private constructor(
    private readonly options: SweepOptions,
    private record: SweepRecord,
    readonly resumed: boolean,
    /** Why parallelTrials is what it is, for a progress line. */
    readonly parallelWhy: string,
  ) {}

  /**
   * Plans a new sweep (or reloads one to resume) and writes its sweep.json.
   * Bad input (a spec without search, invalid values, an unknown or running
   * sweep) is a UserError, and nothing is written.
   */
  static async create(options: SweepOptions): Promise<SweepRunner> {
    return options.resume ? SweepRunner.reopen(options, options.resume) : SweepRunner.plan(options);
  }

  private static async plan(options: SweepOptions): Promise<SweepRunner> {
    if (!options.specPath) throw new UserError('Missing the spec file to sweep.');
    const spec = await loadSpec(options.specPath);
    if (!spec.search) {
      throw new UserError(`${options.specPath} has no "search" section: add one to sweep its values (README, "Sweeps"), or train it with \`model-studio train\`.`);
    }
    const search = spec.search;
    const count = options.maxTrials === undefined ? trialCount(search) : search.algorithm === 'grid' ? Math.min(options.maxTrials, gridSize(search)) : options.maxTrials;
    const seed = search.seed ?? randomInt(2 ** 31);
    const parameters = planTrials(search, seed, count);
    // Every trial's spec must be one the trainer accepts: refuse before anything trains.
    parameters.forEach((values, index) => checkedTrialSpec(spec, values, `${options.specPath} (trial ${index + 1})`));
    const parallel = parallelFor(options.parallel ?? search.parallelTrials, count);
    const now = new Date().toISOString();
    const record: SweepRecord = {
      id: newSweepId(spec.name),
      name: spec.name,
      specPath: options.specPath,
      search: { ...search, maxTrials: count, parallelTrials: parallel.count },
      status: 'running',
      createdAt: now,
      updatedAt: now,
      trials: parameters.map((values, index) => ({ trialId: String(index + 1), parameters: values, status: 'pending' })),
      seed,
      runsDir: options.runsDir,
      ...sweepOwner(),
    };
    const runner = new SweepRunner(options, record, false, parallel.why);
    runner.write();
    return runner;
  }

  private static async reopen(options: SweepOptions, sweepId: string): Promise<SweepRunner> {
    const earlier = await readSweep(options.sweepsDir, sweepId);
    if (earlier.status === 'running') {
      throw new UserError(`Sweep '${sweepId}' is still running (process ${earlier.pid ?? '?'} on ${earlier.hostname ?? '?'}): stop it before resuming it.`);
    }
    if (earlier.status === 'completed') throw new UserError(`Sweep '${sweepId}' already completed its ${earlier.trials.length} trials: there is nothing to resume.`);
    if (options.maxTrials !== undefined) throw new UserError('--max-trials cannot change a sweep being resumed; start a new sweep for more trials.');
    const runsDir = earlier.runsDir ?? options.runsDir;
    // The spec must still load: pending trials train it.
    await loadSpec(earlier.specPath);
    const trials = await Promise.all(earlier.trials.map((trial) => reconcile(trial, runsDir, earlier.search)));
    const parallel = parallelFor(options.parallel ?? earlier.search.parallelTrials, trials.filter((t) => !isTrialSettled(t.status)).length);
    const { reason: _reason, endedAt: _endedAt, ...rest } = earlier;
    const record: SweepRecord = {
      ...rest,
      search: { ...earlier.search, parallelTrials: parallel.count },
      status: 'running',
      updatedAt: new Date().toISOString(),
      trials,
      runsDir,
      ...sweepOwner(),
    };
    const runner = new SweepRunner({ ...options, specPath: earlier.specPath, runsDir }, record, true, parallel.why);
    runner.updateBest();
    runner.write();
    return runner;
  }

  get current(): SweepRecord {
    return this.record;
  }

  get parallel(): number {
    return this.record.search.parallelTrials ?? 1;
  }

  /** The trainer processes running now. */
  get trainers(): TrainerProcess[] {
    return [...this.active.values()].map((a) => a.process);
  }

  /** Whether stop() was called (a user's stop, or the end of a failed sweep). */
  get stopping(): boolean {
    return this.stopRequested && !this.failure;
  }

  /** The sweep failed on a mistake every trial would repeat (the spec or its data): the user's to fix. */
  get failedOnUserError(): boolean {
    return this.failure !== undefined;
  }

  /** Trains every trial the sweep still needs; resolves with the final record once every trainer has exited. */
  run(): Promise<SweepRecord> {
    const { record } = this;
    this.emit({
      type: 'sweepStarted',
      sweepId: record.id,
      time: Date.now(),
      name: record.name,
      specPath: record.specPath,
      algorithm: record.search.algorithm ?? 'random',
      trials: record.trials.length,
      parallelTrials: this.parallel,
      metric: record.search.metric,
      resumed: this.resumed,
    });
    return new Promise((resolve) => {
      this.concluded = resolve;
      this.fill();
    });
  }

  /** Stops every trial (each saves a checkpoint and its model) and starts no more; the sweep ends as stopped. */
  stop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    for (const { process } of this.active.values()) process.stop();
    if (this.active.size === 0) this.conclude();
  }

  /** Ends every trainer at once (a second Ctrl+C): their runs keep their last checkpoint. */
  kill(): void {
    for (const { process } of this.active.values()) process.kill();
  }

  private fill(): void {
    if (!this.concluded) return;
    while (!this.stopRequested && !this.failure && this.active.size < this.parallel) {
      // A trial stopped or crashed in this run waits for a resume: retrying at once could crash it again and again.
      const next = this.record.trials.find((t) => t.status === 'pending');
      if (!next) break;
      this.start(next);
    }
    if (this.active.size === 0) this.conclude();
  }

  private start(trial: TrialRecord): void {
    const { options, record } = this;
    // A pending trial with a run continues it from its last checkpoint (reconcile() left the run id only where there is one).
    const resumeRun = trial.runId;
    const request: TrainRequest = resumeRun
      ? { specPath: record.specPath, runsDir: options.runsDir, backend: options.backend, resume: resumeRun }
      : { specPath: record.specPath, runsDir: options.runsDir, backend: options.backend, trial: { sweepId: record.id, trialId: trial.trialId, parameters: trial.parameters } };
    this.setTrial(trial, { status: 'running', reason: undefined });
    let process: TrainerProcess;
    try {
      process = new TrainerProcess({
        trainerPath: options.trainerPath,
        request,
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stopGraceMs: options.stopGraceMs,
        onEvent: (event) => this.onTrainerEvent(trial.trialId, event),
        onStderr: (line) => options.onTrainerOutput?.(trial.trialId, line),
      });
    } catch (error) {
      this.settle(trial, { status: 'failed', reason: `The trainer could not start: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    this.active.set(trial.trialId, { trial, process, resumed: resumeRun !== undefined });
    this.write();
    void process.exited.then((result) => this.onTrialExit(trial.trialId, result));
  }

  private onTrainerEvent(trialId: string, event: TrainerEvent): void {
    const active = this.active.get(trialId);
    if (!active) return;
    const trial = this.trial(trialId);
    if (event.type === 'runStarted') {
      this.setTrial(trial, { runId: event.runId, epochs: event.epochs, epochsCompleted: event.initialEpoch });
      this.write();
      this.emit({ type: 'trialStarted', sweepId: this.record.id, time: event.time, trialId, runId: event.runId, parameters: trial.parameters, resumed: active.resumed });
    } else if (event.type === 'epochEnd') {
      const value = metricValue(event.metrics[this.record.search.metric.name]);
      // A resumed trial reports from its checkpoint's epoch on: what came after it is replaced.
      const history = [...(trial.metricHistory ?? []).slice(0, event.epoch), ...(value === undefined ? [Number.NaN] : [value])];
      this.setTrial(trial, { epochs: event.epochs, epochsCompleted: event.epoch + 1, metricHistory: history });
      this.emit({ type: 'trialEpoch', sweepId: this.record.id, time: event.time, trialId, runId: event.runId, epoch: event.epoch, epochs: event.epochs, value });
      this.applyMedianRule(active, event.epoch, event.epochs, value);
      this.write();
    }
  }

  private applyMedianRule(active: ActiveTrial, epoch: number, epochs: number, value: number | undefined): void {
    const rule = this.record.search.medianStopping;
    if (!rule || active.pruneReason || this.stopRequested) return;
    const { metric } = this.record.search;
    const reason = medianStopReason({ rule, metric: metric.name, goal: metric.goal, trials: this.record.trials }, epoch, epochs, value);
    if (!reason) return;
    active.pruneReason = reason;
    active.process.stop(reason);
  }

  private onTrialExit(trialId: string, result: TrainerResult): void {
    const active = this.active.get(trialId);
    this.active.delete(trialId);
    const trial = this.trial(trialId);
    const runId = trial.runId ?? result.runId;
    const last = trial.metricHistory?.at(-1);
    if (result.status === 'completed') {
      const final = metricValue(result.finished?.finalMetrics[this.record.search.metric.name]) ?? last;
      this.settle(trial, { status: 'completed', runId, value: final, reason: result.reason });
    } else if (result.status === 'stopped') {
      if (active?.pruneReason) this.settle(trial, { status: 'pruned', runId, value: last, reason: active.pruneReason });
      else this.settle(trial, { status: 'stopped', runId, value: last, reason: result.reason ?? STOPPED_BY_USER });
    } else if (result.finished) {
      // The trainer ran and reported the failure (a loss that became NaN): trying again fails the same way.
      this.settle(trial, { status: 'failed', runId, reason: result.reason });
    } else if (result.userError && runId === undefined) {
      // The spec or the data is wrong for every trial: end the sweep with the reason.
      this.failure ??= result.reason ?? 'The trainer refused the spec.';
      this.settle(trial, { status: 'failed', reason: result.reason });
      this.stop();
    } else if (runId !== undefined) {
      this.settle(trial, { status: 'crashed', runId, value: last, reason: result.reason });
    } else {
      this.settle(trial, { status: 'failed', reason: result.reason });
    }
    this.fill();
  }

  private settle(trial: TrialRecord, changes: Partial<TrialRecord> & { status: TrialStatus }): void {
    this.setTrial(trial, changes);
    const settled = this.trial(trial.trialId);
    const before = this.record.best?.trialId;
    this.updateBest();
    const isBest = this.record.best?.trialId === settled.trialId && before !== settled.trialId;
    this.write();
    this.emit({
      type: 'trialFinished',
      sweepId: this.record.id,
      time: Date.now(),
      trialId: settled.trialId,
      runId: settled.runId,
      status: settled.status,
      value: settled.value,
      reason: settled.reason,
      best: isBest,
    });
  }

  /** The best completed trial by the metric and goal; the earlier trial wins a tie. */
  private updateBest(): void {
    const { goal } = this.record.search.metric;
    let best: TrialRecord | undefined;
    for (const trial of this.record.trials) {
      if (trial.status !== 'completed' || trial.value === undefined || !Number.isFinite(trial.value)) continue;
      if (!best || isBetter(trial.value, best.value as number, goal)) best = trial;
    }
    this.record = { ...this.record, best: best && { trialId: best.trialId, runId: best.runId, value: best.value as number } };
  }

  private conclude(): void {
    const finish = this.concluded;
    if (!finish) return;
    this.concluded = undefined;
    const counts = countByStatus(this.record.trials);
    const unfinished = (counts.pending ?? 0) + (counts.stopped ?? 0) + (counts.crashed ?? 0);
    let status: SweepRecord['status'] = 'completed';
    let reason: string | undefined;
    if (this.failure) {
      status = 'failed';
      reason = this.failure;
    } else if (this.stopRequested) {
      status = 'stopped';
      reason = STOPPED_BY_USER;
    } else if (unfinished > 0) {
      status = 'stopped';
      reason = `${unfinished} trial${unfinished === 1 ? ' was' : 's were'} stopped or crashed: resume the sweep to finish ${unfinished === 1 ? 'it' : 'them'}.`;
    } else if ((counts.failed ?? 0) === this.record.trials.length) {
      status = 'failed';
      reason = `Every trial failed; the first: ${this.record.trials[0]?.reason ?? 'no reason given'}`;
    }
    const now = new Date().toISOString();
    this.record = { ...this.record, status, reason, endedAt: now };
    this.write();
    this.emit({ type: 'sweepFinished', sweepId: this.record.id, time: Date.now(), status, reason, best: this.record.best, counts });
    finish(this.record);
  }

  private trial(trialId: string): TrialRecord {
    const trial = this.record.trials.find((t) => t.trialId === trialId);
    if (!trial) throw new Error(`no trial ${trialId} in sweep ${this.record.id}`);
    return trial;
  }

  /** Replaces the trial's record (records are never changed in place: listeners may hold the old one). */
  private setTrial(trial: TrialRecord, changes: Partial<TrialRecord>): void {
    const updated = { ...this.trial(trial.trialId), ...changes };
    this.record = { ...this.record, trials: this.record.trials.map((t) => (t.trialId === trial.trialId ? updated : t)) };
  }

  private write(): void {
    this.record = { ...this.record, updatedAt: new Date().toISOString() };
    writeSweepRecord(this.options.sweepsDir, this.record);
    this.options.onChange?.(this.record);
  }

  private emit(event: SweepEvent): void {
    this.options.onEvent?.(event);
  }
}

function parallelFor(asked: number | undefined, trials: number): { count: number; why: string } {
  if (asked !== undefined) return { count: Math.max(1, Math.min(asked, Math.max(1, trials))), why: 'as asked' };
  return defaultParallelTrials(trials);
}

function metricValue(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function countByStatus(trials: readonly TrialRecord[]): Partial<Record<TrialStatus, number>> {
  const counts: Partial<Record<TrialStatus, number>> = {};
  for (const trial of trials) counts[trial.status] = (counts[trial.status] ?? 0) + 1;
  return counts;
}

/**
 * A trial of a sweep being resumed, as its run says it is now: a run that
 * completed after the sweep's process died counts; a stopped or crashed run
 * becomes pending with its run id (it continues from its checkpoint); one
 * without a checkpoint becomes pending without (it trains again).
 */
async function reconcile(trial: TrialRecord, runsDir: string, search: SearchSpec): Promise<TrialRecord> {
  if (trial.status === 'completed' || trial.status === 'pruned') return trial;
  // A trial that failed before its run began (the data was missing) gets another go.
  if (trial.status === 'failed') return trial.runId ? trial : { ...trial, status: 'pending', reason: undefined };
  if (!trial.runId) return { ...trial, status: 'pending' };
  const run: RunRecord | undefined = await readRun(runsDir, trial.runId).catch(() => undefined);
  if (run?.status === 'running') {
    throw new UserError(`Trial ${trial.trialId}'s run ${trial.runId} is still training (process ${run.pid}): wait until it stops, then resume the sweep.`);
  }
  if (run?.status === 'completed') {
    const value = metricValue(run.finalMetrics?.[search.metric.name]);
    return { ...trial, status: 'completed', value, epochsCompleted: run.epochsCompleted, reason: run.reason };
  }
  if (run?.status === 'failed') return { ...trial, status: 'failed', reason: run.reason };
  if (run?.lastCheckpoint !== undefined) return { ...trial, status: 'pending', reason: undefined };
  return { ...trial, status: 'pending', runId: undefined, reason: undefined, metricHistory: undefined, epochsCompleted: undefined };
}
