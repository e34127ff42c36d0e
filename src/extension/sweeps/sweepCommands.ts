// Run Sweep, Stop Sweep, Resume Sweep, and the two ways to promote a sweep's
// best trial: Push Best Trial to Vertex AI (the Push Model flow on its run)
// and Open as Spec (a spec with the best values, beside the swept one).
import * as vscode from 'vscode';
import { UserCancelledError, UserError } from '../../shared/errors';
import { formatMetricValue, trialProgress } from '../../shared/sweepSummary';
import type { ExtensionServices } from '../services';
import { folderFor } from '../settings';
import { resolveSpec, saveIfDirty } from '../specs/specFiles';
import { loadSweepBundle } from './loadSweepBundle';
import { sweepIdOfNode } from './sweepNode';
import type { SweepEntry } from './sweepsModel';

export async function runSweep(services: ExtensionServices, arg: unknown): Promise<void> {
  const spec = await resolveSpec(arg);
  const folder = folderFor(spec);
  if (!folder) throw new UserError('Open a folder first: sweeps and their runs are saved in the workspace folder (.model-studio).');
  await saveIfDirty(spec);
  await services.sweeps.start({ folder, specPath: spec.fsPath });
}

export function stopSweep(services: ExtensionServices): void {
  if (!services.sweeps.running) {
    void vscode.window.showInformationMessage('No sweep is running in this window.');
    return;
  }
  services.sweeps.stop();
}

export async function resumeSweep(services: ExtensionServices, arg: unknown): Promise<void> {
  const entry = await sweepFor(services, arg, 'Resume which sweep?', (e) => ['stopped', 'crashed', 'failed'].includes(e.record.status), 'No stopped or crashed sweep to resume.');
  await services.sweeps.start({ folder: entry.folder, resume: entry.record.id });
}

export async function pushBestTrial(services: ExtensionServices, arg: unknown): Promise<void> {
  const entry = await sweepFor(services, arg, 'Push the best trial of which sweep?', (e) => e.record.best !== undefined, 'No sweep has a completed trial yet.');
  const runId = entry.record.best?.runId;
  if (!runId) throw new UserError(`Sweep ${entry.record.name} has no best trial with a run yet.`);
  // The push picks the run from the runs list: make sure the newest trials are in it.
  await services.runs.reload();
  await vscode.commands.executeCommand('modelStudio.pushModel', runId);
}

export async function openSweepAsSpec(services: ExtensionServices, arg: unknown): Promise<void> {
  const entry = await sweepFor(services, arg, 'Write the best values of which sweep?', (e) => e.record.best !== undefined, 'No sweep has a completed trial yet.');
  // Loaded on first use, like the runner: it validates with the spec schema.
  const { writeBestSpec } = loadSweepBundle(services.context.asAbsolutePath('dist/sweeps.js'));
  const path = await writeBestSpec(entry.record);
  await vscode.window.showTextDocument(vscode.Uri.file(path));
  const best = entry.record.best;
  if (best) {
    void vscode.window.showInformationMessage(
      `Wrote ${vscode.workspace.asRelativePath(path)} with trial ${best.trialId}'s values (${entry.record.search.metric.name} ${formatMetricValue(best.value)}).`,
    );
  }
}

/** The sweep a tree node names, else the only one that fits, else one picked. */
async function sweepFor(services: ExtensionServices, arg: unknown, title: string, fits: (e: SweepEntry) => boolean, none: string): Promise<SweepEntry> {
  const named = sweepIdOf(arg);
  const entries = await services.sweepList.reload();
  if (named) {
    const entry = entries.find((e) => e.record.id === named);
    if (!entry) throw new UserError(`Sweep ${named} is not in the sweeps folder any more.`);
    return entry;
  }
  const candidates = entries.filter(fits);
  if (candidates.length === 0) throw new UserError(none);
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((entry) => {
      const { done, total } = trialProgress(entry.record);
      const best = entry.record.best ? ` · best ${entry.record.search.metric.name} ${formatMetricValue(entry.record.best.value)}` : '';
      return { label: entry.record.name, description: `${entry.record.status} · ${done}/${total} trials${best}`, detail: entry.record.id, entry };
    }),
    { title, matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!picked) throw new UserCancelledError();
  return picked.entry;
}

/** A sweep node's (or a trial node's) sweep id, or a sweep id passed as is. */
function sweepIdOf(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : sweepIdOfNode(arg);
}

/** Says how each sweep of this window ended, with the next useful step. */
export function notifySweepOutcomes(services: ExtensionServices): vscode.Disposable {
  return services.sweeps.onDidFinish((record) => {
    void (async () => {
      const { done, total } = trialProgress(record);
      const best = record.best ? `best ${record.search.metric.name} ${formatMetricValue(record.best.value)} (trial ${record.best.trialId})` : 'no trial completed';
      let choice: string | undefined;
      if (record.status === 'completed') {
        choice = await vscode.window.showInformationMessage(`Sweep ${record.name} completed ${done} of ${total} trials; ${best}.`, 'Open as Spec', 'Push Best Trial');
      } else if (record.status === 'failed') {
        choice = await vscode.window.showErrorMessage(`Sweep ${record.name} failed: ${record.reason ?? 'see the log'}`, 'Show Log');
      } else {
        choice = await vscode.window.showWarningMessage(`Sweep ${record.name} ${record.status} after ${done} of ${total} trials (${best}); Resume Sweep continues it.`, 'Resume Sweep');
      }
      if (choice === 'Open as Spec') await vscode.commands.executeCommand('modelStudio.openSweepAsSpec', record.id);
      if (choice === 'Push Best Trial') await vscode.commands.executeCommand('modelStudio.pushBestTrial', record.id);
      if (choice === 'Resume Sweep') await vscode.commands.executeCommand('modelStudio.resumeSweep', record.id);
      if (choice === 'Show Log') services.log.show(true);
    })();
  });
}
