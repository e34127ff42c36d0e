// The Vertex AI view as plain data: from the list and describe results to
// each node's words, icon, tooltip and context value. The TreeDataProvider
// (cloudTree.ts) only turns these views into TreeItems. Descriptions put the
// word that matters first (traffic, canary, deployed): at the default side
// bar width the end of a description is cut off.
import type { SandboxInfo } from '../../core/sandboxInfo';
import type { DeployedModelSummary, EndpointSummary, ModelSummary } from '../../shared/cloudResources';
import { RUN_LABEL } from '../../shared/cloudResources';
import type { EvaluationSummary } from '../../shared/modelEvaluation';
import { costTooltip, deploymentCost, formatHourly, idleReminder, totalCost } from './prices';
import { targetLabel, type CloudTarget } from './target';
import { canaryOf, deployedLabel } from '../../shared/trafficEditing';
import { trainingItemView, trainingNodeId, type TrainingNode } from './trainingShape';
import { batchItemView, batchNodeId, type BatchNode } from './batchShape';

export interface IconView {
  id: string;
  color?: string;
}

export interface CommandView {
  command: string;
  title: string;
  /** Pass the node itself as the argument. */
  withNode?: boolean;
}

export type CloudNode =
  | { type: 'target' }
  | { type: 'models' }
  | { type: 'endpoints' }
  | { type: 'model'; model: ModelSummary }
  | { type: 'version'; version: ModelSummary }
  | { type: 'endpoint'; endpoint: EndpointSummary }
  | { type: 'deployed'; endpoint: EndpointSummary; deployed: DeployedModelSummary }
  | { type: 'pending'; id: string; label: string }
  | { type: 'message'; id: string; label: string; description?: string; tooltip?: string; icon: IconView; command?: CommandView }
  | TrainingNode
  | BatchNode;

/** The view's elements, and what its commands receive from a row or its menus. */
export interface CloudElement {
  kind: 'cloud';
  node: CloudNode;
}

export interface CloudItemView {
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon: IconView;
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: CommandView;
}

export interface ShapeContext {
  target: CloudTarget;
  /** For the sandbox target: whether it runs now. */
  sandboxRunning?: boolean;
  /** For the sandbox target: where it runs, when it does. */
  sandbox?: SandboxInfo;
  /** Node id -> what is happening to it ("Deploying…"). */
  busy: ReadonlyMap<string, string>;
  now: number;
  /** When this editor last saw a prediction answered by that deployed model (ISO). */
  lastPrediction?: (endpointId: string, deployedModelId: string) => string | undefined;
  /** Endpoints, to name where a version is deployed. */
  endpoints?: readonly EndpointSummary[];
  /** Models, to name the model a batch job ran. */
  models?: readonly ModelSummary[];
}

export const SPIN: IconView = { id: 'loading~spin' };

export function nodeId(node: CloudNode): string {
  switch (node.type) {
    case 'target':
    case 'models':
    case 'endpoints':
      return `cloud:${node.type}`;
    case 'model':
      return `cloud:model:${node.model.id}`;
    case 'version':
      return `cloud:version:${node.version.id}@${node.version.versionId}`;
    case 'endpoint':
      return `cloud:endpoint:${node.endpoint.id}`;
    case 'deployed':
      return `cloud:deployed:${node.endpoint.id}:${node.deployed.id}`;
    case 'pending':
    case 'message':
      return `cloud:${node.type}:${node.id}`;
    case 'trainingJobs':
    case 'trainingJob':
    case 'trial':
      return trainingNodeId(node);
    case 'batchJobs':
    case 'batchJob':
      return batchNodeId(node);
  }
}

/** The Vertex AI view's top rows: the target, Models and Endpoints (models and endpoints list when shown). */
export function sectionNodes(): CloudNode[] {
  return [{ type: 'target' }, { type: 'models' }, { type: 'endpoints' }, { type: 'trainingJobs' }, { type: 'batchJobs' }];
}

/** An error as a node: what failed, and Retry. */
export function errorNode(id: string, what: string, message: string): CloudNode {
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  return {
    type: 'message',
    id: `error:${id}`,
    label: `Could not ${what}`,
    description: oneLine.length > 90 ? `${oneLine.slice(0, 89)}…` : oneLine,
    tooltip: `${oneLine}\n\nClick to retry.`,
    icon: { id: 'error', color: 'errorForeground' },
    command: { command: 'modelStudio.refreshCloud', title: 'Retry' },
  };
}

