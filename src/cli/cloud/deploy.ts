// `model-studio cloud endpoints deploy-model|undeploy-model|update`, as
// gcloud's, plus `promote` and `rollback` for canary releases.
import {
  deployModel,
  formatAutoscaling,
  formatSplit,
  machineType,
  mutateDeployedModel,
  parseAutoscalingSpecs,
  quotaNote,
  parseTrafficSplit,
  promoteCanary,
  rollbackCanary,
  undeployModel,
  updateTrafficSplit,
  type EndpointSummary,
} from '../../cloud';
import { UserError } from '../../shared/errors';
import { DEFAULT_MACHINE_TYPE } from '../../shared/cloudResources';
import { parseCommandArgs, positiveInteger } from '../../core/commandArgs';
import { endpointFields } from './format';
import { withInterrupt, type Output } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, waitTimeoutMs } from './target';
import { withClients } from './withClients';
import { applyLoggingChange, describeLogging, LOGGING_OPTIONS, LOGGING_USAGE, loggingChange } from './endpointLogging';
import { cliPrices, deploymentEstimate } from './prices';
import type { VerbTable } from '../verbs';

const USAGE = {
  deploy: `model-studio cloud endpoints deploy-model ENDPOINT --model MODEL --display-name NAME [--machine-type TYPE] [--min-replica-count N] [--max-replica-count N] [--accelerator type=TYPE,count=N] [--autoscaling-metric-specs cpu-usage=60,gpu-duty-cycle=70] [--spot] [--traffic-split 0=100,DEPLOYED_ID=N...] ${COMMON_USAGE}`,
  mutate: `model-studio cloud endpoints mutate-deployed-model ENDPOINT --deployed-model-id ID [--min-replica-count N] [--max-replica-count N] [--autoscaling-metric-specs cpu-usage=60,...] ${COMMON_USAGE}`,
  undeploy: `model-studio cloud endpoints undeploy-model ENDPOINT --deployed-model-id ID [--traffic-split ID=N,...] ${COMMON_USAGE}`,
  update: `model-studio cloud endpoints update ENDPOINT [--traffic-split ID=N,ID=N [--etag ETAG]] ${LOGGING_USAGE} ${COMMON_USAGE}`,
  promote: `model-studio cloud endpoints promote ENDPOINT --deployed-model-id ID [--undeploy-others] [--move-aliases] ${COMMON_USAGE}`,
  rollback: `model-studio cloud endpoints rollback ENDPOINT --deployed-model-id ID [--keep-deployed] ${COMMON_USAGE}`,
};

