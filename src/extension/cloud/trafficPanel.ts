// The traffic editor: a small webview with one control per deployed model
// (the sum stays 100), the current and the new split, and Apply, which
// writes with the endpoint's etag. A conflict shows the new state.
import * as vscode from 'vscode';
import type { CloudClients, EndpointSummary } from '../../cloud';
import { errorMessage } from '../../shared/errors';
import type { Log } from '../log';
import type { CloudConnection } from './cloudConnection';
import { panelHtml } from './panelHtml';
import type { TrafficFromWebview, TrafficToWebview } from '../../shared/protocol/panels';
import { deployedLabel, describeChange, describeSplit, fullSplit, isValidSplit } from '../../shared/trafficEditing';

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
  private readonly disposables: vscode.Disposable[] = [];

  /** Re-reads every open editor's endpoint (after a deploy, promote or undeploy elsewhere). */
  static reloadAll(): void {
    for (const panel of TrafficPanel.open.values()) void panel.receive({ type: 'reload' });
  }

  static show(context: vscode.ExtensionContext, options: TrafficPanelOptions): void {
    const existing = TrafficPanel.open.get(options.endpoint.name);
    if (existing) {
      existing.endpoint = options.endpoint;
      existing.panel.reveal();
      existing.post({ type: 'state', ...existing.state() });
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
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'traffic.js')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: TrafficFromWebview) => void this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private state(extra: { conflict?: string; error?: string; applied?: string } = {}): Omit<Extract<TrafficToWebview, { type: 'state' }>, 'type'> {
    return {
      endpointId: this.endpoint.id,
      endpointName: this.endpoint.displayName,
      etag: this.endpoint.etag,
      rows: this.endpoint.deployedModels.map((d) => ({
        id: d.id,
        label: deployedLabel(d),
        current: this.endpoint.trafficSplit[d.id] ?? 0,
        machine: `${d.machineType ?? 'automatic'} ×${d.minReplicaCount ?? 1}`,
      })),
      ...extra,
    };
  }

  private post(message: TrafficToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(message: TrafficFromWebview): Promise<void> {
    const cloud = this.options.connection.cloud();
    try {
      if (message.type === 'ready') {
        this.post({ type: 'state', ...this.state() });
      } else if (message.type === 'reload') {
        this.endpoint = await cloud.describeEndpoint(this.options.clients, this.endpoint.name);
        this.post({ type: 'state', ...this.state() });
      } else if (message.type === 'apply') {
        const ids = this.endpoint.deployedModels.map((d) => d.id);
        if (!isValidSplit(message.split, ids)) {
          this.post({ type: 'state', ...this.state({ error: 'The shares must be whole numbers that sum to 100.' }) });
          return;
        }
        const before = fullSplit(this.endpoint);
        this.post({ type: 'busy', message: 'Applying…' });
        try {
          this.endpoint = await cloud.updateTrafficSplit(this.options.clients, this.endpoint.name, message.split, { etag: message.etag });
          const changes = describeChange(this.endpoint, before, fullSplit(this.endpoint));
          this.options.log.info(`Traffic of ${this.endpoint.displayName}: ${changes.join(', ') || 'unchanged'}`);
          this.post({ type: 'state', ...this.state({ applied: `Applied: ${describeSplit(this.endpoint, fullSplit(this.endpoint))}.` }) });
          this.options.onApplied();
        } catch (error) {
          if (error instanceof cloud.TrafficConflictError) {
            this.endpoint = error.current;
            this.options.onApplied();
            this.post({
              type: 'state',
              ...this.state({
                conflict: `Someone else changed the traffic of ${this.endpoint.displayName} since this editor read it; nothing was applied. It is now: ${describeSplit(this.endpoint, fullSplit(this.endpoint))}. Adjust and apply again.`,
              }),
            });
            return;
          }
          throw error;
        }
      }
    } catch (error) {
      this.options.log.warn(`Traffic editor: ${errorMessage(error)}`);
      this.post({ type: 'state', ...this.state({ error: errorMessage(error) }) });
    }
  }

  dispose(): void {
    TrafficPanel.open.delete(this.endpoint.name);
    for (const d of this.disposables) d.dispose();
  }
}
