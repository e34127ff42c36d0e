// One experiments WebviewPanel: all runs of the workspace, or one sweep's
// trials, in a SessionPanel like the dashboard.

import * as vscode from 'vscode';
import { EXPERIMENTS_VIEW_TYPE, type ExperimentsScope } from '../../shared/protocol/experiments';
import { openSessionPanel, SessionPanel } from '../webviews/sessionPanel';
import { ExperimentsSession, type ExperimentsHost } from './experimentsSession';

export type PanelHost = Omit<ExperimentsHost, 'post' | 'titleChanged'>;

export class ExperimentsPanel extends SessionPanel<ExperimentsSession> {
  /** Adopts a new panel or one that VS Code restored after a reload. */
  constructor(
    panel: vscode.WebviewPanel,
    readonly scope: ExperimentsScope,
    extensionUri: vscode.Uri,
    host: PanelHost,
    onDispose: () => void,
  ) {
    const page = { script: 'experiments.js', title: 'Model Studio Experiments', loadingText: 'Loading the runs…' };
    const session = (): ExperimentsSession =>
      new ExperimentsSession(scope, {
        ...host,
        post: (message) => panel.webview.postMessage(message),
        titleChanged: (title) => {
          panel.title = title;
        },
      });
    super(panel, extensionUri, page, session, onDispose);
  }

  static create(scope: ExperimentsScope, extensionUri: vscode.Uri, host: PanelHost, onDispose: () => void): ExperimentsPanel {
    const panel = openSessionPanel(EXPERIMENTS_VIEW_TYPE, scope.sweepId ? `Sweep ${scope.sweepId}` : 'Experiments', vscode.ViewColumn.Active, extensionUri);
    return new ExperimentsPanel(panel, scope, extensionUri, host, onDispose);
  }
}
