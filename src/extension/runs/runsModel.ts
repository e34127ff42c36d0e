// The runs on disk across the workspace's folders, cached and refreshed when
// a run.json changes (file watcher, debounced) or a trainer reports progress.
import * as vscode from 'vscode';
import type { RunRecord } from '../../shared/events';
import { listRuns } from '../../core/runStore';
import type { Log } from '../log';
import { allRunsDirs } from '../settings';
import { errorMessage } from '../../shared/errors';

export interface RunEntry {
  record: RunRecord;
  runsDir: string;
  folder: vscode.WorkspaceFolder;
}

export type RefreshReason = 'watcher' | 'training' | 'config' | 'manual';

const DEBOUNCE_MS = 300;

export class RunsModel implements vscode.Disposable {
  private entries: RunEntry[] = [];
  private loaded: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private watchers: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastError: string | undefined;

  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Log) {
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.refresh('config');
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modelStudio.runsFolder')) {
          this.watch();
          this.refresh('config');
        }
      }),
    );
  }

  /** Every run, newest first; loads on first use. */
  async runs(): Promise<RunEntry[]> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.entries;
  }

  /** Why the last load failed, for an error node in the tree. */
  get error(): string | undefined {
    return this.lastError;
  }

  async find(runId: string): Promise<RunEntry | undefined> {
    return (await this.runs()).find((e) => e.record.id === runId);
  }

  /** Reloads soon; bursts of changes (run.json is rewritten every epoch) become one reload. */
  refresh(reason: RefreshReason): void {
    clearTimeout(this.timer);
    const delay = reason === 'manual' ? 0 : DEBOUNCE_MS;
    this.timer = setTimeout(() => {
      this.loaded = this.load();
      void this.loaded.then(() => this.changed.fire());
    }, delay);
  }

  /** Reloads now and waits for it (commands that act on the result). */
  async reload(): Promise<RunEntry[]> {
    clearTimeout(this.timer);
    this.loaded = this.load();
    await this.loaded;
    this.changed.fire();
    return this.entries;
  }

  private async load(): Promise<void> {
    try {
      const lists = await Promise.all(
        allRunsDirs().map(async ({ folder, runsDir }) => (await listRuns(runsDir)).map((record) => ({ record, runsDir, folder }))),
      );
      this.entries = lists.flat().sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
      this.lastError = undefined;
    } catch (error) {
      this.lastError = errorMessage(error);
      this.log.error(`Could not read the runs folders: ${this.lastError}`);
    }
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = allRunsDirs().map(({ runsDir }) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runsDir), '*/run.json'));
      const onChange = (): void => this.refresh('watcher');
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
