// Entry of the extension host side. Activation is lazy (the view, a command,
// or a *.train.json in the workspace) and cheap: nothing here loads TF.js or
// the Google libraries; training runs in child processes.
// First: its clock starts before the other modules load.
import { modulesStarted } from './activationClock';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { CloudCommandContext } from './cloud/cloudCommandContext';
import { CloudConnection } from './cloud/cloudConnection';
import type { CloudElement } from './cloud/cloudShape';
import { CloudTree } from './cloud/cloudTree';
import { registerCommands } from './commands/registerCommands';
import { DashboardBridge } from './dashboard/dashboardBridge';
import { DASHBOARD_VIEW_TYPE, registerDashboard } from './dashboard';
import { registerExperiments } from './experiments';
import { createLog } from './log';
import { NativeBackend } from './native/nativeBackend';
import { RunsModel } from './runs/runsModel';
import type { ExtensionServices } from './services';
import { allRunsDirs } from './settings';
import { findSpecs, SPEC_GLOB } from './specs/specFiles';
import { SpecCodeLensProvider } from './specs/specCodeLens';
import { SpecDiagnostics } from './specs/specDiagnostics';
import { TrainingStatusBar } from './statusBar/trainingStatusBar';
import { putCliOnTerminalPath } from './terminal/cliOnPath';
import { ModelExplorer, type ExplorerNode } from './tree/modelExplorer';
import { isWebviewOnScreen, notifyOutcomes } from './training/outcomeNotifier';
import { TrainingManager } from './training/trainingManager';
import { SweepCodeLensProvider } from './sweeps/sweepCodeLens';
import { notifySweepOutcomes } from './sweeps/sweepCommands';
import { SweepManager } from './sweeps/sweepManager';
import { SweepStatusBar } from './sweeps/sweepStatusBar';
import { SweepsModel } from './sweeps/sweepsModel';

// Every import above has been evaluated by now.
const modulesLoaded = performance.now();

