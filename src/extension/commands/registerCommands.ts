// Every command of the extension, in one flat list (ids match package.json).
import * as vscode from 'vscode';
import type { CloudCommandContext } from '../cloud/cloudCommandContext';
import { chooseTarget } from '../cloud/commands/chooseTarget';
import { deleteEndpoint } from '../cloud/commands/deleteEndpoint';
import { deleteModel } from '../cloud/commands/deleteModel';
import { setVersionAlias } from '../cloud/commands/setVersionAlias';
import { changeAutoscaling } from '../cloud/commands/changeAutoscaling';
import { deployModel } from '../cloud/commands/deployModel';
import { editTrafficSplit } from '../cloud/commands/editTrafficSplit';
import { predict } from '../cloud/commands/predict';
import { promoteCanary } from '../cloud/commands/promoteCanary';
import { pushModel } from '../cloud/commands/pushModel';
import { rollbackCanary } from '../cloud/commands/rollbackCanary';
import { openServingImageGuide } from '../cloud/commands/openServingImageGuide';
import { startSandbox } from '../cloud/commands/startSandbox';
import { stopSandbox } from '../cloud/commands/stopSandbox';
import { undeployModel } from '../cloud/commands/undeployModel';
import { trainOnVertex } from '../cloud/commands/trainOnVertex';
import { cancelTrainingJob } from '../cloud/commands/cancelTrainingJob';
import { createBatchPrediction } from '../cloud/commands/createBatchPrediction';
import { cancelBatchPrediction } from '../cloud/commands/cancelBatchPrediction';
import { openBatchResults } from '../cloud/commands/openBatchResults';
import { pushJobModel } from '../cloud/commands/pushJobModel';
import { openJobDashboard } from '../cloud/commands/openJobDashboard';
import type { ExtensionServices } from '../services';
import { createMnistExample, createSpec } from './createCommands';
import { openExperiments } from './experimentsCommands';
import { registerCommand } from './registerCommand';
import { compareRuns, deleteRuns, evaluateRun, markRunAsCrashed, openDashboard, revealRunFolder } from './runCommands';
import { resumeRun, stopTraining, trainSpec, trainWith } from './trainCommands';
import { openSweepAsSpec, pushBestTrial, resumeSweep, runSweep, stopSweep } from '../sweeps/sweepCommands';

export function registerCommands(services: ExtensionServices, cloud: CloudCommandContext): void {
  const context = { subscriptions: services.context.subscriptions, log: services.log };
  const command = (id: string, callback: (...args: unknown[]) => unknown): void => registerCommand(context, id, callback);

  command('modelStudio.train', (arg) => trainSpec(services, arg));
  command('modelStudio.trainWith', (arg) => trainWith(services, arg));
  command('modelStudio.stop', (arg) => stopTraining(services, arg));
  command('modelStudio.resume', (arg) => resumeRun(services, arg));
  command('modelStudio.openDashboard', (arg) => openDashboard(services, arg));
  command('modelStudio.compareRuns', (arg, selection) => compareRuns(services, arg, selection));
  command('modelStudio.openExperiments', (arg) => openExperiments(services, arg));
  command('modelStudio.evaluate', (arg) => evaluateRun(services, arg));
  command('modelStudio.deleteRun', (arg, selection) => deleteRuns(services, arg, selection));
  command('modelStudio.revealRunFolder', (arg) => revealRunFolder(services, arg));
  command('modelStudio.markRunCrashed', (arg) => markRunAsCrashed(services, arg));
  command('modelStudio.runSweep', (arg) => runSweep(services, arg));
  command('modelStudio.stopSweep', () => stopSweep(services));
  command('modelStudio.resumeSweep', (arg) => resumeSweep(services, arg));
  command('modelStudio.pushBestTrial', (arg) => pushBestTrial(services, arg));
  command('modelStudio.openSweepAsSpec', (arg) => openSweepAsSpec(services, arg));
  command('modelStudio.createSpec', (arg) => createSpec(services, arg));
  command('modelStudio.createMnistExample', (arg) => createMnistExample(services, arg));
  command('modelStudio.installNativeBackend', () => services.native.install());
  command('modelStudio.refresh', () => services.runs.reload());
  command('modelStudio.showLog', () => services.log.show());
  command('modelStudio.openWalkthrough', () =>
    vscode.commands.executeCommand('workbench.action.openWalkthrough', `${services.context.extension.id}#modelStudio.firstRun`, false),
  );
  // Vertex AI (src/extension/cloud/commands): each works from its tree node or from the palette alone.
  command('modelStudio.chooseCloudTarget', () => chooseTarget(cloud));
  command('modelStudio.startSandbox', () => startSandbox(cloud));
  command('modelStudio.stopSandbox', () => stopSandbox(cloud));
  command('modelStudio.openServingImageGuide', () => openServingImageGuide(services.context));
  command('modelStudio.refreshCloud', () => cloud.tree.refresh());
  command('modelStudio.pushModel', (arg) => pushModel(cloud, arg));
  command('modelStudio.deployModel', (arg) => deployModel(cloud, arg));
  command('modelStudio.editTrafficSplit', (arg) => editTrafficSplit(cloud, arg));
  command('modelStudio.promoteCanary', (arg) => promoteCanary(cloud, arg));
  command('modelStudio.rollbackCanary', (arg) => rollbackCanary(cloud, arg));
  command('modelStudio.predict', (arg) => predict(cloud, arg));
  command('modelStudio.undeployModel', (arg) => undeployModel(cloud, arg));
  command('modelStudio.deleteEndpoint', (arg) => deleteEndpoint(cloud, arg));
  command('modelStudio.deleteCloudModel', (arg) => deleteModel(cloud, arg));
  command('modelStudio.setVersionAlias', (arg) => setVersionAlias(cloud, arg));
  command('modelStudio.changeAutoscaling', (arg) => changeAutoscaling(cloud, arg));
  command('modelStudio.trainOnVertex', (arg) => trainOnVertex(cloud, arg));
  command('modelStudio.cancelTrainingJob', (arg) => cancelTrainingJob(cloud, arg));
  command('modelStudio.pushJobModel', (arg) => pushJobModel(cloud, arg));
  command('modelStudio.openJobDashboard', (arg) => openJobDashboard(cloud, services.dashboard, arg));
  command('modelStudio.createBatchPrediction', (arg) => createBatchPrediction(cloud, arg));
  command('modelStudio.cancelBatchPrediction', (arg) => cancelBatchPrediction(cloud, arg));
  command('modelStudio.openBatchResults', (arg) => openBatchResults(cloud, arg));
}
