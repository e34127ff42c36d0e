// The dashboard's WebviewPanel: one at a time, showing one run or several
// compared. It does not retain its context when hidden; every time the
// webview (re)loads it says `ready` and the session restores the charts from
// the run folders, so hiding, closing and reloading the window lose nothing.

import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE } from '../../shared/protocol/dashboard';
import type { TrainerEvent } from '../../shared/events';
import { buildDashboardHtml, createNonce } from './dashboardHtml';
import { DashboardSession, type SessionHost } from './dashboardSession';

export interface PanelHost extends Omit<SessionHost, 'post' | 'shownRunsChanged'> {
  extensionUri: vscode.Uri;
}

export class DashboardPanel implements vscode.Disposable {
  private readonly session: DashboardSession;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Creates a new panel, or adopts one that VS Code restored after a reload. */
  constructor(
    readonly panel: vscode.WebviewPanel,
    host: PanelHost,
    onDispose: () => void,
  ) {
    const webviewRoot = vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot] };
    this.session = new DashboardSession({
      ...host,
      post: (message) => panel.webview.postMessage(message),
      shownRunsChanged: (runIds, names) => {
        panel.title = runIds.length > 1 ? `Compare ${runIds.length} runs` : `Dashboard: ${names[0] ?? 'no run'}`;
      },
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.session.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.session.webviewHidden();
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
    panel.webview.html = buildDashboardHtml({
      cspSource: panel.webview.cspSource,
      nonce: createNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'dashboard.js')).toString(),
      title: 'Model Studio Dashboard',
    });
  }

  static create(host: PanelHost, onDispose: () => void, column: vscode.ViewColumn, preserveFocus: boolean): DashboardPanel {
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      'Model Studio Dashboard',
      { viewColumn: column, preserveFocus },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview')] },
    );
    return new DashboardPanel(panel, host, onDispose);
  }

  get runIds(): readonly string[] {
    return this.session.runIds;
  }

  show(runIds: readonly string[], preserveFocus: boolean): Promise<void> {
    if (!this.panel.visible) this.panel.reveal(undefined, preserveFocus);
    return this.session.show(runIds);
  }

  post(event: TrainerEvent): void {
    this.session.post(event);
  }

  runsChanged(): void {
    this.session.runsChanged();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
