// What each destructive command asks before it acts: the words say what will
// happen, and where the traffic goes. No vscode import, so tests read them.
import { UserError } from '../../shared/errors';
import { splitAllTo, splitWithout } from '../../shared/traffic';
import type { EndpointSummary, ModelSummary } from '../../shared/cloudResources';
import { deployedLabel, describeChange, fullSplit } from '../../shared/trafficEditing';

export interface Confirmation {
  message: string;
  detail: string;
  /** The label of the button that goes ahead. */
  button: string;
}

function endpointName(endpoint: Pick<EndpointSummary, 'displayName' | 'id'>): string {
  return `"${endpoint.displayName || endpoint.id}"`;
}

function findDeployed(endpoint: EndpointSummary, deployedModelId: string): EndpointSummary['deployedModels'][number] {
  const deployed = endpoint.deployedModels.find((d) => d.id === deployedModelId);
  if (!deployed) throw new UserError(`${deployedModelId} is not deployed on endpoint ${endpoint.id}`);
  return deployed;
}

export function undeployConfirmation(endpoint: EndpointSummary, deployedModelId: string): Confirmation {
  const deployed = findDeployed(endpoint, deployedModelId);
  const ids = endpoint.deployedModels.map((d) => d.id);
  const before = fullSplit(endpoint);
  const after = splitWithout(before, ids, deployedModelId);
  const label = deployedLabel(deployed);
  const moves = describeChange(
    { deployedModels: endpoint.deployedModels.filter((d) => d.id !== deployedModelId) },
    before,
    after,
  );
  const traffic =
    ids.length === 1
      ? `It is the only model on the endpoint: afterwards ${endpointName(endpoint)} answers no predictions until you deploy another.`
      : before[deployedModelId] > 0
        ? `Its ${before[deployedModelId]}% of the traffic moves to the others: ${moves.join(', ')}.`
        : 'It has no traffic, so the others keep their shares.';
  return {
    message: `Undeploy ${label} from endpoint ${endpointName(endpoint)}?`,
    detail: `${traffic} The model stays in the Model Registry and its machines stop billing.`,
    button: 'Undeploy',
  };
}

export function deleteEndpointConfirmation(endpoint: EndpointSummary): Confirmation {
  const deployed = endpoint.deployedModels.map(deployedLabel);
  const first =
    deployed.length === 0
      ? 'It has no deployed models.'
      : `Its ${deployed.length === 1 ? 'deployed model' : `${deployed.length} deployed models`} (${deployed.join(', ')}) ${deployed.length === 1 ? 'is' : 'are'} undeployed first, and predictions sent to it fail from then on.`;
  return {
    message: `Delete endpoint ${endpointName(endpoint)}?`,
    detail: `${first} The models stay in the Model Registry. This cannot be undone.`,
    button: 'Delete Endpoint',
  };
}

/** Deleting a model that is deployed is refused by Vertex AI: say where, so the user can undeploy first. */
export function deleteModelConfirmation(
  model: Pick<ModelSummary, 'displayName' | 'id'>,
  versions: readonly Pick<ModelSummary, 'versionId' | 'deployedTo'>[],
  endpoints: readonly Pick<EndpointSummary, 'name' | 'displayName' | 'id'>[],
  versionId?: string,
): Confirmation | { refusal: string } {
  const targets = versionId === undefined ? versions : versions.filter((v) => v.versionId === versionId);
  const what = versionId === undefined ? `model "${model.displayName || model.id}"` : `version ${versionId} of model "${model.displayName || model.id}"`;
  const deployedOn = targets.flatMap((v) =>
    v.deployedTo.map((ref) => {
      const endpoint = endpoints.find((e) => e.name === ref.endpoint || e.id === ref.endpoint.split('/').pop());
      return `v${v.versionId} on ${endpoint ? endpointName(endpoint) : ref.endpoint}`;
    }),
  );
  if (deployedOn.length > 0) {
    return { refusal: `Cannot delete ${what}: it is deployed (${deployedOn.join(', ')}). Undeploy it first.` };
  }
  const count = targets.length;
  return {
    message: `Delete ${what}?`,
    detail:
      versionId === undefined
        ? `All ${count === 1 ? 'its version' : `${count} versions`} and their registry entries are deleted. The files in Cloud Storage stay. This cannot be undone.`
        : 'The other versions stay. The files in Cloud Storage stay. This cannot be undone.',
    button: 'Delete',
  };
}

export function promoteConfirmation(endpoint: EndpointSummary, deployedModelId: string, undeployOthers: boolean): Confirmation {
  const deployed = findDeployed(endpoint, deployedModelId);
  const before = fullSplit(endpoint);
  const after = splitAllTo(Object.keys(before), deployedModelId);
  const others = endpoint.deployedModels.filter((d) => d.id !== deployedModelId).map(deployedLabel);
  return {
    message: `Promote ${deployedLabel(deployed)} to 100% of endpoint ${endpointName(endpoint)}?`,
    detail: `${describeChange(endpoint, before, after).join(', ')}.${undeployOthers && others.length ? ` Then ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} undeployed.` : ''}`,
    button: 'Promote',
  };
}

export function rollbackConfirmation(endpoint: EndpointSummary, deployedModelId: string): Confirmation {
  const deployed = findDeployed(endpoint, deployedModelId);
  const undeploy = undeployConfirmation(endpoint, deployedModelId);
  return {
    message: `Roll back ${deployedLabel(deployed)} on endpoint ${endpointName(endpoint)}?`,
    detail: `It is undeployed. ${undeploy.detail.split(' The model stays')[0]}`,
    button: 'Roll Back',
  };
}
