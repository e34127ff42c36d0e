// Tells people how each run ended: a notification with the result and the
// next useful step (dashboard, resume, the log, the spec).
import * as vscode from 'vscode';
import type { Log } from '../log';
import { outcomeMessage, specPositionIn, type OutcomeAction } from './outcome';
import type { TrainingJob, TrainingManager } from './trainingManager';

/** `dashboardShows(runId)`: the dashboard is on screen with this run (then the notification does not offer to open it). */
export function notifyOutcomes(training: TrainingManager, log: Log, dashboardShows: (runId: string) => boolean): vscode.Disposable {
  return training.onDidFinish((job) => void notify(job, log, dashboardShows));
}

async function notify(job: TrainingJob, log: Log, dashboardShows: (runId: string) => boolean): Promise<void> {
  if (!job.result) return;
  const shownRun = job.runId ?? job.result.runId;
  const message = outcomeMessage(job.live, job.result, { dashboardShowsRun: shownRun !== undefined && dashboardShows(shownRun) });
  const show =
    message.severity === 'error'
      ? vscode.window.showErrorMessage
      : message.severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  const choice = (await show(message.text, ...message.actions)) as OutcomeAction | undefined;
  const runId = job.runId ?? job.result.runId;
  switch (choice) {
    case 'Open Dashboard':
      await vscode.commands.executeCommand('modelStudio.openDashboard', runId);
      break;
    case 'Resume':
      await vscode.commands.executeCommand('modelStudio.resume', runId);
      break;
    case 'Show Log':
      log.show(true);
      break;
    case 'Open Spec': {
      // At the place the message names, as the Problems view would.
      const at = specPositionIn(job.result.reason);
      const position = at && new vscode.Position(at.line - 1, at.column - 1);
      await vscode.window.showTextDocument(vscode.Uri.file(job.options.specPath), position && { selection: new vscode.Range(position, position) });
      break;
    }
  }
}

/** Whether a webview panel of this type is the active tab of a visible editor group (on screen, not behind another tab). */
export function isWebviewOnScreen(viewType: string): boolean {
  return vscode.window.tabGroups.all.some((group) => {
    const input = group.activeTab?.input;
    // VS Code prefixes the view types of extension webviews ("mainThreadWebview-…").
    return input instanceof vscode.TabInputWebview && input.viewType.endsWith(viewType);
  });
}
