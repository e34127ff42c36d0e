// Every command of the extension, in one flat list (ids match package.json).
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { createMnistExample, createSpec } from './createCommands';
import { registerCommand } from './registerCommand';
import { compareRuns, deleteRuns, evaluateRun, openDashboard, revealRunFolder } from './runCommands';
import { resumeRun, stopTraining, trainSpec, trainWith } from './trainCommands';

export function registerCommands(services: ExtensionServices): void {
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
  command('modelStudio.createSpec', (arg) => createSpec(services, arg));
  command('modelStudio.createMnistExample', (arg) => createMnistExample(services, arg));
  command('modelStudio.installNativeBackend', () => services.native.install());
  command('modelStudio.refresh', () => services.runs.reload());
  command('modelStudio.showLog', () => services.log.show());
  command('modelStudio.openWalkthrough', () =>
    vscode.commands.executeCommand('workbench.action.openWalkthrough', `${services.context.extension.id}#modelStudio.firstRun`, false),
  );
}
