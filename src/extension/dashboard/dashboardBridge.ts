// Connects training and the tree to the dashboard webview (built under
// src/extension/dashboard/): opens it on a run or a comparison, forwards
// every live trainer event, tells it when runs on disk change, and follows a
// job whose run id is not known yet (the trainer names the run in its first event).
import * as vscode from 'vscode';
import type { TrainerEvent } from '../../shared/events';
import type { Log } from '../log';
import type { RunsModel } from '../runs/runsModel';
import type { TrainingJob, TrainingManager } from '../training/trainingManager';
import { errorMessage } from '../../shared/errors';

/** What the extension needs from the dashboard (src/extension/dashboard's `Dashboard` has this shape). */
export interface DashboardPort {
  /** Shows these runs (several: overlaid), creating or revealing the panel. */
  show(runIds: readonly string[], runsDir: string, preserveFocus: boolean): Promise<void>;
  /** A live trainer event (the dashboard coalesces and filters by shown run). */
  post(event: TrainerEvent): void;
  /** Runs were created, finished or deleted. */
  runsChanged(): void;
}

export class DashboardBridge implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Jobs whose dashboard was asked for before the trainer named the run. */
  private readonly waiting = new Set<TrainingJob>();

  constructor(
    private readonly port: DashboardPort,
    training: TrainingManager,
    runs: RunsModel,
    private readonly log: Log,
  ) {
    // The port itself is disposed by whoever registered it (registerDashboard: the extension context).
    this.disposables.push(
      training.onDidReceiveEvent(({ job, event }) => {
        if (event.type === 'runStarted' && this.waiting.delete(job)) {
          void this.show([event.runId], job.runsDir, true);
        }
        port.post(event);
        if (event.type === 'runStarted' || event.type === 'runFinished') port.runsChanged();
      }),
      training.onDidFinish((job) => this.waiting.delete(job)),
      runs.onDidChange(() => port.runsChanged()),
    );
  }

  open(runIds: readonly string[], runsDir: string): void {
    void this.show(runIds, runsDir, false);
  }

  /** An event of a run that no local trainer sends (a Vertex AI job's, read from its bucket). */
  post(event: TrainerEvent): void {
    this.port.post(event);
    if (event.type === 'runFinished') this.port.runsChanged();
  }

  /** Opens the job's run, now if it has an id, else as soon as the trainer names it. */
  openForJob(job: TrainingJob): void {
    if (job.runId) this.open([job.runId], job.runsDir);
    else this.waiting.add(job);
  }

  private async show(runIds: readonly string[], runsDir: string, preserveFocus: boolean): Promise<void> {
    try {
      await this.port.show(runIds, runsDir, preserveFocus);
    } catch (error) {
      this.log.error(`Could not open the dashboard: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
