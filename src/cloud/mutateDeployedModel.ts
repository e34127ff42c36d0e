// MutateDeployedModel: change a deployed model's replica range and
// autoscaling targets in place (no redeploy), with an update mask naming
// exactly the fields given.
import type { CloudClients } from './clients';
import { describeEndpoint } from './describeEndpoint';
import { metricSpecs } from './deployModel';
import { explained } from './errors';
import { endpointResourceName } from './names';
import { operationName, waitForOperation, type OperationsClientLike, type WaitOptions } from './operations';
import type { DeployedModelSummary, EndpointSummary } from './summaries';
import { UserError } from '../shared/errors';
import type { AutoscalingTarget } from '../shared/autoscaling';

export interface MutateDeployedModelOptions {
  endpoint: string;
  deployedModelId: string;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  /** Replaces the targets; [] goes back to Vertex AI's default (CPU 60%). */
  autoscaling?: AutoscalingTarget[];
}

export async function mutateDeployedModel(
  clients: CloudClients,
  options: MutateDeployedModelOptions,
  wait: WaitOptions = {},
): Promise<{ deployedModel: DeployedModelSummary; endpoint: EndpointSummary }> {
  const name = endpointResourceName(clients.config, options.endpoint);
  const paths = [
    ...(options.minReplicaCount === undefined ? [] : ['dedicated_resources.min_replica_count']),
    ...(options.maxReplicaCount === undefined ? [] : ['dedicated_resources.max_replica_count']),
    ...(options.autoscaling === undefined ? [] : ['dedicated_resources.autoscaling_metric_specs']),
  ];
  if (paths.length === 0) throw new UserError('Nothing to change: give --min-replica-count, --max-replica-count or --autoscaling-metric-specs');
  const current = await describeEndpoint(clients, name, wait.signal);
  const deployed = current.deployedModels.find((d) => d.id === options.deployedModelId);
  if (!deployed) {
    throw new UserError(`${options.deployedModelId} is not deployed on endpoint ${current.id}; deployed: ${current.deployedModels.map((d) => d.id).join(', ') || 'none'}`);
  }
  const min = options.minReplicaCount ?? deployed.minReplicaCount ?? 1;
  const max = options.maxReplicaCount ?? Math.max(min, deployed.maxReplicaCount ?? min);
  if (max < min) throw new UserError(`--max-replica-count (${max}) must not be less than --min-replica-count (${min})`);
  const request = {
    endpoint: name,
    deployedModel: {
      id: options.deployedModelId,
      dedicatedResources: {
        minReplicaCount: min,
        maxReplicaCount: max,
        autoscalingMetricSpecs: metricSpecs(options.autoscaling ?? deployed.autoscaling),
      },
    },
    updateMask: { paths },
  };
  const context = { action: `changing deployed model ${options.deployedModelId} on endpoint ${current.id}`, config: clients.config };
  const operation = await explained(context, async () => operationName((await clients.endpoints.mutateDeployedModel(request))[0]));
  await waitForOperation(clients.endpoints as unknown as OperationsClientLike, 'mutateDeployedModel', operation, context, wait);
  const endpoint = await describeEndpoint(clients, name, wait.signal);
  const updated = endpoint.deployedModels.find((d) => d.id === options.deployedModelId);
  if (!updated) throw new Error(`Deployed model ${options.deployedModelId} vanished from endpoint ${current.id} while it was changed`);
  return { deployedModel: updated, endpoint };
}