/** gcloud's --accelerator=type=nvidia-tesla-t4,count=1 */
export function parseAccelerator(text: string): { type: string; count: number } {
  const parts = Object.fromEntries(text.split(',').map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
  if (!parts.type) throw new UserError(`--accelerator "${text}" needs type=TYPE, e.g. type=nvidia-tesla-t4,count=1`);
  const count = parts.count === undefined ? 1 : Number(parts.count);
  if (!Number.isInteger(count) || count < 1) throw new UserError(`--accelerator count must be a whole number of at least 1, not '${parts.count}'`);
  return { type: parts.type.toUpperCase().replace(/-/g, '_'), count };
}

function one(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new UserError(`Expected one ENDPOINT. Usage: ${usage}`);
  return positionals[0];
}

async function deploy(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...COMMON_OPTIONS,
      model: { type: 'string' },
      'display-name': { type: 'string' },
      'machine-type': { type: 'string' },
      'min-replica-count': { type: 'string' },
      'max-replica-count': { type: 'string' },
      accelerator: { type: 'string' },
      'autoscaling-metric-specs': { type: 'string' },
      spot: { type: 'boolean' },
      'traffic-split': { type: 'string' },
    },
    USAGE.deploy,
  );
  const endpoint = one(positionals, USAGE.deploy);
  if (!values.model) throw new UserError(`Missing --model MODEL. Usage: ${USAGE.deploy}`);
  if (!values['display-name']) throw new UserError(`Missing --display-name NAME. Usage: ${USAGE.deploy}`);
  const accelerator = values.accelerator ? parseAccelerator(values.accelerator) : undefined;
  const trafficSplit = values['traffic-split'] ? parseTrafficSplit(values['traffic-split']) : undefined;
  const minReplicaCount = positiveInteger(values['min-replica-count'], '--min-replica-count');
  const maxReplicaCount = positiveInteger(values['max-replica-count'], '--max-replica-count');
  const autoscaling = values['autoscaling-metric-specs'] === undefined ? undefined : parseAutoscalingSpecs(values['autoscaling-metric-specs']);
  return withClients(values, async (clients, out) => {
    noteQuota(out, values['machine-type'], minReplicaCount, maxReplicaCount);
    const result = await withInterrupt((signal) =>
      deployModel(
        clients,
        {
          endpoint,
          model: values.model as string,
          displayName: values['display-name'],
          machineType: values['machine-type'],
          minReplicaCount,
          maxReplicaCount,
          acceleratorType: accelerator?.type,
          acceleratorCount: accelerator?.count,
          autoscaling,
          spot: values.spot,
          trafficSplit,
        },
        out.waitOptions(`Deploying ${values.model} to ${endpoint}`, waitTimeoutMs(values.timeout), signal),
      ),
    );
    out.result(result, () => `Deployed model ${values.model} to endpoint ${result.endpoint.id} [deployed model id: ${result.deployedModel.id}]; traffic ${formatSplit(result.endpoint.trafficSplit)}.`);
    const d = result.deployedModel;
    out.progress(deploymentEstimate(await cliPrices(clients.config), { machineType: d.machineType ?? values['machine-type'] ?? DEFAULT_MACHINE_TYPE, minReplicaCount: d.minReplicaCount, maxReplicaCount: d.maxReplicaCount, acceleratorType: d.acceleratorType, acceleratorCount: d.acceleratorCount, spot: values.spot }));
    return 0;
  });
}

/** Autoscaling that can grow past min: say how quota counts it before Vertex AI refuses. */
function noteQuota(out: Output, machine: string | undefined, min: number | undefined, max: number | undefined): void {
  if (max === undefined || max <= (min ?? 1)) return;
  const vcpus = machineType(machine ?? DEFAULT_MACHINE_TYPE)?.vcpus;
  if (vcpus !== undefined) out.progress(quotaNote(vcpus, max));
}

async function mutate(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...COMMON_OPTIONS,
      'deployed-model-id': { type: 'string' },
      'min-replica-count': { type: 'string' },
      'max-replica-count': { type: 'string' },
      'autoscaling-metric-specs': { type: 'string' },
    },
    USAGE.mutate,
  );
  const endpoint = one(positionals, USAGE.mutate);
  const id = values['deployed-model-id'];
  if (!id) throw new UserError(`Missing --deployed-model-id ID. Usage: ${USAGE.mutate}`);
  const minReplicaCount = positiveInteger(values['min-replica-count'], '--min-replica-count');
  const maxReplicaCount = positiveInteger(values['max-replica-count'], '--max-replica-count');
  const autoscaling = values['autoscaling-metric-specs'] === undefined ? undefined : parseAutoscalingSpecs(values['autoscaling-metric-specs']);
  return withClients(values, async (clients, out) => {
    const result = await withInterrupt((signal) =>
      mutateDeployedModel(
        clients,
        { endpoint, deployedModelId: id, minReplicaCount, maxReplicaCount, autoscaling },
        out.waitOptions(`Changing ${id} on ${endpoint}`, waitTimeoutMs(values.timeout), signal),
      ),
    );
    const d = result.deployedModel;
    noteQuota(out, d.machineType, d.minReplicaCount, d.maxReplicaCount);
    out.result(result, () => `Updated deployed model ${d.id}: replicas ${d.minReplicaCount ?? 1}-${d.maxReplicaCount ?? 1}, autoscaling ${formatAutoscaling(d.autoscaling) || 'default (cpu-usage=60)'}.`);
    return 0;
  });
}

function endpointResult(out: Output, endpoint: EndpointSummary, headline: string): void {
  out.result(endpoint, () => `${headline}\n${endpointFields(endpoint)}`);
}

