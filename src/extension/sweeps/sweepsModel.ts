// The sweeps on disk across the workspace's folders (`.model-studio/sweeps`),
// refreshed when a sweep.json changes (file watcher, debounced), with the
// record of the sweep running in this window laid over its file's.
import * as vscode from 'vscode';
import type { SweepRecord } from '../../shared/sweep';
import { listSweeps, sweepsDirFor } from '../../core/sweep/sweepStore';
import { DEBOUNCE_MS, RecordsOnDisk } from '../tree/recordsOnDisk';
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

export class SweepsModel extends RecordsOnDisk<SweepEntry> {
  constructor(
    private readonly manager: SweepManager,
    log: Log,
  ) {
    super(log, 'sweeps');
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
    const entries = await this.loadedEntries();
    const running = this.manager.running;
    const folder = this.manager.runningFolder;
    if (!running || !folder) return entries;
    const live: SweepEntry = { record: running, folder, runsDir: running.runsDir ?? runsDirOf(folder), live: true };
    return [live, ...entries.filter((e) => e.record.id !== running.id)];
  }

  async find(sweepId: string): Promise<SweepEntry | undefined> {
    return (await this.sweeps()).find((e) => e.record.id === sweepId);
  }

  refresh(): void {
    this.scheduleReload(DEBOUNCE_MS);
  }

  async reload(): Promise<SweepEntry[]> {
    await this.reloadNow();
    return this.sweeps();
  }

  protected async readAll(): Promise<SweepEntry[]> {
    const lists = await Promise.all(
      (vscode.workspace.workspaceFolders ?? []).map(async (folder) =>
        (await listSweeps(sweepsDirFor(folder.uri.fsPath))).map((record) => ({ record, folder, runsDir: record.runsDir ?? runsDirOf(folder), live: false })),
      ),
    );
    return lists.flat();
  }

  protected watchedFiles(): vscode.RelativePattern[] {
    return (vscode.workspace.workspaceFolders ?? []).map((folder) => new vscode.RelativePattern(vscode.Uri.file(sweepsDirFor(folder.uri.fsPath)), '*/sweep.json'));
  }
}
