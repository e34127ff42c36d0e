// The host side of one experiments webview, without vscode: the ready
// handshake, the first load, live updates while trials run (coalesced, and
// only the rows that changed), and the webview's requests, answered through a
// PanelChannel that checks every message. ExperimentsPanel plugs it into a
// real WebviewPanel; tests drive it directly.

import { errorMessage } from '../../shared/errors';
import {
  isExperimentRow,
  isExperimentsFromWebview,
  type ExperimentRow,
  type ExperimentsFromWebview,
  type ExperimentsScope,
  type ExperimentsToWebview,
  type Marks,
} from '../../shared/protocol/experiments';
import { systemClock, type Clock } from '../dashboard/coalescingBuffer';
import { PanelChannel } from '../webviews/panelChannel';
import type { ExperimentsSnapshot } from './experimentsSource';

export interface ExperimentsHost {
  load(scope: ExperimentsScope): Promise<ExperimentsSnapshot>;
  marks(): Marks;
  setStar(runId: string, starred: boolean): Promise<void>;
  setBaseline(runId: string | undefined): Promise<void>;
  openRuns(runIds: readonly string[]): Promise<void>;
  exportCsv(csv: string, fileName: string): Promise<void>;
  /** Resolves when the push flow ends (done, cancelled, or failed and shown). */
  pushRun(runId: string): Promise<void>;
  openAsSpec(runId: string): Promise<void>;
  /** Delivers a message to the webview (false or a rejection: not delivered). */
  post(message: ExperimentsToWebview): PromiseLike<boolean> | boolean;
  titleChanged(title: string): void;
  logError(message: string): void;
}

/** Runs change in bursts (every trial rewrites run.json each epoch): one reload per this many ms at most. */
export const UPDATE_DEBOUNCE_MS = 300;

export class ExperimentsSession {
  private ready = false;
  private disposed = false;
  private timer: unknown;
  private loading: Promise<void> | undefined;
  private again = false;
  private needInit = false;
  /** What the webview holds: each row's JSON, to send only what changed. */
  private sent = new Map<string, string>();
  private sentSweep = '';
  private readonly channel: PanelChannel<ExperimentsFromWebview, ExperimentsToWebview>;

  constructor(
    readonly scope: ExperimentsScope,
    private readonly host: ExperimentsHost,
    private readonly clock: Clock = systemClock,
    private readonly debounceMs = UPDATE_DEBOUNCE_MS,
  ) {
    this.channel = new PanelChannel<ExperimentsFromWebview, ExperimentsToWebview>({
      name: 'Experiments',
      isMessage: isExperimentsFromWebview,
      post: (message) => host.post(message),
      log: { warn: (message) => host.logError(message), error: (message) => host.logError(message) },
      handlers: {
        ready: () => this.onReady(),
        star: (request) => host.setStar(request.runId, request.starred),
        baseline: (request) => host.setBaseline(request.runId),
        openRuns: (request) => host.openRuns(request.runIds),
        exportCsv: (request) => host.exportCsv(request.csv, request.fileName),
        pushRun: (request) => host.pushRun(request.runId),
        openAsSpec: (request) => host.openAsSpec(request.runId),
      },
    });
  }

  /** A message from the webview: checked, then handled (requests get a reply). */
  receive(raw: unknown): Promise<void> {
    return this.channel.receive(raw);
  }

  /** Runs or sweeps changed on disk: send what changed, soon (bursts coalesce). */
  changed(): void {
    if (this.disposed || !this.ready || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, this.debounceMs);
  }

  /** Stars or the baseline changed. */
  marksChanged(): void {
    if (this.ready) void this.channel.post({ type: 'marks', marks: this.host.marks() });
  }

  /** The webview went away (hidden or reloading): it says `ready` again and gets everything anew. */
  webviewHidden(): void {
    this.ready = false;
    this.cancelTimer();
  }

  dispose(): void {
    this.disposed = true;
    this.ready = false;
    this.cancelTimer();
    this.channel.dispose();
  }

  private async onReady(): Promise<void> {
    this.ready = true;
    this.needInit = true;
    this.cancelTimer();
    await this.pump();
  }

  /** One load at a time; what changes meanwhile (a reload of the page included) is loaded once more after it. */
  private pump(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        await this.refresh();
      } while (this.again && this.ready && !this.disposed);
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Loads the scope and sends all of it (after `ready`) or the rows that changed. */
  private async refresh(): Promise<void> {
    const init = this.needInit;
    this.needInit = false;
    let snapshot: ExperimentsSnapshot;
    try {
      snapshot = await this.host.load(this.scope);
    } catch (error) {
      this.host.logError(`Experiments: could not read the runs: ${errorMessage(error)}`);
      // The page says why; a failed update keeps what it shows.
      if (!init) return;
      snapshot = { title: 'Experiments', rows: [], problem: errorMessage(error) };
    }
    if (!this.ready || this.disposed) return;
    const rows = this.checked(snapshot.rows);
    const now = new Map(rows.map((row) => [row.id, JSON.stringify(row)]));
    const sweep = JSON.stringify(snapshot.sweep ?? null);
    if (init) {
      this.sent = now;
      this.sentSweep = sweep;
      this.host.titleChanged(snapshot.title);
      await this.channel.post({ type: 'init', scope: this.scope, title: snapshot.title, sweep: snapshot.sweep, rows, marks: this.host.marks(), problem: snapshot.problem });
      return;
    }
    const upsert = rows.filter((row) => this.sent.get(row.id) !== now.get(row.id));
    const remove = [...this.sent.keys()].filter((id) => !now.has(id));
    if (upsert.length === 0 && remove.length === 0 && sweep === this.sentSweep) return;
    this.sent = now;
    this.sentSweep = sweep;
    await this.channel.post({ type: 'update', sweep: snapshot.sweep, upsert, remove });
  }

  /** Rows the webview would refuse (its guard drops the whole message) are left out and logged. */
  private checked(rows: ExperimentRow[]): ExperimentRow[] {
    const good = rows.filter((row) => isExperimentRow(row));
    if (good.length < rows.length) this.host.logError(`Experiments: left out ${rows.length - good.length} run(s) whose records are out of bounds.`);
    return good;
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
