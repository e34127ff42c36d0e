// The dashboard's WebviewPanel: one at a time, showing one run or several
// compared. It does not retain its context when hidden; every time the
// webview (re)loads it says `ready` and the session restores the charts from
// the run folders, so hiding, closing and reloading the window lose nothing.

import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE } from '../../shared/protocol/dashboard';
import type { TrainerEvent } from '../../shared/events';
import { DashboardSession, type SessionHost } from './dashboardSession';
import { openSessionPanel, SessionPanel } from '../webviews/sessionPanel';

export interface PanelHost extends Omit<SessionHost, 'post' | 'shownRunsChanged'> {
  extensionUri: vscode.Uri;
}

export class DashboardPanel extends SessionPanel<DashboardSession> {
  /** Creates a new panel, or adopts one that VS Code restored after a reload. */
  constructor(panel: vscode.WebviewPanel, host: PanelHost, onDispose: () => void) {
    const page = { script: 'dashboard.js', title: 'Model Studio Dashboard' };
    const session = (): DashboardSession =>
      new DashboardSession({
        ...host,
        post: (message) => panel.webview.postMessage(message),
        shownRunsChanged: (runIds, names) => {
          panel.title = runIds.length > 1 ? `Compare ${runIds.length} runs` : `Dashboard: ${names[0] ?? 'no run'}`;
        },
      });
    super(panel, host.extensionUri, page, session, onDispose);
  }

  static create(host: PanelHost, onDispose: () => void, column: vscode.ViewColumn, preserveFocus: boolean): DashboardPanel {
    const panel = openSessionPanel(DASHBOARD_VIEW_TYPE, 'Model Studio Dashboard', { viewColumn: column, preserveFocus }, host.extensionUri);
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
}
