// The runs on disk across the workspace's folders, cached and refreshed when
// a run.json changes (file watcher, debounced) or a trainer reports progress.
import * as vscode from 'vscode';
import type { RunRecord } from '../../shared/events';
import { listRuns } from '../../core/runStore';
import type { Log } from '../log';
import { allRunsDirs } from '../settings';
import { DEBOUNCE_MS, RecordsOnDisk } from '../tree/recordsOnDisk';

export interface RunEntry {
  record: RunRecord;
  runsDir: string;
  folder: vscode.WorkspaceFolder;
}

export type RefreshReason = 'watcher' | 'training' | 'config' | 'manual';

export class RunsModel extends RecordsOnDisk<RunEntry> {
  constructor(log: Log) {
    super(log, 'runs');
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
    return this.loadedEntries();
  }

  async find(runId: string): Promise<RunEntry | undefined> {
    return (await this.runs()).find((e) => e.record.id === runId);
  }

  /** Reloads soon (at once when asked for); bursts of changes become one reload. */
  refresh(reason: RefreshReason): void {
    this.scheduleReload(reason === 'manual' ? 0 : DEBOUNCE_MS);
  }

  /** Reloads now and waits for it (commands that act on the result). */
  async reload(): Promise<RunEntry[]> {
    await this.reloadNow();
    return this.loadedEntries();
  }

  protected async readAll(): Promise<RunEntry[]> {
    const lists = await Promise.all(allRunsDirs().map(async ({ folder, runsDir }) => (await listRuns(runsDir)).map((record) => ({ record, runsDir, folder }))));
    return lists.flat();
  }

  protected watchedFiles(): vscode.RelativePattern[] {
    return allRunsDirs().map(({ runsDir }) => new vscode.RelativePattern(vscode.Uri.file(runsDir), '*/run.json'));
  }
}
