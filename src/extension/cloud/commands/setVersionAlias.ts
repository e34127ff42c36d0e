// Model Studio: Set Version Alias: gives a model version an alias (typed, with
// Vertex AI's naming rule checked as you type); the version that held it
// loses it, since an alias names one version.
import * as vscode from 'vscode';
import type { ModelSummary } from '../../../cloud';
import { aliasProblem } from '../../../shared/versionAliases';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { ask, cloudNodeOf, withSteps } from '../cloudUi';
import { pickVersion } from '../pickers';
import { lockKey } from '../../commands/resourceLocks';

export async function setVersionAlias(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const api = cloud.connection.cloud();
  const node = cloudNodeOf(arg);
  const version: ModelSummary = node?.type === 'version' ? node.version : await pickVersion(cloud, clients, 'Set an alias on which model version');
  const held = version.versionAliases.join(', ');
  const alias = await ask({
    title: `Alias for ${version.displayName} v${version.versionId}`,
    prompt: `Deploy and predict with ${version.id}@ALIAS; an alias another version holds moves here.${held ? ` Now: ${held}.` : ''}`,
    placeHolder: 'champion',
    validateInput: (text) => aliasProblem(text.trim()),
  });
  const label = `${version.displayName} v${version.versionId}`;
  await cloud.exclusive([lockKey.model(version.name)], `setting alias ${alias} on ${label}`, async (lease) => {
    const updated = await withSteps(`Setting alias ${alias} on ${label}`, 1, (steps) =>
      cloud.tree.whileBusy(nodeId({ type: 'version', version }), 'Setting alias…', async () => {
        steps.step(1, 'Merging version aliases…');
        return api.addVersionAliases(clients, `${version.id}@${version.versionId}`, [alias]);
      }),
      lease,
    );
    cloud.changed();
    void vscode.window.showInformationMessage(`${label} now has the aliases ${updated.versionAliases.join(', ')}.`);
  });
}
