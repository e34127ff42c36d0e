// Model Studio: Delete Model from Vertex AI: a model or one version, after a confirmation;
// refused (with the reason) while it is deployed.
import * as vscode from 'vscode';
import type { ModelSummary } from '../../../cloud';
import { UserError } from '../../../shared/errors';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { cloudNodeOf, confirm, pick, withSteps } from '../cloudUi';
import { deleteModelConfirmation } from '../confirmations';
import { lockKey } from '../../commands/resourceLocks';

export async function deleteModel(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const api = cloud.connection.cloud();
  const node = cloudNodeOf(arg);
  let model: ModelSummary;
  let versionId: string | undefined;
  if (node?.type === 'model') model = node.model;
  else if (node?.type === 'version') {
    model = node.version;
    versionId = node.version.versionId;
  } else {
    const models = await api.listModels(clients);
    if (models.length === 0) throw new UserError('No models to delete.');
    model = (await pick(models.map((m) => ({ label: m.displayName, description: `model ${m.id}`, m })), 'Delete which model', 'The model and all its versions; a deployed model cannot be deleted')).m;
  }
  const what = `${model.displayName}${versionId ? ` v${versionId}` : ''}`;
  await cloud.exclusive([lockKey.model(model.name)], `deleting ${what}`, async (lease) => {
    const [versions, endpoints] = await Promise.all([api.listModelVersions(clients, model.name), api.listEndpoints(clients)]);
    const confirmation = deleteModelConfirmation(model, versions, endpoints, versionId);
    if ('refusal' in confirmation) {
      void vscode.window.showWarningMessage(confirmation.refusal);
      return;
    }
    await confirm(confirmation);
    const target = versionId ? `${model.id}@${versionId}` : model.id;
    await withSteps(`Deleting ${model.displayName}${versionId ? ` v${versionId}` : ''}`, 1, (steps) =>
      cloud.tree.whileBusy(node ? nodeId(node) : nodeId({ type: 'model', model }), 'Deleting…', async () => {
        steps.step(1, 'Deleting…');
        await api.deleteModel(clients, target, steps.wait());
      }),
      lease,
    );
    cloud.changed();
  });
}