async function undeploy(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...COMMON_OPTIONS, 'deployed-model-id': { type: 'string' }, 'traffic-split': { type: 'string' } },
    USAGE.undeploy,
  );
  const endpoint = one(positionals, USAGE.undeploy);
  const id = values['deployed-model-id'];
  if (!id) throw new UserError(`Missing --deployed-model-id ID. Usage: ${USAGE.undeploy}`);
  const trafficSplit = values['traffic-split'] ? parseTrafficSplit(values['traffic-split']) : undefined;
  return withClients(values, async (clients, out) => {
    const result = await withInterrupt((signal) =>
      undeployModel(clients, endpoint, id, out.waitOptions(`Undeploying ${id} from ${endpoint}`, waitTimeoutMs(values.timeout), signal), { trafficSplit }),
    );
    endpointResult(out, result, `Undeployed ${id}; traffic ${formatSplit(result.trafficSplit)}.`);
    return 0;
  });
}

async function update(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, 'traffic-split': { type: 'string' }, etag: { type: 'string' }, ...LOGGING_OPTIONS }, USAGE.update);
  const endpoint = one(positionals, USAGE.update);
  const logging = loggingChange(values);
  if (!values['traffic-split'] && !logging) throw new UserError(`Nothing to update: give --traffic-split ID=N,ID=N or a request-response logging flag. Usage: ${USAGE.update}`);
  const split = values['traffic-split'] ? parseTrafficSplit(values['traffic-split']) : undefined;
  return withClients(values, async (clients, out) => {
    const headlines: string[] = [];
    let result: EndpointSummary | undefined;
    if (split) {
      result = await updateTrafficSplit(clients, endpoint, split, { etag: values.etag });
      headlines.push(`Updated the traffic split of ${result.id}: ${formatSplit(result.trafficSplit)}.`);
    }
    if (logging) {
      result = await applyLoggingChange(clients, endpoint, logging);
      headlines.push(`Updated request-response logging of ${result.id}: ${describeLogging(result)}.`);
    }
    endpointResult(out, result as EndpointSummary, headlines.join('\n'));
    return 0;
  });
}

async function promote(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...COMMON_OPTIONS, 'deployed-model-id': { type: 'string' }, 'undeploy-others': { type: 'boolean' }, 'move-aliases': { type: 'boolean' } },
    USAGE.promote,
  );
  const endpoint = one(positionals, USAGE.promote);
  const id = values['deployed-model-id'];
  if (!id) throw new UserError(`Missing --deployed-model-id ID. Usage: ${USAGE.promote}`);
  return withClients(values, async (clients, out) => {
    const result = await withInterrupt((signal) =>
      promoteCanary(
        clients,
        { endpoint, deployedModelId: id, undeployOthers: values['undeploy-others'], moveAliases: values['move-aliases'], onStep: (m) => out.progress(m) },
        out.waitOptions('Undeploying', waitTimeoutMs(values.timeout), signal),
      ),
    );
    endpointResult(out, result, `Promoted ${id}: traffic ${formatSplit(result.trafficSplit)}.`);
    return 0;
  });
}

async function rollback(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...COMMON_OPTIONS, 'deployed-model-id': { type: 'string' }, 'keep-deployed': { type: 'boolean' } },
    USAGE.rollback,
  );
  const endpoint = one(positionals, USAGE.rollback);
  const id = values['deployed-model-id'];
  if (!id) throw new UserError(`Missing --deployed-model-id ID. Usage: ${USAGE.rollback}`);
  return withClients(values, async (clients, out) => {
    const result = await withInterrupt((signal) =>
      rollbackCanary(clients, { endpoint, deployedModelId: id, keepDeployed: values['keep-deployed'] }, out.waitOptions(`Rolling back ${id}`, waitTimeoutMs(values.timeout), signal)),
    );
    endpointResult(out, result, `Rolled back ${id}: traffic ${formatSplit(result.trafficSplit)}.`);
    return 0;
  });
}

export const deployVerbs: VerbTable = {
  'deploy-model': { run: deploy, usage: USAGE.deploy },
  'mutate-deployed-model': { run: mutate, usage: USAGE.mutate },
  'undeploy-model': { run: undeploy, usage: USAGE.undeploy },
  update: { run: update, usage: USAGE.update },
  promote: { run: promote, usage: USAGE.promote },
  rollback: { run: rollback, usage: USAGE.rollback },
};
