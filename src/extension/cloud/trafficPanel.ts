// The traffic editor: a small webview with one control per deployed model
// (the sum stays 100), the current and the new split, and Apply, which
// writes with the endpoint's etag. A conflict shows the new state. Every
// message from the webview passes the protocol's guard (PanelChannel).
import * as vscode from 'vscode';
import type { CloudClients, EndpointSummary } from '../../cloud';
import { errorMessage } from '../../shared/errors';
import type { Log } from '../log';
import type { CloudConnection } from './cloudConnection';
import { panelHtml } from './panelHtml';
import { isTrafficFromWebview, trafficState, type ApplyTrafficMessage, type TrafficFromWebview, type TrafficNotes, type TrafficToWebview } from '../../shared/protocol/traffic';
import { describeChange, describeSplit, fullSplit, isValidSplit } from '../../shared/trafficEditing';
import { PanelChannel } from '../webviews/panelChannel';

export interface TrafficPanelOptions {
  endpoint: EndpointSummary;
  connection: CloudConnection;
  clients: CloudClients;
  onApplied: () => void;
  log: Log;
}

export class TrafficPanel implements vscode.Disposable {
  private static readonly open = new Map<string, TrafficPanel>();
  private endpoint: EndpointSummary;
  private readonly channel: PanelChannel<TrafficFromWebview, TrafficToWebview>;
  private readonly disposables: vscode.Disposable[] = [];

  /** Re-reads every open editor's endpoint (after a deploy, promote or undeploy elsewhere). */
  static reloadAll(): void {
    for (const panel of TrafficPanel.open.values()) void panel.reload();
  }

  static show(context: vscode.ExtensionContext, options: TrafficPanelOptions): void {
    const existing = TrafficPanel.open.get(options.endpoint.name);
    if (existing) {
      existing.endpoint = options.endpoint;
      existing.panel.reveal();
      existing.postState();
      return;
    }
    const panel = vscode.window.createWebviewPanel('modelStudio.traffic', `Traffic: ${options.endpoint.displayName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
    });
    TrafficPanel.open.set(options.endpoint.name, new TrafficPanel(context, panel, options));
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly panel: vscode.WebviewPanel,
    private readonly options: TrafficPanelOptions,
  ) {
    this.endpoint = options.endpoint;
    this.channel = new PanelChannel<TrafficFromWebview, TrafficToWebview>({
      name: 'Traffic editor',
      isMessage: isTrafficFromWebview,
      post: (message) => panel.webview.postMessage(message),
      log: options.log,
      handlers: {
        ready: () => this.postState(),
        reload: () => this.reload(),
        apply: (message) => this.apply(message),
      },
    });
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'traffic.js')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.channel.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private postState(notes: TrafficNotes = {}): void {
    void this.channel.post(trafficState(this.endpoint, notes));
  }

  private async reload(): Promise<void> {
    await this.reportingFailures(async () => {
      this.endpoint = await this.options.connection.cloud().describeEndpoint(this.options.clients, this.endpoint.name);
      this.postState();
    });
  }

  private async apply(message: ApplyTrafficMessage): Promise<void> {
    await this.reportingFailures(async () => {
      const cloud = this.options.connection.cloud();
      const ids = this.endpoint.deployedModels.map((d) => d.id);
      if (!isValidSplit(message.split, ids)) {
        this.postState({ error: 'The shares must be whole numbers that sum to 100.' });
        return;
      }
      const before = fullSplit(this.endpoint);
      void this.channel.post({ type: 'busy', message: 'Applying…' });
      try {
        this.endpoint = await cloud.updateTrafficSplit(this.options.clients, this.endpoint.name, message.split, { etag: message.etag });
        const changes = describeChange(this.endpoint, before, fullSplit(this.endpoint));
        this.options.log.info(`Traffic of ${this.endpoint.displayName}: ${changes.join(', ') || 'unchanged'}`);
        this.postState({ applied: `Applied: ${describeSplit(this.endpoint, fullSplit(this.endpoint))}.` });
        this.options.onApplied();
      } catch (error) {
        if (!(error instanceof cloud.TrafficConflictError)) throw error;
        this.endpoint = error.current;
        this.options.onApplied();
        this.postState({
          conflict: `Someone else changed the traffic of ${this.endpoint.displayName} since this editor read it; nothing was applied. It is now: ${describeSplit(this.endpoint, fullSplit(this.endpoint))}. Adjust and apply again.`,
        });
      }
    });
  }

  /** A failure is shown in the editor and logged, never thrown at the webview. */
  private async reportingFailures(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.options.log.warn(`Traffic editor: ${errorMessage(error)}`);
      this.postState({ error: errorMessage(error) });
    }
  }

  dispose(): void {
    TrafficPanel.open.delete(this.endpoint.name);
    this.channel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
