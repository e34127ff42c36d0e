// The `modelStudio.*` settings, read in one place with their defaults.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BACKEND_CHOICES, type BackendChoice } from '../shared/events';
import { runsDirFor } from '../core/runStore';

export const SECTION = 'modelStudio';

export interface Settings {
  backend: BackendChoice;
  /** Empty: `.model-studio/runs` in the workspace folder. */
  runsFolder: string;
  maxConcurrentRuns: number;
  openDashboardOnTrain: boolean;
  /** Seconds the status bar keeps showing a finished run's result; 0 hides it at once. */
  statusBarLingerSeconds: number;
}


export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const backend = config.get<string>('backend', 'auto');
  return {
    backend: (BACKEND_CHOICES as readonly string[]).includes(backend) ? (backend as BackendChoice) : 'auto',
    runsFolder: config.get<string>('runsFolder', '').trim(),
    maxConcurrentRuns: Math.max(1, Math.floor(config.get<number>('maxConcurrentRuns', 1))),
    openDashboardOnTrain: config.get<boolean>('openDashboardOnTrain', true),
    statusBarLingerSeconds: Math.max(0, config.get<number>('statusBar.showResultSeconds', 60)),
  };
}

/** The runs folder of a workspace folder: the setting (relative to the folder) or `.model-studio/runs`. */
export function runsDirOf(folder: vscode.WorkspaceFolder): string {
  const setting = readSettings(folder.uri).runsFolder;
  if (!setting) return runsDirFor(folder.uri.fsPath);
  return path.resolve(folder.uri.fsPath, setting);
}

/** Every workspace folder's runs folder, in folder order. */
export function allRunsDirs(): { folder: vscode.WorkspaceFolder; runsDir: string }[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ folder, runsDir: runsDirOf(folder) }));
}

/** The workspace folder a file belongs to, else the first one. */
export function folderFor(uri: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}