export function sandboxStoppedNode(): CloudNode {
  return {
    type: 'message',
    id: 'sandbox-stopped',
    label: 'Sandbox not running',
    description: 'click to start it',
    tooltip: 'The local sandbox is a Vertex AI and Cloud Storage stand-in on this machine (`model-studio sandbox start --detach`). Push and Deploy start it on demand.',
    icon: { id: 'debug-start' },
    command: { command: 'modelStudio.startSandbox', title: 'Start Local Sandbox' },
  };
}

export function modelNodes(models: readonly ModelSummary[]): CloudNode[] {
  if (models.length === 0) {
    return [{ type: 'message', id: 'no-models', label: 'No models yet', description: 'push a run', icon: { id: 'info' }, command: { command: 'modelStudio.pushModel', title: 'Push Model to Vertex AI' } }];
  }
  return [...models].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id)).map((model) => ({ type: 'model', model }));
}

/** Versions, newest first. */
export function versionNodes(versions: readonly ModelSummary[]): CloudNode[] {
  return [...versions].sort((a, b) => Number(b.versionId) - Number(a.versionId)).map((version) => ({ type: 'version', version }));
}

export function endpointNodes(endpoints: readonly EndpointSummary[], busy: ReadonlyMap<string, string>): CloudNode[] {
  const pending = [...busy.entries()].filter(([id]) => id.startsWith('cloud:new-endpoint:')).map(([id, label]): CloudNode => ({ type: 'pending', id, label }));
  if (endpoints.length === 0 && pending.length === 0) {
    return [{ type: 'message', id: 'no-endpoints', label: 'No endpoints yet', description: 'deploy a model version', icon: { id: 'info' }, command: { command: 'modelStudio.deployModel', title: 'Deploy to Endpoint' } }];
  }
  return [...pending, ...[...endpoints].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id)).map((endpoint): CloudNode => ({ type: 'endpoint', endpoint }))];
}

/** Deployed models by traffic (largest first), then deployments still under way. */
export function deployedNodes(endpoint: EndpointSummary, busy: ReadonlyMap<string, string>): CloudNode[] {
  const nodes: CloudNode[] = [...endpoint.deployedModels]
    .sort((a, b) => b.trafficPercent - a.trafficPercent || a.id.localeCompare(b.id))
    .map((deployed) => ({ type: 'deployed', endpoint, deployed }));
  const prefix = `cloud:deploying:${endpoint.id}:`;
  for (const [id, label] of busy) if (id.startsWith(prefix)) nodes.push({ type: 'pending', id, label });
  if (nodes.length === 0) nodes.push({ type: 'message', id: `empty:${endpoint.id}`, label: 'No deployed models', description: 'answers no predictions', icon: { id: 'circle-slash' } });
  return nodes;
}

function runOf(model: ModelSummary): string | undefined {
  return model.labels[RUN_LABEL];
}

function labelsLine(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? `Labels: ${entries.map(([k, v]) => `\`${k}=${v}\``).join(' ')}` : '';
}

function deployedWhere(version: ModelSummary, endpoints: readonly EndpointSummary[] | undefined): string[] {
  return version.deployedTo.map((ref) => {
    const endpoint = endpoints?.find((e) => e.name === ref.endpoint);
    return endpoint ? endpoint.displayName || endpoint.id : (ref.endpoint.split('/').pop() ?? ref.endpoint);
  });
}

function port(address: string): string {
  return /:(\d+)\/?$/.exec(address)?.[1] ?? address;
}

/** The sandbox as the target: running (with its port, data folder, pid and idle stop) or not. */
export function sandboxTargetView(sandbox: SandboxInfo | undefined, now: number): CloudItemView {
  const common = { id: 'cloud:target', label: 'Local sandbox', icon: { id: 'vm' }, collapsible: 'none' as const, command: { command: 'modelStudio.chooseCloudTarget', title: 'Choose Cloud Target' } };
  if (!sandbox) {
    return {
      ...common,
      description: 'not running · starts on demand',
      tooltip: 'Cloud commands go to the local Vertex AI sandbox on this machine; Push and Deploy start it. Click to choose a Google Cloud project instead.',
      contextValue: 'cloudTarget sandbox stopped',
    };
  }
  const minutes = Math.max(0, Math.round((now - Date.parse(sandbox.startedAt)) / 60_000));
  return {
    ...common,
    description: `running · port ${port(sandbox.apiEndpoint)}`,
    tooltip: [
      `**Local sandbox** — running, pid ${sandbox.pid}, started ${Number.isFinite(minutes) ? `${minutes} min ago` : sandbox.startedAt}`,
      `Vertex AI: \`${sandbox.apiEndpoint}\` (gRPC, plaintext)`,
      `Cloud Storage: \`${sandbox.storageEndpoint}\``,
      `Data folder: \`${sandbox.dataDir}\``,
      sandbox.idleMinutes ? `Stops itself after ${sandbox.idleMinutes} minutes without a request (\`modelStudio.cloud.sandboxIdleMinutes\`).` : 'Runs until stopped (started without an idle limit).',
      'Its models and endpoints stay in the data folder when it stops.',
    ].join('  \n'),
    contextValue: 'cloudTarget sandbox running',
  };
}

