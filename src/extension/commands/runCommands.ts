// Commands on runs that exist on disk: Open Dashboard, Compare, Evaluate,
// Delete, Reveal Run Folder, Mark Run as Crashed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_COMPARED_RUNS } from '../../shared/protocol/dashboard';
import { UserCancelledError, UserError } from '../../shared/errors';
import { markRunCrashed, runDir } from '../../core/runStore';
import type { RunEntry } from '../runs/runsModel';
import { runIdOf } from '../tree/modelExplorer';
import { formatRunTime, headlineMetric } from '../tree/treeShape';
import type { ExtensionServices } from '../services';
import { evaluateWithCli } from '../runs/evaluate';

/** Run ids from a tree command's (clicked, selected[]) arguments. */
export function selectedRunIds(arg: unknown, selection: unknown): string[] {
  const list = Array.isArray(selection) && selection.length > 0 ? selection : [arg];
  return [...new Set(list.map(runIdOf).filter((id): id is string => id !== undefined))];
}

async function pickRuns(services: ExtensionServices, title: string, many: boolean): Promise<RunEntry[]> {
  const entries = await services.runs.reload();
  if (entries.length === 0) throw new UserError('No runs yet: train a spec first ("Model Studio: Train Model").');
  const items = entries.map((entry) => ({
    label: entry.record.name,
    description: `${formatRunTime(entry.record.createdAt)} · ${entry.record.status}${headlineMetric(entry.record) ? ` · ${headlineMetric(entry.record)}` : ''}`,
    detail: entry.record.id,
    entry,
  }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, matchOnDetail: true, ignoreFocusOut: true });
    if (!picked || picked.length === 0) throw new UserCancelledError();
    return picked.map((p) => p.entry);
  }
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true, ignoreFocusOut: true });
  if (!picked) throw new UserCancelledError();
  return [picked.entry];
}

async function entryFor(services: ExtensionServices, runId: string): Promise<RunEntry> {
  const entry = (await services.runs.find(runId)) ?? (await services.runs.reload()).find((e) => e.record.id === runId);
  if (!entry) throw new UserError(`Run ${runId} is not in the runs folder any more.`);
  return entry;
}

export async function openDashboard(services: ExtensionServices, arg: unknown): Promise<void> {
  const runId = runIdOf(arg);
  if (runId) {
    const job = services.training.findByRunId(runId);
    if (job) return services.dashboard.openForJob(job);
    const entry = await entryFor(services, runId);
    return services.dashboard.open([entry.record.id], entry.runsDir);
  }
  const live = services.training.active[0];
  if (live) return services.dashboard.openForJob(live);
  const [entry] = await pickRuns(services, 'Open the dashboard of which run?', false);
  services.dashboard.open([entry.record.id], entry.runsDir);
}

export async function compareRuns(services: ExtensionServices, arg: unknown, selection: unknown): Promise<void> {
  let ids = selectedRunIds(arg, selection);
  if (ids.length < 2) {
    const picked = await pickRuns(services, 'Compare which runs? (pick two or more)', true);
    ids = picked.map((e) => e.record.id);
  }
  if (ids.length > MAX_COMPARED_RUNS) throw new UserError(`Pick at most ${MAX_COMPARED_RUNS} runs to compare; beyond that their colours repeat.`);
  const first = await entryFor(services, ids[0]);
  services.dashboard.open(ids, first.runsDir);
}

export async function deleteRuns(services: ExtensionServices, arg: unknown, selection: unknown): Promise<void> {
  let ids = selectedRunIds(arg, selection);
  if (ids.length === 0) ids = (await pickRuns(services, 'Delete which runs?', true)).map((e) => e.record.id);
  const entries = await Promise.all(ids.map((id) => entryFor(services, id)));
  const running = entries.filter((e) => e.record.status === 'running');
  if (running.length) throw new UserError(`Run ${running[0].record.id} is still training: stop it before deleting it.`);
  const what = entries.length === 1 ? `run ${entries[0].record.id}` : `${entries.length} runs`;
  const answer = await vscode.window.showWarningMessage(
    `Delete ${what}?`,
    { modal: true, detail: 'Its metrics, checkpoints and model move to the trash (or are deleted where there is none).' },
    'Delete',
  );
  if (answer !== 'Delete') throw new UserCancelledError();
  for (const entry of entries) {
    const uri = vscode.Uri.file(runDir(entry.runsDir, entry.record.id));
    try {
      await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: true });
    } catch {
      // Remote hosts and some file systems have no trash.
      await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
    }
    services.log.info(`Deleted run ${entry.record.id}`);
  }
  await services.runs.reload();
}

export async function revealRunFolder(services: ExtensionServices, arg: unknown): Promise<void> {
  const runId = runIdOf(arg) ?? (await pickRuns(services, 'Reveal which run’s folder?', false))[0].record.id;
  const entry = await entryFor(services, runId);
  const uri = vscode.Uri.file(runDir(entry.runsDir, runId));
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  // The Explorer shows it everywhere (also in a browser); the OS file manager only where there is one.
  if (inWorkspace) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(uri.fsPath, 'run.json')));
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}

export async function evaluateRun(services: ExtensionServices, arg: unknown): Promise<void> {
  const runId = runIdOf(arg) ?? (await pickRuns(services, 'Evaluate which run’s model on its test set?', false))[0].record.id;
  const entry = await entryFor(services, runId);
  if (entry.record.status !== 'completed' && entry.record.status !== 'stopped') {
    throw new UserError(`Run ${runId} is ${entry.record.status} and saved no model: evaluate a completed or stopped run.`);
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Evaluating ${entry.record.name} on its test set`, cancellable: true },
    (_progress, token) => evaluateWithCli(services, entry, token),
  );
  const acc = headlineMetric({ testMetrics: result.metrics });
  const line = `${entry.record.name}: ${acc ?? 'evaluated'} on ${result.samples.toLocaleString('en-US')} test samples (${Object.entries(result.metrics)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ')})`;
  services.log.info(line);
  const choice = await vscode.window.showInformationMessage(line, 'Open Dashboard');
  if (choice) services.dashboard.open([runId], entry.runsDir);
}

/**
 * Clears a run stuck as running whose trainer is gone or cannot be reached (a
 * record of an older version, another machine), so it can be resumed or
 * deleted; refused while it trains here or its trainer answers.
 */
export async function markRunAsCrashed(services: ExtensionServices, arg: unknown): Promise<void> {
  let runId = runIdOf(arg);
  if (!runId) {
    const stuck = (await services.runs.reload()).filter((e) => e.record.status === 'running' && !services.training.findByRunId(e.record.id));
    if (stuck.length === 0) throw new UserError('No run is stuck as running.');
    const picked = await vscode.window.showQuickPick(
      stuck.map((e) => ({ label: e.record.name, description: `${formatRunTime(e.record.createdAt)} · on ${e.record.hostname}`, detail: e.record.id, id: e.record.id })),
      { title: 'Mark which run as crashed?', matchOnDetail: true, ignoreFocusOut: true },
    );
    if (!picked) throw new UserCancelledError();
    runId = picked.id;
  }
  if (services.training.findByRunId(runId)) throw new UserError(`Run ${runId} is training in this window: stop it instead.`);
  const entry = await entryFor(services, runId);
  await markRunCrashed(entry.runsDir, runId);
  services.log.info(`Marked run ${runId} as crashed`);
  await services.runs.reload();
}
