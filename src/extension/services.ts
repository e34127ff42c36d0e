// What commands and views share: created once in activate(), disposed with the extension.
import type * as vscode from 'vscode';
import type { DashboardBridge } from './dashboard/dashboardBridge';
import type { Experiments } from './experiments';
import type { Log } from './log';
import type { NativeBackend } from './native/nativeBackend';
import type { RunsModel } from './runs/runsModel';
import type { SweepManager } from './sweeps/sweepManager';
import type { SweepsModel } from './sweeps/sweepsModel';
import type { TrainingManager } from './training/trainingManager';

export interface ExtensionServices {
  context: vscode.ExtensionContext;
  log: Log;
  training: TrainingManager;
  runs: RunsModel;
  dashboard: DashboardBridge;
  experiments: Experiments;
  native: NativeBackend;
  /** The sweep this window runs. */
  sweeps: SweepManager;
  /** Every sweep on disk, the running one live. */
  sweepList: SweepsModel;
}
