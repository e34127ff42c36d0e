// A WebviewPanel run by a session (the dashboard, the experiments view). It
// does not retain its context when hidden: every time the page (re)loads it
// says `ready` and the session sends what it shows anew.

import * as vscode from 'vscode';
import { buildDashboardHtml, createNonce } from '../dashboard/dashboardHtml';

/** What the panel tells its session about the webview. */
export interface PanelSession {
  receive(raw: unknown): Promise<void>;
  webviewHidden(): void;
  dispose(): void;
}

/** The page: its script in dist/webview, its title and what it says until the script draws. */
export interface PanelPage {
  script: string;
  title: string;
  loadingText?: string;
}

function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/** Opens a new panel whose scripts load from dist/webview. */
export function openSessionPanel(viewType: string, title: string, show: vscode.ViewColumn | { viewColumn: vscode.ViewColumn; preserveFocus?: boolean }, extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, show, { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [webviewRoot(extensionUri)] });
}

export abstract class SessionPanel<S extends PanelSession> implements vscode.Disposable {
  readonly session: S;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Adopts a new panel or one that VS Code restored after a reload. */
  protected constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    page: PanelPage,
    createSession: (panel: vscode.WebviewPanel) => S,
    onDispose: () => void,
  ) {
    const root = webviewRoot(extensionUri);
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [root] };
    this.session = createSession(panel);
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
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, page.script)).toString(),
      title: page.title,
      loadingText: page.loadingText,
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
