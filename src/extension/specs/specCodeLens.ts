// CodeLens at the top of every *.train.json: "▶ Train" and "Train with…",
// or, while that spec trains, its progress with "Stop" and "Open Dashboard".
import * as vscode from 'vscode';
import { describeLiveRun } from '../statusBar/statusText';
import type { TrainingManager } from '../training/trainingManager';

export class SpecCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private lastPhases = '';

  constructor(private readonly training: TrainingManager) {
    // Lenses show the phase, not every batch: refresh only when a job starts, ends or changes phase.
    this.subscription = training.onDidChange(() => {
      const phases = training.active.map((j) => `${j.key}:${j.live.phase}:${j.live.epoch ?? ''}:${j.live.stopping}`).join();
      if (phases !== this.lastPhases) {
        this.lastPhases = phases;
        this.changed.fire();
      }
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const job = this.training.active.find((j) => j.options.specPath === document.uri.fsPath);
    if (job) {
      const lenses = [
        new vscode.CodeLens(top, { title: `$(loading~spin) ${describeLiveRun(job.live)}`, command: 'modelStudio.openDashboard', arguments: job.runId ? [job.runId] : [] }),
        new vscode.CodeLens(top, { title: '$(debug-stop) Stop', command: 'modelStudio.stop', arguments: job.runId ? [job.runId] : [] }),
      ];
      return lenses;
    }
    return [
      new vscode.CodeLens(top, { title: '▶ Train', tooltip: 'Train this spec (Model Studio)', command: 'modelStudio.train', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: 'Train with…', tooltip: 'Pick epochs, batch size, learning rate and backend, then train', command: 'modelStudio.trainWith', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(cloud-upload) Train on Vertex AI', tooltip: 'Train this spec as a Vertex AI custom or tuning job (or on the local sandbox)', command: 'modelStudio.trainOnVertex', arguments: [document.uri] }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
