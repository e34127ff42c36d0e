// The batch prediction results viewer: each result next to its input (MNIST
// instances drawn as digits with the predicted class and its probability),
// one page at a time, streamed from the job's output files in Cloud Storage
// (the sandbox's storage in tests): the webview never gets a whole output.
// Every message from the webview passes the protocol's guard (PanelChannel).
import * as vscode from 'vscode';
import type { BatchPredictionJobSummary, CloudClients } from '../../cloud';
import { errorMessage } from '../../shared/errors';
import { isBatchFromWebview, RESULTS_PAGE_SIZE, type BatchFromWebview, type BatchToWebview } from '../../shared/protocol/batchResults';
import type { Log } from '../log';
import { PanelChannel } from '../webviews/panelChannel';
import { resultView } from './batchShape';
import type { CloudConnection } from './cloudConnection';
import { panelHtml } from './panelHtml';

export interface BatchResultsPanelOptions {
  job: BatchPredictionJobSummary;
  /** "mnist-mlp v2". */
  modelLabel: string;
  clients: CloudClients;
  connection: CloudConnection;
  log: Log;
}

export class BatchResultsPanel implements vscode.Disposable {
  private static readonly open = new Map<string, BatchResultsPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: PanelChannel<BatchFromWebview, BatchToWebview>;

  static show(context: vscode.ExtensionContext, options: BatchResultsPanelOptions): void {
    const existing = BatchResultsPanel.open.get(options.job.name);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('modelStudio.batchResults', `Results: ${options.job.displayName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
    });
    BatchResultsPanel.open.set(options.job.name, new BatchResultsPanel(context, panel, options));
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly panel: vscode.WebviewPanel,
    private readonly options: BatchResultsPanelOptions,
  ) {
    this.channel = new PanelChannel<BatchFromWebview, BatchToWebview>({
      name: 'Batch results viewer',
      isMessage: isBatchFromWebview,
      post: (message) => panel.webview.postMessage(message),
      log: options.log,
      handlers: {
        ready: () => this.postInit(),
        page: (message) => this.sendPage(message.offset),
      },
    });
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'batchResults.js')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.channel.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: BatchToWebview): void {
    void this.channel.post(message);
  }

  private postInit(): void {
    const job = this.options.job;
    this.post({
      type: 'init',
      jobName: job.displayName || job.id,
      summary: [this.options.modelLabel, job.machineType, job.state.toLowerCase(), `${job.successfulCount} predictions`, job.failedCount ? `${job.failedCount} failed` : undefined].filter(Boolean).join(' · '),
      total: job.successfulCount + job.failedCount,
      pageSize: RESULTS_PAGE_SIZE,
      outputDirectory: job.outputDirectory ?? job.outputUriPrefix,
    });
  }

  /** A failure is shown in the panel, never thrown at the webview. */
  private async sendPage(offset: number): Promise<void> {
    this.post({ type: 'busy', message: `Reading results ${offset + 1}–${offset + RESULTS_PAGE_SIZE}…` });
    try {
      const page = await this.options.connection.cloud().readBatchResultsPage(this.options.clients, this.options.job, offset, RESULTS_PAGE_SIZE);
      this.post({ type: 'page', offset, rows: page.rows.map(resultView), more: page.more });
    } catch (error) {
      this.options.log.warn(`Batch results viewer: could not read ${this.options.job.displayName}: ${errorMessage(error)}`);
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  dispose(): void {
    BatchResultsPanel.open.delete(this.options.job.name);
    this.channel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
