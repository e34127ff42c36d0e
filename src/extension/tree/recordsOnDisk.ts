// Records on disk across the workspace's folders (runs, sweeps), cached and
// reloaded when one of their files changes (file watcher, debounced): bursts
// of changes (run.json is rewritten every epoch) become one reload.
import * as vscode from 'vscode';
import { errorMessage } from '../../shared/errors';
import type { Log } from '../log';

export const DEBOUNCE_MS = 300;

export abstract class RecordsOnDisk<T extends { record: { createdAt: string } }> implements vscode.Disposable {
  private entries: T[] = [];
  private loaded: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchers: vscode.Disposable[] = [];
  private lastError: string | undefined;
  protected readonly changed = new vscode.EventEmitter<void>();
  protected readonly disposables: vscode.Disposable[] = [this.changed];

  readonly onDidChange = this.changed.event;

  /** `what` names the folders in the log's error line ("runs", "sweeps"). */
  constructor(
    private readonly log: Log,
    private readonly what: string,
  ) {}

  /** Every record in every folder (any order). */
  protected abstract readAll(): Promise<T[]>;

  /** The files whose changes mean a reload. */
  protected abstract watchedFiles(): vscode.RelativePattern[];

  /** Why the last load failed, for an error node in the tree. */
  get error(): string | undefined {
    return this.lastError;
  }

  /** Every record, newest first; loads on first use. */
  protected async loadedEntries(): Promise<T[]> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.entries;
  }

  /** Reloads after `delayMs`, replacing a reload already waiting. */
  protected scheduleReload(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.loaded = this.load();
      void this.loaded.then(() => this.changed.fire());
    }, delayMs);
  }

  /** Reloads now and waits for it (commands that act on the result). */
  protected async reloadNow(): Promise<void> {
    clearTimeout(this.timer);
    this.loaded = this.load();
    await this.loaded;
    this.changed.fire();
  }

  private async load(): Promise<void> {
    try {
      this.entries = (await this.readAll()).sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
      this.lastError = undefined;
    } catch (error) {
      this.lastError = errorMessage(error);
      this.log.error(`Could not read the ${this.what} folders: ${this.lastError}`);
    }
  }

  /** (Re)creates the file watchers, for the folders as they are now. */
  protected watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = this.watchedFiles().map((pattern) => {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const onChange = (): void => this.scheduleReload(DEBOUNCE_MS);
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