/** Returned by activate() for tests: how long activation took, in ms, loading the modules included. */
export interface ModelStudioApi {
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ModelStudioApi {
  const started = performance.now();
  const log = createLog();
  context.subscriptions.push(log);

  const native = new NativeBackend(context.globalStorageUri, log);
  const training = new TrainingManager({
    trainerPath: context.asAbsolutePath('dist/trainer.js'),
    env: () => native.env(),
    log,
  });
  trainingForShutdown = training;
  const runs = new RunsModel(log);
  context.subscriptions.push(training, runs);
  // Sweeps run their trials as trainer processes too, with the same bundle and environment.
  const sweeps = new SweepManager({ trainerPath: context.asAbsolutePath('dist/trainer.js'), bundlePath: context.asAbsolutePath('dist/sweeps.js'), env: () => native.env(), log });
  sweepsForShutdown = sweeps;
  const sweepList = new SweepsModel(sweeps, log);
  context.subscriptions.push(sweeps, sweepList);

  // The dashboard's Stop, Open folder and Push to Vertex AI act like the tree's Stop, Reveal Run Folder and Push Model.
  const panel = registerDashboard(context, {
    defaultRunsDir: () => allRunsDirs()[0]?.runsDir,
    stopRun: async (runId) => {
      const job = training.findByRunId(runId);
      if (!job) throw new Error(`Run ${runId} is not training in this window.`);
      training.stop(job);
    },
    revealRun: async (runId) => {
      await vscode.commands.executeCommand('modelStudio.revealRunFolder', runId);
    },
    // The command shows its own errors; a second push of the same run says what the first is doing and waits for it.
    pushRun: async (runId) => {
      await vscode.commands.executeCommand('modelStudio.pushModel', runId);
    },
    // Resume Training checks the run and says why when it cannot resume.
    resumeRun: async (runId) => {
      await vscode.commands.executeCommand('modelStudio.resume', runId);
    },
    logError: (message) => log.error(message),
  });
  const dashboard = new DashboardBridge(panel, training, runs, log);
  const dashboardShows = (runId: string): boolean => panel.shownRunIds.includes(runId) && isWebviewOnScreen(DASHBOARD_VIEW_TYPE);
  context.subscriptions.push(dashboard, notifyOutcomes(training, log, dashboardShows));

  const experiments = registerExperiments(context, {
    runs,
    log,
    openInDashboard: (runIds, runsDir) => dashboard.open(runIds, runsDir),
    pushRun: async (runId) => {
      await vscode.commands.executeCommand('modelStudio.pushModel', runId);
    },
  });

  const services: ExtensionServices = { context, log, training, runs, dashboard, experiments, native, sweeps, sweepList };
  // The Vertex AI view: cheap to create; the cloud bundle loads at first use.
  const cloudConnection = new CloudConnection(context, log);
  const cloudTree = new CloudTree(cloudConnection, context.workspaceState, log);
  context.subscriptions.push(cloudConnection, cloudTree);
  registerCommands(services, new CloudCommandContext(context, cloudConnection, cloudTree, runs, log));

  const explorer = new ModelExplorer(runs, training, sweepList);
  const view = vscode.window.createTreeView<ExplorerNode>('modelStudio.explorer', {
    treeDataProvider: explorer,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const vertexView = vscode.window.createTreeView<CloudElement>('modelStudio.vertex', { treeDataProvider: cloudTree, showCollapseAll: true });
  context.subscriptions.push(explorer, view, vertexView, new TrainingStatusBar(training), new SweepStatusBar(sweeps), notifySweepOutcomes(services));
  cloudTree.setVisible(vertexView.visible);
  context.subscriptions.push(vertexView.onDidChangeVisibility((e) => cloudTree.setVisible(e.visible)));

  const codeLens = new SpecCodeLensProvider(training);
  const sweepLens = new SweepCodeLensProvider(sweeps);
  context.subscriptions.push(
    codeLens,
    vscode.languages.registerCodeLensProvider([{ pattern: `**/*.train.json` }], codeLens),
    sweepLens,
    vscode.languages.registerCodeLensProvider([{ pattern: `**/*.train.json` }], sweepLens),
    sweeps.onDidChange(() => void vscode.commands.executeCommand('setContext', 'modelStudio.sweeping', sweeps.running !== undefined)),
    training.onDidChange(() => void vscode.commands.executeCommand('setContext', 'modelStudio.training', training.active.length > 0)),
    // What the trainer would refuse, marked in the editor; its validation loads at the first check.
    new SpecDiagnostics(context.asAbsolutePath('dist/specCheck.js'), log),
  );
  void updateSpecContext(context);
  // `model-studio` in the workspace terminal, as the example's README uses it.
  putCliOnTerminalPath(context, log);

  // Our cost: evaluating the modules plus activate(); the wait between the two is VS Code's, not ours.
  const loadMs = modulesLoaded - modulesStarted;
  const activateMs = performance.now() - started;
  const activationMs = loadMs + activateMs;
  log.info(`Model Studio activated in ${activationMs.toFixed(1)} ms (loading modules ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms)`);
  return { activationMs };
}

/** `modelStudio.hasSpecs` picks the welcome content: create a spec, or train the one there is. */
async function updateSpecContext(context: vscode.ExtensionContext): Promise<void> {
  const update = async (): Promise<void> => {
    const specs = await findSpecs(1);
    await vscode.commands.executeCommand('setContext', 'modelStudio.hasSpecs', specs.length > 0);
  };
  const watcher = vscode.workspace.createFileSystemWatcher(SPEC_GLOB, false, true, false);
  watcher.onDidCreate(() => void update());
  watcher.onDidDelete(() => void update());
  context.subscriptions.push(watcher);
  await update();
}

/** The window's training manager and sweep, for deactivate(). */
let trainingForShutdown: TrainingManager | undefined;
let sweepsForShutdown: SweepManager | undefined;

/** The window is closing: end its trainers and its sweep's (each saves where it is; one that does not stop in time is killed), so none outlives it. */
export async function deactivate(): Promise<void> {
  await Promise.all([trainingForShutdown?.shutdown(), sweepsForShutdown?.shutdown()]);
  trainingForShutdown = undefined;
  sweepsForShutdown = undefined;
}
