// The experiments view (webview panels) — the API the rest of the extension calls.
//
//   const experiments = registerExperiments(context, { runs, log, openInDashboard, pushRun });
//   await experiments.open({});                       // every run of the workspace
//   await experiments.open({ sweepId: 'mnist-…' });   // one sweep's trials (the command's argument)
//
// One panel per scope, revealed when opened again. Panels update while runs
// and sweeps change on disk (the runs model's watcher, and one on
// .model-studio/sweeps/*/sweep.json), coalesced by each session. A window
// reload restores them (serializer for 'modelStudio.experiments').
//
// For end-to-end tests: the page has `tr.run-row[data-run-id]`, `th[data-column=<key>]`
// (parameter columns by spec path, e.g. fit.batchSize), `input#filter`, `[data-action=star]`,
// `input.select-run`, `vscode-button[data-action=compare]`, and `#summary[data-shown]` (rows after filtering).

import * as vscode from 'vscode';
import { join } from 'node:path';
import { UserError } from '../../shared/errors';
import { EXPERIMENTS_VIEW_TYPE, parseExperimentsViewState, type ExperimentsScope } from '../../shared/protocol/experiments';
import type { Log } from '../log';
import type { RunEntry } from '../runs/runsModel';
import { ExperimentsPanel, type PanelHost } from './experimentsPanel';
import { ExperimentsSource, SWEEPS_FOLDER } from './experimentsSource';
import { MarksStore } from './marksStore';
import { writeSpecFromRun } from './specFromRun';

export interface ExperimentsServices {
  runs: { runs(): Promise<RunEntry[]>; onDidChange: vscode.Event<void> };
  log: Log;
  /** Overlays runs of one runs folder in the dashboard. */
  openInDashboard(runIds: readonly string[], runsDir: string): void;
  /** The Push Model command for a run; resolves when its flow ends. */
  pushRun(runId: string): Promise<void>;
}

function sweepsDirs(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => join(folder.uri.fsPath, SWEEPS_FOLDER));
}

export class Experiments implements vscode.Disposable {
  private readonly panels = new Map<string, ExperimentsPanel>();
  private readonly marks: MarksStore;
  private readonly disposables: vscode.Disposable[] = [];
  private sweepWatchers: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: ExperimentsServices,
  ) {
    this.marks = new MarksStore(context.workspaceState);
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(EXPERIMENTS_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.adopt(panel, parseExperimentsViewState(state)?.scope ?? {}),
      }),
      services.runs.onDidChange(() => this.changed()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watchSweeps()),
    );
  }

  /** Opens (or reveals) the panel of this scope. */
  async open(scope: ExperimentsScope): Promise<void> {
    const existing = this.panels.get(keyOf(scope));
    if (existing) return existing.panel.reveal();
    const created = ExperimentsPanel.create(scope, this.context.extensionUri, this.host(), () => this.forget(created));
    this.remember(created);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    for (const d of [...this.disposables, ...this.sweepWatchers]) d.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, scope: ExperimentsScope): void {
    this.panels.get(keyOf(scope))?.dispose();
    const adopted = new ExperimentsPanel(panel, scope, this.context.extensionUri, this.host(), () => this.forget(adopted));
    this.remember(adopted);
  }

  private remember(panel: ExperimentsPanel): void {
    this.panels.set(keyOf(panel.scope), panel);
    if (this.sweepWatchers.length === 0) this.watchSweeps();
  }

  private forget(panel: ExperimentsPanel): void {
    if (this.panels.get(keyOf(panel.scope)) === panel) this.panels.delete(keyOf(panel.scope));
    // Nobody looks: stop watching the sweeps.
    if (this.panels.size === 0) for (const w of this.sweepWatchers.splice(0)) w.dispose();
  }

  private changed(): void {
    for (const panel of this.panels.values()) panel.session.changed();
  }

  private watchSweeps(): void {
    for (const w of this.sweepWatchers.splice(0)) w.dispose();
    this.sweepWatchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `${SWEEPS_FOLDER.replace(/\\/g, '/')}/*/sweep.json`));
      const onChange = (): void => this.changed();
      watcher.onDidCreate(onChange);
      watcher.onDidChange(onChange);
      watcher.onDidDelete(onChange);
      return watcher;
    });
  }

  /** What every panel's session asks of the extension. */
  private host(): PanelHost {
    const source = new ExperimentsSource({
      runs: async () => (await this.services.runs.runs()).map(({ record, runsDir }) => ({ record, runsDir })),
      sweepsDirs,
    });
    return {
      load: (scope) => source.load(scope, this.marks.get().baseline),
      marks: () => this.marks.get(),
      setStar: async (runId, starred) => {
        await this.marks.setStar(runId, starred);
        for (const panel of this.panels.values()) panel.session.marksChanged();
      },
      setBaseline: async (runId) => {
        await this.marks.setBaseline(runId);
        for (const panel of this.panels.values()) panel.session.marksChanged();
        // A sweep's table shows the baseline even when it is no trial.
        this.changed();
      },
      openRuns: async (runIds) => {
        const entries = await Promise.all(runIds.map((id) => this.entry(id)));
        const runsDir = entries[0].runsDir;
        if (entries.some((e) => e.runsDir !== runsDir)) throw new UserError('Those runs are in different workspace folders: compare runs of one folder at a time.');
        this.services.openInDashboard(runIds, runsDir);
      },
      exportCsv: async (csv, fileName) => {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const target = await vscode.window.showSaveDialog({
          title: 'Export the runs as CSV',
          defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
          filters: { 'CSV files': ['csv'] },
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
        this.services.log.info(`Exported the experiments table to ${target.fsPath}`);
        vscode.window.setStatusBarMessage(`Saved ${vscode.workspace.asRelativePath(target)}`, 5000);
      },
      pushRun: (runId) => this.services.pushRun(runId),
      openAsSpec: async (runId) => {
        const entry = await this.entry(runId);
        const file = await writeSpecFromRun(entry.record, entry.folder.uri.fsPath);
        this.services.log.info(`Wrote ${file} with the hyperparameters of run ${runId}`);
        await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
      },
      logError: (message) => this.services.log.error(message),
    };
  }

  private async entry(runId: string): Promise<RunEntry> {
    const entry = (await this.services.runs.runs()).find((e) => e.record.id === runId);
    if (!entry) throw new UserError(`Run ${runId} is not in the runs folder any more.`);
    return entry;
  }
}

function keyOf(scope: ExperimentsScope): string {
  return scope.sweepId ?? '';
}

export function registerExperiments(context: vscode.ExtensionContext, services: ExperimentsServices): Experiments {
  const experiments = new Experiments(context, services);
  context.subscriptions.push(experiments);
  return experiments;
}

export { EXPERIMENTS_VIEW_TYPE } from '../../shared/protocol/experiments';
