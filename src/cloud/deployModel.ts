import type { CloudClients } from './clients';
import { withAdvice } from './cleanup';
import { describeEndpoint } from './describeEndpoint';
import { explained } from './errors';
import { endpointResourceName, idOf, modelResourceName } from './names';
import { operationName, waitForOperation, OperationWaitStopped, toPlain, type OperationsClientLike, type WaitOptions } from './operations';
import type { DeployedModelSummary, EndpointSummary } from './summaries';
import { checkSplit, splitForNewModel, type TrafficSplit } from '../shared/traffic';
import { DEFAULT_MACHINE_TYPE } from '../shared/cloudResources';
import { METRIC_NAMES, type AutoscalingTarget } from '../shared/autoscaling';

/** Vertex AI's AutoscalingMetricSpecs from our targets. */
export function metricSpecs(targets: readonly AutoscalingTarget[]): { metricName: string; target: number }[] {
  return targets.map((t) => ({ metricName: METRIC_NAMES[t.metric], target: t.target }));
}

export { DEFAULT_MACHINE_TYPE };

export interface DeployModelOptions {
  endpoint: string;
  /** MODEL, MODEL@VERSION or a full model resource name. */
  model: string;
  displayName?: string;
  machineType?: string;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  /** e.g. NVIDIA_TESLA_T4 */
  acceleratorType?: string;
  acceleratorCount?: number;
  /** Scale between min and max replicas on these targets. */
  autoscaling?: AutoscalingTarget[];
  /** Spot VMs: cheaper, may be preempted. */
  spot?: boolean;
  /** Share of traffic for the new model (default 100); the others keep their proportions of the rest. */
  trafficPercent?: number;
  /** An explicit split in gcloud's form ("0" is the new model); overrides trafficPercent. */
  trafficSplit?: TrafficSplit;
}

export interface DeployResult {
  deployedModel: DeployedModelSummary;
  endpoint: EndpointSummary;
}

export async function deployModel(clients: CloudClients, options: DeployModelOptions, wait: WaitOptions = {}): Promise<DeployResult> {
  const endpointName = endpointResourceName(clients.config, options.endpoint);
  const modelName = modelResourceName(clients.config, options.model);
  const current = await describeEndpoint(clients, endpointName, wait.signal);
  const deployedIds = current.deployedModels.map((d) => d.id);
  let trafficSplit: TrafficSplit;
  if (options.trafficSplit) {
    checkSplit(options.trafficSplit, ['0', ...deployedIds]);
    trafficSplit = options.trafficSplit;
  } else {
    trafficSplit = splitForNewModel(current.trafficSplit, deployedIds, options.trafficPercent ?? 100);
  }
  const accelerated = options.acceleratorType !== undefined;
  const request = {
    endpoint: endpointName,
    trafficSplit,
    deployedModel: {
      model: modelName,
      displayName: options.displayName,
      dedicatedResources: {
        machineSpec: {
          machineType: options.machineType ?? DEFAULT_MACHINE_TYPE,
          ...(accelerated ? { acceleratorType: options.acceleratorType, acceleratorCount: options.acceleratorCount ?? 1 } : {}),
        },
        minReplicaCount: options.minReplicaCount ?? 1,
        maxReplicaCount: options.maxReplicaCount ?? options.minReplicaCount ?? 1,
        ...(options.autoscaling?.length ? { autoscalingMetricSpecs: metricSpecs(options.autoscaling) } : {}),
        ...(options.spot ? { spot: true } : {}),
      },
    },
  };
  const context = { action: `deploying ${idOf(modelName)} to endpoint ${current.id}`, config: clients.config };
  const operation = await explained(context, async () => operationName((await clients.endpoints.deployModel(request as Parameters<typeof clients.endpoints.deployModel>[0]))[0]));
  let response: Record<string, unknown>;
  try {
    response = toPlain(await waitForOperation<unknown>(clients.endpoints as unknown as OperationsClientLike, 'deployModel', operation, context, wait));
  } catch (error) {
    throw withAdvice(error, cleanupAdvice(error, current, modelName));
  }
  const endpoint = await describeEndpoint(clients, endpointName, wait.signal);
  const id = String((response.deployedModel as { id?: string } | undefined)?.id ?? '');
  const deployed = endpoint.deployedModels.find((d) => d.id === id);
  if (!deployed) throw new Error(`Vertex AI reported the deployment of ${id} as done, but endpoint ${current.id} does not list it`);
  return { deployedModel: deployed, endpoint };
}

function cleanupAdvice(error: unknown, endpoint: EndpointSummary, modelName: string): string {
  const model = idOf(modelName);
  if (error instanceof OperationWaitStopped) {
    const may = error.cancelRequested ? 'Cancellation is best-effort, so the deployment may still finish' : 'The deployment may still finish';
    return `${may}: check with \`model-studio cloud endpoints describe ${endpoint.id}\`, and undeploy it with \`model-studio cloud endpoints undeploy-model ${endpoint.id} --deployed-model-id ID\` if you do not want it (deployed models bill while idle)`;
  }
  const others = endpoint.deployedModels.length;
  return (
    `Nothing new is deployed. Still there: endpoint ${endpoint.id} (${others} deployed model${others === 1 ? '' : 's'}) and model ${model} in the registry; ` +
    `remove them if you no longer need them with \`model-studio cloud endpoints delete ${endpoint.id}\` and \`model-studio cloud models delete ${model}\``
  );
}
