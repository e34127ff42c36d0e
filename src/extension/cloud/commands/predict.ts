// Model Studio: Predict: opens the prediction panel for an endpoint, with the
// MNIST test samples of the runs it serves (or of any run or workspace folder).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUN_LABEL } from '../../../shared/cloudResources';
import type { CloudCommandContext } from '../cloudCommandContext';
import { endpointFrom } from '../pickers';
import { PredictPanel } from '../predictPanel';

export async function predict(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const endpoint = await endpointFrom(cloud, arg, clients, 'Predict with which endpoint', (e) => e.deployedModels.length > 0);
  const runIds = endpoint.deployedModels.map((d) => cloud.tree.lastModels.find((m) => m.name === d.model)?.labels[RUN_LABEL]).filter((r): r is string => Boolean(r));
  const entries = await cloud.runs.runs();
  const folders = [
    ...entries.filter((e) => runIds.includes(e.record.id.toLowerCase())).map((e) => path.dirname(e.record.specPath)),
    ...entries.map((e) => path.dirname(e.record.specPath)),
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
  ];
  PredictPanel.show(cloud.extension, {
    endpoint,
    clients,
    connection: cloud.connection,
    sampleFolders: [...new Set(folders)],
    onPredicted: (deployedModelId) => void cloud.tree.recordPrediction(endpoint.id, deployedModelId),
    cloudChanged: cloud.tree.onDidChange,
    log: cloud.log,
  });
}
