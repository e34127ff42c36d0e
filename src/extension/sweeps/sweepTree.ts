// The Sweeps section of the Model Explorer: a node per sweep (its progress and
// best in the description) with its trials below, each opening its run.
import * as vscode from 'vscode';
import type { TrialRecord } from '../../shared/sweep';
import type { IconView } from '../tree/treeShape';
import type { SweepEntry } from './sweepsModel';
import { sweepRowView, trialRowView } from './sweepViews';

export function sweepTreeItem(entry: SweepEntry): vscode.TreeItem {
  const view = sweepRowView(entry.record, entry.live);
  // Expanded like the Runs groups: the trials and the starred best are what people look for, during and after
  // the sweep (a state that changed with the status would fold the sweep away the moment it completes).
  const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = view.id;
  item.description = view.description;
  item.tooltip = new vscode.MarkdownString(view.tooltip);
  item.iconPath = themeIcon(view.icon);
  item.contextValue = view.contextValue;
  return item;
}

export function trialTreeItem(entry: SweepEntry, trial: TrialRecord): vscode.TreeItem {
  const view = trialRowView(entry.record, trial);
  const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
  item.id = view.id;
  item.description = view.description;
  item.tooltip = new vscode.MarkdownString(view.tooltip);
  item.iconPath = themeIcon(view.icon);
  item.contextValue = view.contextValue;
  if (view.runId) item.command = { title: 'Open Dashboard', command: 'modelStudio.openDashboard', arguments: [view.runId] };
  return item;
}

function themeIcon(icon: IconView): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}
