// The status bar item: live progress while anything trains, the last result
// for a while after (modelStudio.statusBar.showResultSeconds), hidden otherwise.
// Clicking opens the dashboard of the run shown.
import * as vscode from 'vscode';
import type { LiveRun } from '../training/liveRun';
import type { TrainingManager } from '../training/trainingManager';
import { readSettings } from '../settings';
import { finishedText, statusBarText, statusTooltip } from './statusText';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('modelStudio.training', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private lastResult: LiveRun | undefined;
  private hideTimer: NodeJS.Timeout | undefined;

  constructor(private readonly training: TrainingManager) {
    this.item.name = 'Model Studio Training';
    this.disposables.push(
      training.onDidChange(() => this.update()),
      training.onDidFinish((job) => {
        this.lastResult = job.live;
        this.scheduleHide();
        this.update();
      }),
    );
  }

  private update(): void {
    const runs = this.training.liveRuns;
    if (runs.length > 0) {
      clearTimeout(this.hideTimer);
      this.hideTimer = undefined;
      this.show(statusBarText(runs), runs, runs.find((r) => r.runId)?.runId);
      return;
    }
    if (this.lastResult && this.hideTimer) {
      this.show(finishedText(this.lastResult), [this.lastResult], this.lastResult.runId);
      this.item.backgroundColor =
        this.lastResult.finished?.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      return;
    }
    this.item.hide();
  }

  private show(text: string, runs: readonly LiveRun[], runId: string | undefined): void {
    this.item.text = text;
    const tooltip = new vscode.MarkdownString(statusTooltip(runs), true);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = undefined;
    this.item.command = { title: 'Open Dashboard', command: 'modelStudio.openDashboard', arguments: runId ? [runId] : [] };
    this.item.accessibilityInformation = { label: text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.show();
  }

  private scheduleHide(): void {
    clearTimeout(this.hideTimer);
    const seconds = readSettings().statusBarLingerSeconds;
    if (seconds <= 0) {
      this.hideTimer = undefined;
      return;
    }
    this.hideTimer = setTimeout(() => {
      this.hideTimer = undefined;
      this.update();
    }, seconds * 1000);
  }

  dispose(): void {
    clearTimeout(this.hideTimer);
    for (const d of this.disposables) d.dispose();
  }
}
