// The live training dashboard (a webview panel) — the API the rest of the extension calls.
//
//   const dashboard = registerDashboard(context, {
//     defaultRunsDir: () => runsFolderOfFirstWorkspace,   // used when a reload restores the panel
//     stopRun: (runId) => ...,       // the dashboard's Stop button; reject with a readable Error to show it
//     revealRun: (runId) => ...,     // the "Open folder" button (default: revealInExplorer on the run folder)
//     pushRun: (runId) => ...,       // the "Push to Vertex AI" button of a finished run
//     resumeRun: (runId) => ...,     // the "Resume" button of a stopped or crashed run
//     logError: (message) => log.error(message),
//   });
//   await dashboard.show([runId], runsDir, preserveFocus);  // open or reveal; several ids: compared; []: the newest run
//   dashboard.post(event);        // every live TrainerEvent (ignored unless its run is shown; coalesced to ~20 msg/s)
//   dashboard.runsChanged();      // a run started, ended or was deleted (refreshes status and the run picker)
//
// `Dashboard` has the shape of the extension's DashboardPort (show/post/runsChanged/dispose). registerDashboard
// also registers the WebviewPanelSerializer for 'modelStudio.dashboard' (package.json: activation event
// `onWebviewPanel:modelStudio.dashboard`), so a window reload brings the panel back, restored from the run
// folders, and pushes the Dashboard onto context.subscriptions.
//
// For end-to-end tests: the webview's DOM has `.chart-card[data-metric=loss]` with `data-points` (x values drawn), `data-x-max` (the x axis' end)
// and `data-last` (newest value), `vscode-badge[data-status]`, `.tile[data-metric=test_acc]`, `[data-fact=Epoch]`,
// `vscode-button[data-action=stop]`, `vscode-button[data-action=push]` and `vscode-button[data-action=resume]`. The page's CSP forbids eval, so
// Playwright's waitForFunction (which evals in the page) fails there: poll with frame.evaluate instead.

import * as vscode from 'vscode';
import type { TrainerEvent } from '../../shared/events';
import { DASHBOARD_VIEW_TYPE, parseViewState } from '../../shared/protocol/dashboard';
import { runDir } from '../../core/runStore';
import { DashboardPanel, type PanelHost } from './dashboardPanel';
import { loadAvailable, loadRecords, loadRunHistories } from './runHistories';

export interface DashboardServices {
  /** The runs folder when none was given (a panel restored after a reload): `<workspace>/.model-studio/runs`. */
  defaultRunsDir(): string | undefined;
  stopRun(runId: string): Promise<void>;
  revealRun?(runId: string): Promise<void>;
  /** The "Push to Vertex AI" button of a completed or stopped run; resolves when the push flow ends. */
  pushRun(runId: string): Promise<void>;
  /** The "Resume" button of a stopped or crashed run; resolves once the run is on its way (or the failure was shown). */
  resumeRun(runId: string): Promise<void>;
  /** Where unexpected failures go (the "Model Studio" output channel); console.error by default. */
  logError?(message: string): void;
}

export class Dashboard implements vscode.Disposable {
  private panel: DashboardPanel | undefined;
  private runsDir: string | undefined;
  private readonly registrations: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: DashboardServices,
  ) {
    this.registrations.push(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (webviewPanel, state) => {
          const saved = parseViewState(state);
          this.panel?.dispose();
          this.runsDir = saved?.runsDir ?? this.services.defaultRunsDir();
          this.panel = new DashboardPanel(webviewPanel, this.panelHost(), () => this.forget(webviewPanel));
          await this.panel.show(saved?.runIds ?? [], true);
        },
      }),
    );
  }

  /** What the panel shows now ([] when it is closed). */
  get shownRunIds(): readonly string[] {
    return this.panel?.runIds ?? [];
  }

  async show(runIds: readonly string[], runsDir?: string, preserveFocus = false): Promise<void> {
    this.runsDir = runsDir ?? this.runsDir ?? this.services.defaultRunsDir();
    if (!this.panel) {
      const created = DashboardPanel.create(this.panelHost(), () => this.forget(created.panel), vscode.ViewColumn.Active, preserveFocus);
      this.panel = created;
    }
    await this.panel.show(runIds, preserveFocus);
  }

  post(event: TrainerEvent): void {
    this.panel?.post(event);
  }

  runsChanged(): void {
    this.panel?.runsChanged();
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
    for (const d of this.registrations.splice(0)) d.dispose();
  }

  private forget(panel: vscode.WebviewPanel): void {
    if (this.panel?.panel === panel) this.panel = undefined;
  }

  private panelHost(): PanelHost {
    const dir = (): string => {
      if (!this.runsDir) throw new Error('Open a folder first: runs live in its .model-studio/runs folder.');
      return this.runsDir;
    };
    return {
      extensionUri: this.extensionUri,
      runsDir: () => this.runsDir,
      loadRuns: async (ids) => (this.runsDir ? loadRunHistories(dir(), ids) : []),
      loadRecords: async (ids) => (this.runsDir ? loadRecords(dir(), ids) : []),
      listAvailable: async () => (this.runsDir ? loadAvailable(dir()) : []),
      newestRunId: async () => (this.runsDir ? (await loadAvailable(dir()))[0]?.id : undefined),
      stop: (runId) => this.services.stopRun(runId),
      openFolder: async (runId) => {
        if (this.services.revealRun) return this.services.revealRun(runId);
        await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(runDir(dir(), runId)));
      },
      pushRun: (runId) => this.services.pushRun(runId),
      resumeRun: (runId) => this.services.resumeRun(runId),
      logError: this.services.logError ?? ((message: string) => console.error(message)),
    };
  }
}

export function registerDashboard(context: vscode.ExtensionContext, services: DashboardServices): Dashboard {
  const dashboard = new Dashboard(context.extensionUri, services);
  context.subscriptions.push(dashboard);
  return dashboard;
}

export { DASHBOARD_VIEW_TYPE } from '../../shared/protocol/dashboard';
