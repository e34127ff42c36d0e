// Tells people how each run ended: a notification with the result and the
// next useful step (dashboard, resume, the log, the spec).
import * as vscode from 'vscode';
import type { Log } from '../log';
import { outcomeMessage, type OutcomeAction } from './outcome';
import type { TrainingJob, TrainingManager } from './trainingManager';

export function notifyOutcomes(training: TrainingManager, log: Log): vscode.Disposable {
  return training.onDidFinish((job) => void notify(job, log));
}

async function notify(job: TrainingJob, log: Log): Promise<void> {
  if (!job.result) return;
  const message = outcomeMessage(job.live, job.result);
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
    case 'Open Spec':
      await vscode.window.showTextDocument(vscode.Uri.file(job.options.specPath));
      break;
  }
}
