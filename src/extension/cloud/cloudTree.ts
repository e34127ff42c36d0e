// The Vertex AI view (modelStudio.vertex): lists models, versions and
// endpoints from the current target, remembers what is busy ("Deploying…"),
// refreshes after each change and polls only while the view is visible.
// children() never throws: a failure becomes an error node with Retry. With
// the sandbox as target and not running, the root is empty and the view's
// welcome content offers to start it.
//
// To add nodes (a section, or children of a node): a CloudNode variant with
// its words in cloudShape.ts (nodeId, itemView), its children in children()
// below, and its menus in package.json under `view == modelStudio.vertex`.
import * as vscode from 'vscode';
import type { EndpointSummary, ModelSummary } from '../../cloud';
import { fetchSandboxStatus } from '../../core/sandboxControl';
import { errorMessage } from '../../shared/errors';
import type { Log } from '../log';
import { SandboxNotRunning, type CloudConnection } from './cloudConnection';
import {
  deployedNodes,
  endpointNodes,
  errorNode,
  itemView,
  modelNodes,
  sandboxStoppedNode,
  sectionNodes,
  versionNodes,
  type CloudElement,
  type CloudNode,
  type ShapeContext,
} from './cloudShape';
import { isActiveJob, trainingJobNodes, trialNodes } from './trainingShape';
import { batchJobNodes, isActiveBatchJob } from './batchShape';

function noBatchJobsNode(): CloudNode {
  return {
    type: 'message',
    id: 'no-batch-jobs',
    label: 'No batch predictions yet',
    description: 'run one from a model version',
    icon: { id: 'info' },
    command: { command: 'modelStudio.createBatchPrediction', title: 'Create Batch Prediction' },
  };
}

function noTrainingJobsNode(): CloudNode {
  return {
    type: 'message',
    id: 'no-training-jobs',
    label: 'No training jobs yet',
    description: 'train a spec on Vertex AI',
    icon: { id: 'info' },
    command: { command: 'modelStudio.trainOnVertex', title: 'Train on Vertex AI' },
  };
}

const LAST_PREDICTION_KEY = 'modelStudio.cloud.lastPrediction';
/** How often sandbox.json is read while the view is visible, to see the sandbox start or stop (also from a terminal, or by itself when idle). */
const SANDBOX_CHECK_MS = 2_000;
/** How often the Batch Predictions section is listed again while one of its jobs runs. */
const ACTIVE_BATCH_REFRESH_MS = 3_000;

