// CodeLens on a spec with a "search" section: "Run Sweep", or while its sweep
// runs here, its progress and "Stop Sweep". Beside the spec's own Train lenses.
import * as vscode from 'vscode';
import { sweepHeadline } from '../../shared/sweepSummary';
import type { SweepManager } from './sweepManager';
import { hasSearchSection } from './sweepViews';

export class SweepCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private lastShown = '';

  constructor(private readonly manager: SweepManager) {
    // Trial counts and status, not every epoch.
    this.subscription = manager.onDidChange((record) => {
      const shown = `${record.id}:${record.status}:${sweepHeadline(record)}`;
      if (shown !== this.lastShown) {
        this.lastShown = shown;
        this.changed.fire();
      }
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!hasSearchSection(document.getText())) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const running = this.manager.running;
    if (running && running.specPath === document.uri.fsPath) {
      return [
        new vscode.CodeLens(top, { title: `$(loading~spin) ${sweepHeadline(running)}`, command: 'modelStudio.explorer.focus' }),
        new vscode.CodeLens(top, { title: '$(debug-stop) Stop Sweep', command: 'modelStudio.stopSweep' }),
      ];
    }
    return [new vscode.CodeLens(top, { title: '$(beaker) Run Sweep', tooltip: 'Train the trials of this spec\'s "search" section (Model Studio)', command: 'modelStudio.runSweep', arguments: [document.uri] })];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
