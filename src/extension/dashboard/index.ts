// The live training dashboard (a webview panel) — the API the rest of the extension calls.
//
//   const dashboard = registerDashboard(context, {
//     runsDir: () => runsFolder,              // `<workspace>/.model-studio/runs`, or undefined without a workspace
//     stopRun: (runId) => trainingManager.stop(runId),   // the dashboard's Stop button; reject with a readable Error to show it
//     revealRun: (runId) => ...,              // optional: the "Open folder" button (default: revealInExplorer)
//   });
//   await dashboard.show([runId]);            // open or reveal; one id: that run, several: compared, []: the newest run
//   dashboard.post(event);                    // every live TrainerEvent from a trainer (ignored unless its run is shown)
//   dashboard.runsChanged();                  // after a run starts, ends or is deleted (refreshes status and the run picker)
//   dashboard.shownRunIds                     // what the panel shows now ([] when closed)
//
// registerDashboard registers the WebviewPanelSerializer for 'modelStudio.dashboard' (package.json needs the
// activation event `onWebviewPanel:modelStudio.dashboard`), and pushes the Dashboard onto context.subscriptions.
// Messages to the webview are coalesced to ~20 a second; the panel restores itself from the run folders on every
// reload. For tests: the webview's DOM has `.chart-card[data-metric=loss]` with `data-points` (points drawn) and
// `data-last` (the newest value), `vscode-badge[data-status]`, `.tile[data-metric=test_acc]` and
// `vscode-button[data-action=stop]`.

import * as vscode from 'vscode';
import type { TrainerEvent } from '../../shared/events';
import { DASHBOARD_VIEW_TYPE, parseViewState } from '../../shared/webviewProtocol';
import { DashboardPanel, type PanelHost } from './dashboardPanel';
import { loadAvailable, loadRecords, loadRunHistories } from './runHistories';
import { runDir } from '../../core/runStore';

export interface DashboardServices {
  runsDir(): string | undefined;
  stopRun(runId: string): Promise<void>;
  revealRun?(runId: string): Promise<void>;
  /** Where unexpected failures go (the "Model Studio" output channel); console.error by default. */
  logError?(message: string): void;
}

export interface ShowOptions {
  preserveFocus?: boolean;
  viewColumn?: vscode.ViewColumn;
}

export class Dashboard implements vscode.Disposable {
  private panel: DashboardPanel | undefined;
  private readonly registrations: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: DashboardServices,
  ) {
    this.registrations.push(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (webviewPanel, state) => {
          this.panel?.dispose();
          this.panel = new DashboardPanel(webviewPanel, this.panelHost(), () => this.forget(webviewPanel));
          await this.panel.show(parseViewState(state)?.runIds ?? [], true);
        },
      }),
    );
  }

  get shownRunIds(): readonly string[] {
    return this.panel?.runIds ?? [];
  }

  async show(runIds: readonly string[], options: ShowOptions = {}): Promise<void> {
    if (!this.panel) {
      const created = DashboardPanel.create(this.panelHost(), () => this.forget(created.panel), options.viewColumn ?? vscode.ViewColumn.Active, options.preserveFocus ?? false);
      this.panel = created;
    }
    await this.panel.show(runIds, options.preserveFocus ?? false);
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
    const runsDir = (): string => {
      const dir = this.services.runsDir();
      if (!dir) throw new Error('Open a folder first: runs live in its .model-studio/runs folder.');
      return dir;
    };
    const logError = this.services.logError ?? ((message: string) => console.error(message));
    return {
      extensionUri: this.extensionUri,
      loadRuns: async (ids) => (this.services.runsDir() ? loadRunHistories(runsDir(), ids) : []),
      loadRecords: async (ids) => (this.services.runsDir() ? loadRecords(runsDir(), ids) : []),
      listAvailable: async () => (this.services.runsDir() ? loadAvailable(runsDir()) : []),
      newestRunId: async () => (this.services.runsDir() ? (await loadAvailable(runsDir()))[0]?.id : undefined),
      stop: (runId) => this.services.stopRun(runId),
      openFolder: async (runId) => {
        if (this.services.revealRun) return this.services.revealRun(runId);
        await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(runDir(runsDir(), runId)));
      },
      logError,
    };
  }
}

export function registerDashboard(context: vscode.ExtensionContext, services: DashboardServices): Dashboard {
  const dashboard = new Dashboard(context.extensionUri, services);
  context.subscriptions.push(dashboard);
  return dashboard;
}

export { DASHBOARD_VIEW_TYPE } from '../../shared/webviewProtocol';