export class CloudTree implements vscode.TreeDataProvider<CloudElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CloudElement | undefined>();
  /** Any change, whole tree or one section (panels re-read what they show). */
  readonly onDidChange: vscode.Event<void> = (listener, thisArgs?, disposables?) => this.changed.event(() => listener.call(thisArgs), undefined, disposables);
  readonly onDidChangeTreeData = this.changed.event;
  private readonly busy = new Map<string, string>();
  private endpoints: EndpointSummary[] = [];
  private models: ModelSummary[] = [];
  /** Whether the last listing had a training job still going (its elapsed time and cost move on). */
  private jobsActive = false;
  private visible = false;
  private listed = false;
  private timer: NodeJS.Timeout | undefined;
  private sandboxTimer: NodeJS.Timeout | undefined;
  private sandboxRevision: number | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  /** The Batch Predictions element as last given to VS Code: refreshing it alone needs the same object. */
  private batchSection: CloudElement | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly connection: CloudConnection,
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {
    this.disposables.push(
      connection.onDidChangeTarget(() => this.refresh()),
      connection.onDidChangePrices(() => this.refresh()),
      connection.onDidChangeSandbox(() => {
        this.sandboxRevision = undefined;
        this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modelStudio.cloud')) this.schedulePoll();
      }),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Polls only while the view is visible (and has listed something). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.batchTimer === undefined && this.batchPending) this.refreshBatchJobs();
    if (visible) this.connection.checkSandbox();
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.sandboxTimer) clearInterval(this.sandboxTimer);
    this.timer = undefined;
    this.sandboxTimer = undefined;
    if (!this.visible) return;
    this.sandboxTimer = setInterval(() => this.connection.checkSandbox(), SANDBOX_CHECK_MS);
    const seconds = vscode.workspace.getConfiguration('modelStudio.cloud').get<number>('pollSeconds', 30);
    if (this.listed && seconds > 0) this.timer = setInterval(() => void this.poll(), seconds * 1000);
  }

  /**
   * A project is listed again. The sandbox is only asked whether anything
   * changed (its control status, which does not count as use): listing it
   * every few seconds would keep it from ever going idle.
   */
  private async poll(): Promise<void> {
    if (this.connection.target.kind === 'project') return this.refresh();
    const info = this.connection.sandboxInfo();
    const status = info && (await fetchSandboxStatus(info));
    if (!status) return;
    // A running job counts as use anyway: list again to move its elapsed time and cost on.
    if ((this.sandboxRevision !== undefined && status.revision !== this.sandboxRevision) || this.jobsActive) this.refresh();
    this.sandboxRevision = status.revision;
  }

  private batchPending = false;

  /** Lists the Batch Predictions section again (only it: the rest of the tree keeps its rows). */
  refreshBatchJobs(): void {
    this.batchPending = false;
    this.changed.fire(this.batchSection);
  }

  /** While a job runs, its section is listed again every few seconds while the view is visible (else once it is shown). */
  private followActiveBatchJobs(active: boolean): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.batchPending = active;
    if (!active) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      if (this.visible) this.refreshBatchJobs();
    }, ACTIVE_BATCH_REFRESH_MS);
  }

  /** Runs `work` with `id` shown busy (spinning, `label`), then refreshes. */
  async whileBusy<T>(id: string, label: string, work: () => Promise<T>): Promise<T> {
    this.busy.set(id, label);
    this.refresh();
    try {
      return await work();
    } finally {
      this.busy.delete(id);
      this.refresh();
    }
  }

  /** The endpoints as last listed (for pickers and tooltips). */
  get lastEndpoints(): readonly EndpointSummary[] {
    return this.endpoints;
  }

  get lastModels(): readonly ModelSummary[] {
    return this.models;
  }

  async recordPrediction(endpointId: string, deployedModelId: string): Promise<void> {
    const seen = this.state.get<Record<string, string>>(LAST_PREDICTION_KEY, {});
    await this.state.update(LAST_PREDICTION_KEY, { ...seen, [`${endpointId}:${deployedModelId}`]: new Date().toISOString() });
  }

  shapeContext(): ShapeContext {
    const target = this.connection.target;
    const seen = this.state.get<Record<string, string>>(LAST_PREDICTION_KEY, {});
    const sandbox = target.kind === 'sandbox' ? this.connection.sandboxInfo() : undefined;
    return {
      target,
      sandboxRunning: target.kind === 'sandbox' ? sandbox !== undefined : undefined,
      sandbox,
      busy: this.busy,
      now: Date.now(),
      lastPrediction: (endpointId, deployedModelId) => seen[`${endpointId}:${deployedModelId}`],
      endpoints: this.endpoints,
      models: this.models,
    };
  }

  async getChildren(element?: CloudElement): Promise<CloudElement[]> {
    try {
      const elements = (await this.children(element?.node)).map((node): CloudElement => ({ kind: 'cloud', node }));
      if (!element) this.batchSection = elements.find((e) => e.node.type === 'batchJobs');
      return elements;
    } catch (error) {
      return [{ kind: 'cloud', node: errorNode('view', 'show Vertex AI', errorMessage(error)) }];
    }
  }

  getTreeItem(element: CloudElement): vscode.TreeItem {
    return this.treeItem(element.node);
  }

  async children(node?: CloudNode): Promise<CloudNode[]> {
    if (!node) {
      // Not running: the welcome content says so and offers Start (and other targets).
      if (this.connection.target.kind === 'sandbox' && !this.connection.checkSandbox()) return [];
      if (!this.listed) {
        this.listed = true;
        this.schedulePoll();
      }
      return sectionNodes();
    }
    switch (node.type) {
      case 'models':
        return this.list('models', 'list models', async (clients) => {
          this.models = await this.connection.cloud().listModels(clients);
          // Versions name the endpoints they are deployed to.
          if (this.endpoints.length === 0) this.endpoints = await this.connection.cloud().listEndpoints(clients).catch(() => []);
          return modelNodes(this.models);
        });
      case 'model':
        return this.list(`versions:${node.model.id}`, 'list versions', async (clients) => {
          const cloud = this.connection.cloud();
          // Each version shows its registry evaluation, so versions compare without the local runs.
          return versionNodes(await cloud.withEvaluations(clients, await cloud.listModelVersions(clients, node.model.name)));
        });
      case 'endpoints':
        return this.list('endpoints', 'list endpoints', async (clients) => {
          this.endpoints = await this.connection.cloud().listEndpoints(clients);
          return endpointNodes(this.endpoints, this.busy);
        });
      case 'endpoint':
        return deployedNodes(node.endpoint, this.busy);
      case 'trainingJobs':
        return this.list('trainingJobs', 'list training jobs', async (clients) => {
          const cloud = this.connection.cloud();
          const [custom, tuning] = await Promise.all([cloud.listCustomJobs(clients), cloud.listTuningJobs(clients)]);
          const jobs = trainingJobNodes([...custom, ...tuning]);
          this.jobsActive = [...custom, ...tuning].some(isActiveJob);
          return jobs.length > 0 ? jobs : [noTrainingJobsNode()];
        });
      case 'trainingJob':
        return node.job.kind === 'tuning' ? trialNodes(node.job) : [];
      case 'batchJobs':
        return this.list('batchJobs', 'list batch prediction jobs', async (clients) => {
          const jobs = await this.connection.cloud().listBatchPredictionJobs(clients);
          this.followActiveBatchJobs(jobs.some(isActiveBatchJob));
          return jobs.length > 0 ? batchJobNodes(jobs) : [noBatchJobsNode()];
        });
      default:
        return [];
    }
  }

  private async list(id: string, what: string, work: (clients: Awaited<ReturnType<CloudConnection['clients']>>) => Promise<CloudNode[]>): Promise<CloudNode[]> {
    try {
      const clients = await this.connection.clients({ start: false });
      return await work(clients);
    } catch (error) {
      if (error instanceof SandboxNotRunning) return id === 'endpoints' ? [] : [sandboxStoppedNode()];
      this.log.warn(`Cloud: could not ${what}: ${errorMessage(error)}`);
      return [errorNode(id, what, errorMessage(error))];
    }
  }

  treeItem(node: CloudNode, context: ShapeContext = this.shapeContext()): vscode.TreeItem {
    const view = itemView(node, context);
    const state =
      view.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : view.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(view.label, state);
    item.id = view.id;
    item.description = view.description;
    if (view.tooltip) {
      const tooltip = new vscode.MarkdownString(view.tooltip, true);
      item.tooltip = tooltip;
    }
    item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
    item.contextValue = view.contextValue;
    if (view.command) item.command = { command: view.command.command, title: view.command.title, arguments: view.command.withNode ? [{ kind: 'cloud', node }] : [] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.batchTimer);
    if (this.timer) clearInterval(this.timer);
    if (this.sandboxTimer) clearInterval(this.sandboxTimer);
    for (const d of this.disposables) d.dispose();
  }
}
