// The "Model Explorer" view: Runs grouped by spec (live progress while
// training), Local models (runs that saved a model), and the Cloud section.
// getChildren never throws: a failure becomes a node that says what happened.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../shared/events';
import { runDir, MODEL_FOLDER } from '../../core/runStore';
import type { CloudNode } from '../cloud/cloudShape';
import type { CloudTree } from '../cloud/cloudTree';
import type { RunEntry, RunsModel } from '../runs/runsModel';
import type { TrainingManager } from '../training/trainingManager';
import { groupRuns, modelDescription, type IconView, type RunItemView, type SpecGroupView } from './treeShape';
import { errorMessage } from '../../shared/errors';

export type ExplorerNode =
  | { kind: 'section'; section: 'runs' | 'models' | 'cloud'; count?: number }
  | { kind: 'group'; group: SpecGroupView }
  | { kind: 'run'; view: RunItemView; entry?: RunEntry }
  | { kind: 'model'; entry: RunEntry }
  | { kind: 'cloud'; node: CloudNode }
  | { kind: 'info'; id: string; label: string; description?: string; tooltip?: string; icon?: IconView; command?: vscode.Command };

export class ModelExplorer implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly runs: RunsModel,
    private readonly training: TrainingManager,
    private readonly cloud?: CloudTree,
  ) {
    if (cloud) this.disposables.push(cloud.onDidChange(() => this.changed.fire(undefined)));
    this.disposables.push(
      runs.onDidChange(() => this.changed.fire(undefined)),
      training.onDidChange(() => this.changed.fire(undefined)),
      training.onDidReceiveEvent(({ event }) => {
        // A new run folder or a new outcome: the records on disk changed.
        if (event.type === 'runStarted' || event.type === 'epochEnd' || event.type === 'runFinished') runs.refresh('training');
      }),
      training.onDidFinish(() => runs.refresh('training')),
    );
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      return await this.children(node);
    } catch (error) {
      return [
        {
          kind: 'info',
          id: `error:${node ? JSON.stringify(node).slice(0, 40) : 'root'}`,
          label: `Could not list: ${errorMessage(error)}`,
          icon: { id: 'error', color: 'errorForeground' },
          command: { title: 'Retry', command: 'modelStudio.refresh' },
        },
      ];
    }
  }

  private async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const entries = await this.runs.runs();
    if (!node) {
      const live = this.training.liveRuns;
      if (entries.length === 0 && live.length === 0 && !this.runs.error) return [];
      const models = entries.filter((e) => hasModel(e.record)).length;
      return [
        { kind: 'section', section: 'runs', count: entries.length },
        { kind: 'section', section: 'models', count: models },
        { kind: 'section', section: 'cloud' },
      ];
    }
    switch (node.kind) {
      case 'section':
        if (node.section === 'cloud' && this.cloud) return (await this.cloud.children()).map((child) => ({ kind: 'cloud', node: child }));
        return this.sectionChildren(node.section, entries);
      case 'cloud':
        return this.cloud ? (await this.cloud.children(node.node)).map((child) => ({ kind: 'cloud', node: child })) : [];
      case 'group': {
        const byId = new Map(entries.map((e) => [e.record.id, e]));
        return node.group.runs.map((view) => ({ kind: 'run', view, entry: view.runId ? byId.get(view.runId) : undefined }));
      }
      default:
        return [];
    }
  }

  private sectionChildren(section: 'runs' | 'models' | 'cloud', entries: RunEntry[]): ExplorerNode[] {
    if (section === 'runs') {
      if (this.runs.error) {
        return [{ kind: 'info', id: 'runs-error', label: this.runs.error, icon: { id: 'error' }, command: { title: 'Retry', command: 'modelStudio.refresh' } }];
      }
      const groups = groupRuns(
        entries.map((e) => e.record),
        this.training.liveRuns,
      );
      if (groups.length === 0) return [{ kind: 'info', id: 'no-runs', label: 'No runs yet', description: 'Train a spec to start one', command: { title: 'Train', command: 'modelStudio.train' } }];
      return groups.map((group) => ({ kind: 'group', group }));
    }
    if (section === 'models') {
      const models = entries.filter((e) => hasModel(e.record));
      if (models.length === 0) return [{ kind: 'info', id: 'no-models', label: 'No saved models yet', description: 'a finished run saves one' }];
      return models.map((entry) => ({ kind: 'model', entry }));
    }
    return [
      {
        kind: 'info',
        id: 'cloud-cli',
        label: 'Vertex AI from the command line',
        description: 'model-studio cloud models | endpoints',
        tooltip:
          'Uploading models and managing endpoints in Vertex AI works through the `model-studio` CLI in a terminal: `model-studio cloud models upload|list`, `model-studio cloud endpoints create|deploy-model|update --traffic-split` (`model-studio cloud help`). This section does not list cloud resources yet.',
        icon: { id: 'terminal' },
      },
    ];
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.kind) {
      case 'section':
        return sectionItem(node.section, node.count);
      case 'group': {
        const item = new vscode.TreeItem(node.group.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.group.id;
        item.description = node.group.description;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'specGroup';
        item.tooltip = node.group.specPath;
        if (node.group.specPath) item.resourceUri = vscode.Uri.file(node.group.specPath);
        return item;
      }
      case 'run': {
        const item = new vscode.TreeItem(node.view.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.view.id;
        item.description = node.view.description;
        item.tooltip = new vscode.MarkdownString(node.view.tooltip);
        item.iconPath = themeIcon(node.view.icon);
        item.contextValue = node.view.contextValue;
        if (node.view.runId) item.command = { title: 'Open Dashboard', command: 'modelStudio.openDashboard', arguments: [node] };
        return item;
      }
      case 'model': {
        const record = node.entry.record;
        const item = new vscode.TreeItem(record.name, vscode.TreeItemCollapsibleState.None);
        item.id = `model:${record.id}`;
        item.description = modelDescription(record);
        item.tooltip = new vscode.MarkdownString(`TF.js LayersModel of run \`${record.id}\`  \n${path.join(runDir(node.entry.runsDir, record.id), MODEL_FOLDER)}`);
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'model';
        item.resourceUri = vscode.Uri.file(path.join(runDir(node.entry.runsDir, record.id), MODEL_FOLDER));
        return item;
      }
      case 'cloud':
        return this.cloud ? this.cloud.treeItem(node.node) : new vscode.TreeItem(node.node.type);
      case 'info': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `info:${node.id}`;
        item.description = node.description;
        item.tooltip = node.tooltip ? new vscode.MarkdownString(node.tooltip) : undefined;
        item.iconPath = node.icon ? themeIcon(node.icon) : new vscode.ThemeIcon('info');
        item.command = node.command;
        item.contextValue = 'info';
        return item;
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function hasModel(record: RunRecord): boolean {
  return record.status === 'completed' || record.status === 'stopped';
}

function themeIcon(icon: IconView): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}

function sectionItem(section: 'runs' | 'models' | 'cloud', count: number | undefined): vscode.TreeItem {
  const labels = { runs: 'Runs', models: 'Local Models', cloud: 'Cloud (Vertex AI)' } as const;
  const icons = { runs: 'history', models: 'database', cloud: 'cloud' } as const;
  const item = new vscode.TreeItem(
    labels[section],
    section === 'cloud' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
  );
  item.id = `section:${section}`;
  item.iconPath = new vscode.ThemeIcon(icons[section]);
  item.contextValue = `section ${section}`;
  if (count !== undefined && count > 0) item.description = String(count);
  return item;
}

/** The run a command was invoked on: a run node, a model node, a run id, or nothing. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as Partial<ExplorerNode>;
  if (node.kind === 'run') return node.view?.runId;
  if (node.kind === 'model') return node.entry?.record.id;
  return undefined;
}
