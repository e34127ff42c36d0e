// The Sweeps section of the Model Explorer: a node per sweep (its progress and
// best in the description) with its trials below, each opening its run.
import * as vscode from 'vscode';
import type { TrialRecord } from '../../shared/sweep';
import type { IconView } from '../tree/treeShape';
import type { SweepEntry } from './sweepsModel';
import { sweepRowView, trialRowView } from './sweepViews';

/** `expanded`: shown running (its trials fill in where people look); others start folded. */
export function sweepTreeItem(entry: SweepEntry, expanded: boolean): vscode.TreeItem {
  const view = sweepRowView(entry.record, entry.live);
  const state = expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(view.label, state);
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
