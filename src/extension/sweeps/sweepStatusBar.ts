// The sweep's status bar item: "sweep mnist-mlp · 5/12 trials · best val_acc
// 0.981" while it runs, the result for a while after
// (modelStudio.statusBar.showResultSeconds). Clicking shows it in the Model Explorer.
import * as vscode from 'vscode';
import type { SweepRecord } from '../../shared/sweep';
import { readSettings } from '../settings';
import type { SweepManager } from './sweepManager';
import { sweepStatusText } from './sweepViews';

export class SweepStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('modelStudio.sweep', vscode.StatusBarAlignment.Left, 9);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private hideTimer: NodeJS.Timeout | undefined;

  constructor(manager: SweepManager) {
    this.item.name = 'Model Studio Sweep';
    this.item.command = { title: 'Show Sweeps', command: 'modelStudio.explorer.focus' };
    this.disposables.push(
      manager.onDidChange((record) => this.show(record)),
      manager.onDidFinish(() => this.scheduleHide()),
    );
  }

  private show(record: SweepRecord): void {
    const text = sweepStatusText(record);
    this.item.text = text;
    this.item.tooltip = `${record.id}: ${record.search.maxTrials ?? record.trials.length} trials, ${record.search.parallelTrials ?? 1} at a time. Click to see them in the Model Explorer.`;
    this.item.accessibilityInformation = { label: text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.backgroundColor = record.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (record.status === 'running') clearTimeout(this.hideTimer);
    this.item.show();
  }

  private scheduleHide(): void {
    clearTimeout(this.hideTimer);
    const seconds = readSettings().statusBarLingerSeconds;
    if (seconds <= 0) {
      this.item.hide();
      return;
    }
    this.hideTimer = setTimeout(() => this.item.hide(), seconds * 1000);
  }

  dispose(): void {
    clearTimeout(this.hideTimer);
    for (const d of this.disposables) d.dispose();
  }
}