export function itemView(node: CloudNode, context: ShapeContext): CloudItemView {
  const id = nodeId(node);
  const busy = context.busy.get(id);
  const withBusy = (view: CloudItemView): CloudItemView =>
    busy ? { ...view, description: view.description ? `${busy} ${view.description}` : busy, icon: SPIN, contextValue: `${view.contextValue} busy` } : view;
  switch (node.type) {
    case 'target': {
      const target = context.target;
      if (target.kind === 'project') {
        return withBusy({
          id,
          label: targetLabel(target),
          description: 'Google Cloud',
          tooltip: `Cloud commands go to Vertex AI in project \`${target.project}\`, region \`${target.region}\` (settings \`modelStudio.cloud.project\` and \`.region\`). Click to change.`,
          icon: { id: 'cloud' },
          contextValue: 'cloudTarget project',
          collapsible: 'none',
          command: { command: 'modelStudio.chooseCloudTarget', title: 'Choose Cloud Target' },
        });
      }
      return withBusy({ ...sandboxTargetView(context.sandbox, context.now), id });
    }
    case 'models':
      return { id, label: 'Models', icon: { id: 'library' }, contextValue: 'cloudModels', collapsible: 'expanded' };
    case 'endpoints':
      return { id, label: 'Endpoints', icon: { id: 'broadcast' }, contextValue: 'cloudEndpoints', collapsible: 'expanded' };
    case 'model': {
      const m = node.model;
      const run = runOf(m);
      return withBusy({
        id,
        label: m.displayName || m.id,
        description: [`default v${m.versionId}`, run ? `run ${run}` : undefined].filter(Boolean).join(' · '),
        tooltip: [`**${m.displayName}** \`${m.id}\``, m.description ?? '', labelsLine(m.labels), m.imageUri ? `Serving image: \`${m.imageUri}\`` : ''].filter(Boolean).join('  \n'),
        icon: { id: 'package' },
        contextValue: 'cloudModel',
        collapsible: 'collapsed',
      });
    }
    case 'version': {
      const v = node.version;
      const where = deployedWhere(v, context.endpoints);
      const run = runOf(v);
      const evaluation = v.evaluation;
      const accuracy = evaluation?.accuracy?.toFixed(4) ?? v.labels['test-accuracy'];
      const aliases = v.versionAliases.filter((a) => a !== 'default');
      const isDefault = v.versionAliases.includes('default');
      return withBusy({
        id,
        label: `v${v.versionId}`,
        description: [
          where.length ? `deployed: ${where.join(', ')}` : undefined,
          isDefault ? 'default' : undefined,
          ...aliases,
          accuracy ? `test acc ${accuracy.replace(/[_-]/g, '.')}` : undefined,
          evaluation?.logLoss !== undefined ? `log loss ${evaluation.logLoss.toFixed(3)}` : undefined,
          run ? `run ${run}` : undefined,
        ]
          .filter(Boolean)
          .join(' · '),
        tooltip: [
          `**${v.displayName}** version ${v.versionId} \`${v.id}@${v.versionId}\``,
          v.versionCreateTime ? `Created ${v.versionCreateTime}` : '',
          run ? `From run \`${run}\`` : '',
          labelsLine(v.labels),
          evaluation ? evaluationTooltip(evaluation) : '',
          v.artifactUri ? `Files: \`${v.artifactUri}\`` : '',
        ]
          .filter(Boolean)
          .join('  \n'),
        icon: where.length ? { id: 'versions', color: 'charts.green' } : { id: 'versions' },
        contextValue: `cloudVersion${where.length ? ' deployed' : ''}`,
        collapsible: 'none',
      });
    }
    case 'endpoint': {
      const e = node.endpoint;
      const cost = totalCost(e.deployedModels);
      const count = e.deployedModels.length;
      const canary = canaryOf(e);
      return withBusy({
        id,
        label: e.displayName || e.id,
        description: [`${count} model${count === 1 ? '' : 's'}`, formatHourly(cost)].filter(Boolean).join(' · '),
        tooltip: [`**${e.displayName}** \`${e.id}\``, costTooltip(cost, count === 1 ? 'its deployed model' : `its ${count} deployed models`)].join('  \n'),
        icon: { id: 'broadcast' },
        contextValue: ['cloudEndpoint', count > 0 ? 'hasDeployed' : '', count > 1 ? 'canSplit' : '', canary ? 'hasCanary' : ''].filter(Boolean).join(' '),
        collapsible: 'expanded',
      });
    }
    case 'deployed': {
      const { endpoint, deployed } = node;
      const cost = deploymentCost(deployed);
      const replicas = deployed.minReplicaCount === deployed.maxReplicaCount ? `${deployed.minReplicaCount ?? 1}` : `${deployed.minReplicaCount ?? 1}-${deployed.maxReplicaCount ?? '?'}`;
      const isCanary = canaryOf(endpoint)?.id === deployed.id;
      const since = context.lastPrediction?.(endpoint.id, deployed.id) ?? deployed.createTime;
      const reminder = idleReminder(since, context.now, cost);
      return withBusy({
        id,
        label: deployedLabel(deployed),
        description: [`${deployed.trafficPercent}%`, isCanary ? 'canary' : undefined, reminder ? 'idle' : 'ready', formatHourly(cost), `${deployed.machineType ?? 'automatic'} ×${replicas}`].filter(Boolean).join(' · '),
        tooltip: [
          `**${deployedLabel(deployed)}** on \`${endpoint.displayName}\` — deployed model \`${deployed.id}\``,
          `Traffic: ${deployed.trafficPercent}%`,
          `Machine: ${deployed.machineType ?? 'automatic'}, replicas ${replicas}${deployed.acceleratorType ? `, ${deployed.acceleratorCount ?? 1} × ${deployed.acceleratorType}` : ''}`,
          deployed.createTime ? `Deployed ${deployed.createTime}` : '',
          costTooltip(cost, 'this deployment'),
          reminder ? `$(warning) ${reminder}` : '',
        ]
          .filter(Boolean)
          .join('  \n'),
        icon: reminder ? { id: 'warning', color: 'charts.yellow' } : isCanary ? { id: 'beaker', color: 'charts.yellow' } : { id: 'server-process', color: 'charts.green' },
        contextValue: ['cloudDeployed', isCanary ? 'canary' : '', deployed.trafficPercent > 0 ? 'hasTraffic' : '', endpoint.deployedModels.length > 1 ? 'shared' : ''].filter(Boolean).join(' '),
        collapsible: 'none',
        command: { command: 'modelStudio.predict', title: 'Predict', withNode: true },
      });
    }
    case 'pending':
      return { id, label: node.label, icon: SPIN, contextValue: 'cloudPending', collapsible: 'none' };
    case 'message':
      return { id, label: node.label, description: node.description, tooltip: node.tooltip, icon: node.icon, contextValue: 'cloudMessage', collapsible: 'none', command: node.command };
    case 'trainingJobs':
    case 'trainingJob':
    case 'trial':
      return withBusy(trainingItemView(node));
    case 'batchJobs':
    case 'batchJob':
      return withBusy(batchItemView(node, context.now, (job) => {
        const model = context.models?.find((m) => m.name === job.model);
        return `${model?.displayName ?? job.model.split('/').pop() ?? job.model} v${job.modelVersionId}`;
      }));
  }
}

/** The registry's evaluation of a version: headline figures and the classes it confuses most. */
export function evaluationTooltip(e: EvaluationSummary): string {
  const figures = [
    e.accuracy === undefined ? undefined : `accuracy ${e.accuracy.toFixed(4)}`,
    e.logLoss === undefined ? undefined : `log loss ${e.logLoss.toFixed(4)}`,
    e.samples === undefined ? undefined : `${e.samples} examples`,
  ].filter(Boolean);
  const confusions: { actual: string; predicted: string; count: number }[] = [];
  const matrix = e.confusionMatrix;
  matrix?.matrix.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (actual !== predicted && count > 0) confusions.push({ actual: matrix.labels[actual] ?? String(actual), predicted: matrix.labels[predicted] ?? String(predicted), count });
    }),
  );
  const top = confusions.sort((a, b) => b.count - a.count).slice(0, 3).map((c) => `${c.actual}→${c.predicted} ×${c.count}`);
  return `Evaluation (${e.displayName}): ${figures.join(', ')}${top.length ? `; most confused: ${top.join(', ')}` : ''}`;
}
