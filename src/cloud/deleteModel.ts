import type { CloudClients } from './clients';
import { explained } from './errors';
import { describeModel } from './describeModel';
import { modelResourceName, withoutVersion } from './names';
import { operationName, waitForOperation, type OperationsClientLike, type WaitOptions } from './operations';

/** Deletes a model with all its versions, or one version when MODEL names @VERSION. Refused while deployed. */
export async function deleteModel(clients: CloudClients, model: string, wait: WaitOptions = {}): Promise<void> {
  let name = modelResourceName(clients.config, model);
  const versioned = name.includes('@');
  // DeleteModelVersion wants the version ID; an alias is resolved first.
  if (versioned) name = `${withoutVersion(name)}@${(await describeModel(clients, name, wait.signal)).versionId}`;
  const context = { action: `deleting model ${name}`, config: clients.config };
  const operation = await explained(context, async () => {
    const [lro] = versioned ? await clients.models.deleteModelVersion({ name }) : await clients.models.deleteModel({ name });
    return operationName(lro);
  });
  await waitForOperation(clients.models as unknown as OperationsClientLike, versioned ? 'deleteModelVersion' : 'deleteModel', operation, context, wait);
}
