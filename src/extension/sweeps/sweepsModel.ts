// The sweeps on disk across the workspace's folders (`.model-studio/sweeps`),
// refreshed when a sweep.json changes (file watcher, debounced), with the
// record of the sweep running in this window laid over its file's.
import * as vscode from 'vscode';
import type { SweepRecord } from '../../shared/sweep';
import { listSweeps, sweepsDirFor } from '../../core/sweep/sweepStore';
import { errorMessage } from '../../shared/errors';
import type { Log } from '../log';
import { runsDirOf } from '../settings';
import type { SweepManager } from './sweepManager';

export interface SweepEntry {
  record: SweepRecord;
  folder: vscode.WorkspaceFolder;
  /** Where its trials' runs are. */
  runsDir: string;
  /** Running in this window (so Stop Sweep reaches it). */
  live: boolean;
}

const DEBOUNCE_MS = 300;

export class SweepsModel implements vscode.Disposable {
  private entries: SweepEntry[] = [];
  private loaded: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchers: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private lastError: string | undefined;

  readonly onDidChange = this.changed.event;

  constructor(
    private readonly manager: SweepManager,
    private readonly log: Log,
  ) {
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.refresh();
      }),
      // The running sweep's record is newer than its file: show it at once, and reload when it ends.
      manager.onDidChange(() => this.changed.fire()),
      manager.onDidFinish(() => this.refresh()),
    );
  }

  /** Every sweep, newest first, the running one as it is now. */
  async sweeps(): Promise<SweepEntry[]> {
    this.loaded ??= this.load();
    await this.loaded;
    const running = this.manager.running;
    const folder = this.manager.runningFolder;
    if (!running || !folder) return this.entries;
    const live: SweepEntry = { record: running, folder, runsDir: running.runsDir ?? runsDirOf(folder), live: true };
    return [live, ...this.entries.filter((e) => e.record.id !== running.id)];
  }

  async find(sweepId: string): Promise<SweepEntry | undefined> {
    return (await this.sweeps()).find((e) => e.record.id === sweepId);
  }

  get error(): string | undefined {
    return this.lastError;
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.loaded = this.load();
      void this.loaded.then(() => this.changed.fire());
    }, DEBOUNCE_MS);
  }

  async reload(): Promise<SweepEntry[]> {
    clearTimeout(this.timer);
    this.loaded = this.load();
    await this.loaded;
    this.changed.fire();
    return this.sweeps();
  }

  private async load(): Promise<void> {
    try {
      const lists = await Promise.all(
        (vscode.workspace.workspaceFolders ?? []).map(async (folder) =>
          (await listSweeps(sweepsDirFor(folder.uri.fsPath))).map((record) => ({ record, folder, runsDir: record.runsDir ?? runsDirOf(folder), live: false })),
        ),
      );
      this.entries = lists.flat().sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
      this.lastError = undefined;
    } catch (error) {
      this.lastError = errorMessage(error);
      this.log.error(`Could not read the sweeps folders: ${this.lastError}`);
    }
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const pattern = new vscode.RelativePattern(vscode.Uri.file(sweepsDirFor(folder.uri.fsPath)), '*/sweep.json');
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const onChange = (): void => this.refresh();
      watcher.onDidCreate(onChange);
      watcher.onDidChange(onChange);
      watcher.onDidDelete(onChange);
      return watcher;
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
