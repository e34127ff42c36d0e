// The host side of one dashboard webview, without vscode: which runs it
// shows, the ready handshake, restoring from the run folders, coalescing live
// events, and answering the webview's requests (through a PanelChannel, which
// checks every message). DashboardPanel plugs it into a real WebviewPanel;
// tests drive it directly.

import type { RunHistory, RunSummary, HostToWebviewMessage, WebviewToHostMessage } from '../../shared/protocol/dashboard';
import { isWebviewToHostMessage } from '../../shared/protocol/dashboard';
import type { RunRecord, TrainerEvent } from '../../shared/events';
import { PanelChannel } from '../webviews/panelChannel';
import { CoalescingBuffer, systemClock, type Clock } from './coalescingBuffer';

export interface SessionHost {
  /** Restores runs from disk (run.json + metrics.jsonl). */
  loadRuns(runIds: readonly string[]): Promise<RunHistory[]>;
  loadRecords(runIds: readonly string[]): Promise<RunRecord[]>;
  /** The folder the runs are read from (saved by the webview for a restore after reload). */
  runsDir?(): string | undefined;
  /** Runs offered for comparison. */
  listAvailable(): Promise<RunSummary[]>;
  /** Newest run, shown when the panel opens with nothing chosen. */
  newestRunId(): Promise<string | undefined>;
  /** Delivers a message to the webview (false or a rejection: it was not delivered). */
  post(message: HostToWebviewMessage): PromiseLike<boolean> | boolean;
  stop(runId: string): Promise<void>;
  openFolder(runId: string): Promise<void>;
  /** Pushes the run's model to Vertex AI; resolves when the push flow ends (done, cancelled or failed and shown). */
  pushRun(runId: string): Promise<void>;
  /** Resumes a stopped or crashed run from its last checkpoint; resolves once the trainer is asked to start (or the failure was shown). */
  resumeRun(runId: string): Promise<void>;
  /** The shown runs changed (the panel updates its title). */
  shownRunsChanged(runIds: readonly string[], names: readonly string[]): void;
  /** Reports an unexpected failure (to the log). */
  logError(message: string): void;
}

/** Beyond this many events held for a hidden or loading webview, drop them: the next restore reads them from disk. */
const MAX_HELD_EVENTS = 20_000;
const RUNS_CHANGED_DEBOUNCE_MS = 250;

export class DashboardSession {
  private shown: string[] = [];
  private ready = false;
  private loadGeneration = 0;
  private disposed = false;
  private runsChangedTimer: unknown;
  private readonly buffer: CoalescingBuffer<TrainerEvent>;
  private readonly channel: PanelChannel<WebviewToHostMessage, HostToWebviewMessage>;

  constructor(
    private readonly host: SessionHost,
    intervalMs = 50,
    private readonly clock: Clock = systemClock,
  ) {
    this.buffer = new CoalescingBuffer((events) => void this.send({ type: 'events', events }), intervalMs, clock);
    this.buffer.pause();
    this.channel = new PanelChannel<WebviewToHostMessage, HostToWebviewMessage>({
      name: 'Dashboard',
      isMessage: isWebviewToHostMessage,
      post: (message) => this.send(message),
      log: { warn: (message) => host.logError(message), error: (message) => host.logError(message) },
      handlers: {
        ready: () => this.onReady(),
        stop: (request) => host.stop(request.runId),
        openFolder: (request) => host.openFolder(request.runId),
        pushRun: (request) => host.pushRun(request.runId),
        resumeRun: (request) => host.resumeRun(request.runId),
        selectRuns: (request) => this.show(request.runIds),
      },
    });
  }

  get runIds(): readonly string[] {
    return this.shown;
  }

  /** Shows these runs (several: compared), replacing what was shown; empty: the newest run. */
  async show(runIds: readonly string[]): Promise<void> {
    let ids = [...new Set(runIds)];
    if (ids.length === 0) {
      const newest = await this.host.newestRunId();
      ids = newest ? [newest] : [];
    }
    this.shown = ids;
    if (this.ready) await this.restore();
  }

  /** A live event from a trainer; forwarded (coalesced) when its run is shown. */
  post(event: TrainerEvent): void {
    if (this.disposed || !this.shown.includes(event.runId)) return;
    this.buffer.push(event);
    if (!this.ready && this.buffer.size > MAX_HELD_EVENTS) this.buffer.clear();
  }

  /** Runs were created, finished or deleted: refresh records and the picker (debounced). */
  runsChanged(): void {
    if (this.disposed || this.runsChangedTimer !== undefined) return;
    this.runsChangedTimer = this.clock.setTimeout(() => {
      this.runsChangedTimer = undefined;
      void this.sendRunsChanged();
    }, RUNS_CHANGED_DEBOUNCE_MS);
  }

  /** The webview went away (hidden without retained context, or reloading): hold events until it is ready again. */
  webviewHidden(): void {
    this.ready = false;
    this.loadGeneration++;
    this.buffer.pause();
  }

  /** A message from the webview: checked, then handled (requests get a reply). */
  receive(raw: unknown): Promise<void> {
    return this.channel.receive(raw);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = false;
    this.channel.dispose();
    if (this.runsChangedTimer !== undefined) this.clock.clearTimeout(this.runsChangedTimer);
    this.buffer.clear();
    this.buffer.dispose();
  }

  private async onReady(): Promise<void> {
    this.ready = true;
    await this.restore();
  }

  /** Sends the shown runs from disk, then whatever arrived live meanwhile (the webview ignores duplicates). */
  private async restore(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.buffer.pause();
    const ids = this.shown;
    try {
      const [runs, available] = await Promise.all([this.host.loadRuns(ids), this.host.listAvailable()]);
      if (generation !== this.loadGeneration || this.disposed) return;
      this.host.shownRunsChanged(ids, runs.map((r) => r.record?.name ?? r.events.find((e) => e.type === 'runStarted')?.spec.name ?? r.runId));
      await this.send({ type: 'init', runs, runsDir: this.host.runsDir?.(), available });
      if (generation !== this.loadGeneration || this.disposed) return;
      this.buffer.resume();
    } catch (error) {
      this.host.logError(`Dashboard: could not restore runs ${ids.join(', ')}: ${(error as Error).message}`);
    }
  }

  private async sendRunsChanged(): Promise<void> {
    if (!this.ready || this.disposed) return;
    try {
      const [records, available] = await Promise.all([this.host.loadRecords(this.shown), this.host.listAvailable()]);
      await this.send({ type: 'runsChanged', records, available });
    } catch (error) {
      this.host.logError(`Dashboard: could not refresh runs: ${(error as Error).message}`);
    }
  }

  private async send(message: HostToWebviewMessage): Promise<void> {
    if (this.disposed || !this.ready) return;
    try {
      await this.host.post(message);
    } catch (error) {
      this.host.logError(`Dashboard: a message to the webview failed: ${(error as Error).message}`);
    }
  }
}
