// One experiments WebviewPanel: all runs of the workspace, or one sweep's
// trials. Like the dashboard it does not retain its context when hidden:
// every time the page (re)loads it says `ready` and gets the rows anew.

import * as vscode from 'vscode';
import { EXPERIMENTS_VIEW_TYPE, type ExperimentsScope } from '../../shared/protocol/experiments';
import { buildDashboardHtml, createNonce } from '../dashboard/dashboardHtml';
import { ExperimentsSession, type ExperimentsHost } from './experimentsSession';

export type PanelHost = Omit<ExperimentsHost, 'post' | 'titleChanged'>;

export class ExperimentsPanel implements vscode.Disposable {
  readonly session: ExperimentsSession;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Adopts a new panel or one that VS Code restored after a reload. */
  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly scope: ExperimentsScope,
    extensionUri: vscode.Uri,
    host: PanelHost,
    onDispose: () => void,
  ) {
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot] };
    this.session = new ExperimentsSession(scope, {
      ...host,
      post: (message) => panel.webview.postMessage(message),
      titleChanged: (title) => {
        panel.title = title;
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
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'experiments.js')).toString(),
      title: 'Model Studio Experiments',
      loadingText: 'Loading the runs…',
    });
  }

  static create(scope: ExperimentsScope, extensionUri: vscode.Uri, host: PanelHost, onDispose: () => void): ExperimentsPanel {
    const panel = vscode.window.createWebviewPanel(EXPERIMENTS_VIEW_TYPE, scope.sweepId ? `Sweep ${scope.sweepId}` : 'Experiments', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    return new ExperimentsPanel(panel, scope, extensionUri, host, onDispose);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
