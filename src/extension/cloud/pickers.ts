// The questions the cloud commands share: which run, which model version,
// which endpoint (or a new one), which deployed model, machine type, replicas
// and traffic. Backing out throws UserCancelledError (quiet); nothing to
// choose from is a UserError that says what to do first.
import type { CloudClients, EndpointSummary, ModelSummary } from '../../cloud';
import { DEFAULT_MACHINE_TYPE, RUN_LABEL } from '../../shared/cloudResources';
import { UserError } from '../../shared/errors';
import { defaultTrafficPercent, deployedLabel, describeSplit, fullSplit } from '../../shared/trafficEditing';
import type { RunEntry, RunsModel } from '../runs/runsModel';
import { runIdOf } from '../tree/modelExplorer';
import type { CloudCommandContext } from './cloudCommandContext';
import { ask, cloudNodeOf, pick, wholeNumber } from './cloudUi';
import { machineChoices } from './prices';
import { targetLabel } from './target';

/** The run a tree node (or the dashboard) names, if it saved a model; else one picked, newest first. */
export async function pickRun(runs: RunsModel, arg: unknown, title: string): Promise<RunEntry> {
  const entries = (await runs.runs()).filter((e) => e.record.status === 'completed' || e.record.status === 'stopped');
  const id = runIdOf(arg);
  const found = id ? entries.find((e) => e.record.id === id) : undefined;
  if (found) return found;
  if (entries.length === 0) throw new UserError('No run has saved a model yet: train a spec first (Model Studio: Train Model).');
  const sorted = [...entries].sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
  return (await pick(sorted.map((entry) => ({ label: entry.record.name, description: `${entry.record.id} · ${entry.record.status}`, entry })), title, 'Runs that saved a model, newest first')).entry;
}

/** A model, then one of its versions when it has several (newest first). */
export async function pickVersion(cloud: CloudCommandContext, clients: CloudClients, title: string): Promise<ModelSummary> {
  const models = await cloud.connection.cloud().listModels(clients);
  if (models.length === 0) throw new UserError('No models in the Model Registry yet: push a run first (Model Studio: Push Model to Vertex AI).');
  const model = (await pick(models.map((m) => ({ label: m.displayName, description: `model ${m.id} · default v${m.versionId}`, m })), title, 'Models in the Model Registry')).m;
  const versions = await cloud.connection.cloud().listModelVersions(clients, model.name);
  if (versions.length <= 1) return versions[0] ?? model;
  const sorted = [...versions].sort((a, b) => Number(b.versionId) - Number(a.versionId));
  return (
    await pick(
      sorted.map((v) => ({ label: `v${v.versionId}`, description: [v.versionAliases.join(', '), v.labels[RUN_LABEL] ? `run ${v.labels[RUN_LABEL]}` : ''].filter(Boolean).join(' · '), v })),
      `Which version of ${model.displayName}`,
      'Versions, newest first',
    )
  ).v;
}

function endpointItem<T extends EndpointSummary | undefined>(e: EndpointSummary, value: T): { label: string; description: string; e: T } {
  return { label: e.displayName || e.id, description: `${e.id} · ${describeSplit(e, fullSplit(e))}`, e: value };
}

export async function pickEndpoint(cloud: CloudCommandContext, clients: CloudClients, title: string, filter: (e: EndpointSummary) => boolean = () => true): Promise<EndpointSummary> {
  const endpoints = (await cloud.connection.cloud().listEndpoints(clients)).filter(filter);
  if (endpoints.length === 0) throw new UserError(`No endpoint fits "${title}" on ${targetLabel(cloud.connection.target)}.`);
  return (await pick(endpoints.map((e) => endpointItem(e, e)), title, 'Endpoints, with their traffic split')).e;
}

/** A fresh copy of the endpoint a node points at (the tree's copy may be old), or one picked. */
export async function endpointFrom(cloud: CloudCommandContext, arg: unknown, clients: CloudClients, title: string, filter?: (e: EndpointSummary) => boolean): Promise<EndpointSummary> {
  const node = cloudNodeOf(arg);
  if (node?.type === 'endpoint' || node?.type === 'deployed') return cloud.connection.cloud().describeEndpoint(clients, node.endpoint.name);
  return pickEndpoint(cloud, clients, title, filter);
}

/** An existing endpoint, or the name of a new one to create. */
export async function pickDeployEndpoint(
  cloud: CloudCommandContext,
  clients: CloudClients,
  version: ModelSummary,
  label: string,
): Promise<{ endpoint: EndpointSummary } | { newName: string }> {
  const endpoints = await cloud.connection.cloud().listEndpoints(clients);
  const chosen = await pick(
    [...endpoints.map((e) => endpointItem<EndpointSummary | undefined>(e, e)), { label: '$(add) New endpoint…', description: 'create one', e: undefined }],
    `Deploy ${label} to which endpoint`,
    'An endpoint that already serves keeps its models: the new one gets a share of the traffic',
  );
  if (chosen.e) return { endpoint: chosen.e };
  return { newName: await ask({ title: 'Name of the new endpoint', value: `${version.displayName}-endpoint`, validateInput: (v) => (v.trim() ? undefined : 'A name') }) };
}

/** The deployed model a node names (`preferred`), the only one, or one picked. */
export async function pickDeployed(endpoint: EndpointSummary, title: string, preferred?: string): Promise<string> {
  if (preferred && endpoint.deployedModels.some((d) => d.id === preferred)) return preferred;
  if (endpoint.deployedModels.length === 0) throw new UserError(`Endpoint ${endpoint.displayName} has no deployed models.`);
  if (endpoint.deployedModels.length === 1) return endpoint.deployedModels[0].id;
  return (await pick(endpoint.deployedModels.map((d) => ({ label: deployedLabel(d), description: `${d.trafficPercent}% · ${d.id}`, id: d.id })), title, `Models deployed on ${endpoint.displayName}`)).id;
}

/** A machine type, with estimated prices. */
export async function pickMachineType(label: string): Promise<string> {
  return (await pick(machineChoices(DEFAULT_MACHINE_TYPE), `Machine type for ${label}`, 'Estimated us-central1 prices; billed per replica while deployed')).machineType;
}

export async function askReplicas(): Promise<{ min: number; max: number }> {
  const min = Number(await ask({ title: 'Minimum replicas', value: '1', validateInput: wholeNumber(1, 100) }));
  const max = Number(await ask({ title: 'Maximum replicas (autoscaling up to)', value: String(min), validateInput: wholeNumber(min, 100) }));
  return { min, max };
}

/** The new model's share of the endpoint's traffic: 100 on an empty endpoint, else asked. */
export async function askTrafficPercent(endpoint: EndpointSummary | undefined, label: string): Promise<number> {
  const deployedCount = endpoint?.deployedModels.length ?? 0;
  if (!endpoint || deployedCount === 0) return 100;
  return Number(
    await ask({
      title: `Traffic for ${label} (%)`,
      value: String(defaultTrafficPercent(deployedCount)),
      prompt: `The models already there share the rest in their proportions (now ${describeSplit(endpoint, fullSplit(endpoint))})`,
      validateInput: wholeNumber(0, 100),
    }),
  );
}
