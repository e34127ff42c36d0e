// Every command of the extension, in one flat list (ids match package.json).
import * as vscode from 'vscode';
import type { CloudCommands } from '../cloud/cloudCommands';
import type { ExtensionServices } from '../services';
import { createMnistExample, createSpec } from './createCommands';
import { registerCommand } from './registerCommand';
import { compareRuns, deleteRuns, evaluateRun, markRunAsCrashed, openDashboard, revealRunFolder } from './runCommands';
import { resumeRun, stopTraining, trainSpec, trainWith } from './trainCommands';

export function registerCommands(services: ExtensionServices, cloud: CloudCommands): void {
  const context = { subscriptions: services.context.subscriptions, log: services.log };
  const command = (id: string, callback: (...args: unknown[]) => unknown): void => registerCommand(context, id, callback);

  command('modelStudio.train', (arg) => trainSpec(services, arg));
  command('modelStudio.trainWith', (arg) => trainWith(services, arg));
  command('modelStudio.stop', (arg) => stopTraining(services, arg));
  command('modelStudio.resume', (arg) => resumeRun(services, arg));
  command('modelStudio.openDashboard', (arg) => openDashboard(services, arg));
  command('modelStudio.compareRuns', (arg, selection) => compareRuns(services, arg, selection));
  command('modelStudio.evaluate', (arg) => evaluateRun(services, arg));
  command('modelStudio.deleteRun', (arg, selection) => deleteRuns(services, arg, selection));
  command('modelStudio.revealRunFolder', (arg) => revealRunFolder(services, arg));
  command('modelStudio.markRunCrashed', (arg) => markRunAsCrashed(services, arg));
  command('modelStudio.createSpec', (arg) => createSpec(services, arg));
  command('modelStudio.createMnistExample', (arg) => createMnistExample(services, arg));
  command('modelStudio.installNativeBackend', () => services.native.install());
  command('modelStudio.refresh', () => services.runs.reload());
  command('modelStudio.showLog', () => services.log.show());
  command('modelStudio.openWalkthrough', () =>
    vscode.commands.executeCommand('workbench.action.openWalkthrough', `${services.context.extension.id}#modelStudio.firstRun`, false),
  );
  // Vertex AI (src/extension/cloud): each works from its tree node or from the palette alone.
  command('modelStudio.chooseCloudTarget', () => cloud.chooseTarget());
  command('modelStudio.startSandbox', () => cloud.startSandbox());
  command('modelStudio.refreshCloud', () => cloud.refresh());
  command('modelStudio.pushModel', (arg) => cloud.pushModel(arg));
  command('modelStudio.deployModel', (arg) => cloud.deployModel(arg));
  command('modelStudio.editTrafficSplit', (arg) => cloud.editTrafficSplit(arg));
  command('modelStudio.promoteCanary', (arg) => cloud.promoteCanary(arg));
  command('modelStudio.rollbackCanary', (arg) => cloud.rollbackCanary(arg));
  command('modelStudio.predict', (arg) => cloud.predict(arg));
  command('modelStudio.undeployModel', (arg) => cloud.undeployModel(arg));
  command('modelStudio.deleteEndpoint', (arg) => cloud.deleteEndpoint(arg));
  command('modelStudio.deleteCloudModel', (arg) => cloud.deleteModel(arg));
}
