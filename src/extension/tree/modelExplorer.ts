// The "Model Explorer" view: Runs grouped by spec (live progress while
// training), Sweeps with their trials and Local models (runs that saved a
// model). Vertex AI has its own view (src/extension/cloud/cloudTree.ts),
// reachable without any run.
// getChildren never throws: a failure becomes a node that says what happened.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../shared/events';
import { runDir, MODEL_FOLDER } from '../../core/runStore';
import type { RunEntry, RunsModel } from '../runs/runsModel';
import type { TrainingManager } from '../training/trainingManager';
import type { TrialRecord } from '../../shared/sweep';
import type { SweepEntry, SweepsModel } from '../sweeps/sweepsModel';
import { sweepTreeItem, trialTreeItem } from '../sweeps/sweepTree';
import { groupRuns, modelDescription, type IconView, type RunItemView, type SpecGroupView } from './treeShape';
import { errorMessage } from '../../shared/errors';

export type ExplorerNode =
  | { kind: 'section'; section: Section; count?: number }
  | { kind: 'group'; group: SpecGroupView }
  | { kind: 'run'; view: RunItemView; entry?: RunEntry }
  | { kind: 'model'; entry: RunEntry }
  | { kind: 'sweep'; entry: SweepEntry }
  | { kind: 'trial'; entry: SweepEntry; trial: TrialRecord }
  | { kind: 'info'; id: string; label: string; description?: string; tooltip?: string; icon?: IconView; command?: vscode.Command };

type Section = 'runs' | 'sweeps' | 'models';

export class ModelExplorer implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly runs: RunsModel,
    private readonly training: TrainingManager,
    private readonly sweeps?: SweepsModel,
  ) {
    if (sweeps) this.disposables.push(sweeps.onDidChange(() => this.changed.fire(undefined)));
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
      const sweeps = (await this.sweeps?.sweeps()) ?? [];
      if (entries.length === 0 && live.length === 0 && sweeps.length === 0 && !this.runs.error) return [];
      const models = entries.filter((e) => hasModel(e.record)).length;
      return [
        { kind: 'section', section: 'runs', count: entries.length },
        ...(sweeps.length > 0 ? [{ kind: 'section', section: 'sweeps', count: sweeps.length } as const] : []),
        { kind: 'section', section: 'models', count: models },
      ];
    }
    switch (node.kind) {
      case 'section':
        if (node.section === 'sweeps') return ((await this.sweeps?.sweeps()) ?? []).map((entry) => ({ kind: 'sweep', entry }));
        return this.sectionChildren(node.section, entries);
      case 'group': {
        const byId = new Map(entries.map((e) => [e.record.id, e]));
        return node.group.runs.map((view) => ({ kind: 'run', view, entry: view.runId ? byId.get(view.runId) : undefined }));
      }
      case 'sweep':
        return node.entry.record.trials.map((trial) => ({ kind: 'trial', entry: node.entry, trial }));
      default:
        return [];
    }
  }

  private sectionChildren(section: Section, entries: RunEntry[]): ExplorerNode[] {
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
    const models = entries.filter((e) => hasModel(e.record));
    if (models.length === 0) return [{ kind: 'info', id: 'no-models', label: 'No saved models yet', description: 'a finished run saves one' }];
    return models.map((entry) => ({ kind: 'model', entry }));
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
      case 'sweep':
        return sweepTreeItem(node.entry);
      case 'trial':
        return trialTreeItem(node.entry, node.trial);
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

function sectionItem(section: Section, count: number | undefined): vscode.TreeItem {
  const labels = { runs: 'Runs', sweeps: 'Sweeps', models: 'Local Models' } as const;
  const icons = { runs: 'history', sweeps: 'graph-scatter', models: 'database' } as const;
  const item = new vscode.TreeItem(labels[section], vscode.TreeItemCollapsibleState.Expanded);
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
  if (node.kind === 'trial') return node.trial?.runId;
  return undefined;
}
