// The cloud commands: choose target, push, deploy, traffic, canary, predict,
// undeploy and delete. Each works from its tree node or from the palette
// alone (asking with pickers). Long work runs in one cancellable progress
// notification; destructive work asks first and says what will happen.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CloudClients, EndpointSummary, ModelSummary } from '../../cloud';
import { runDir } from '../../core/runStore';
import { SANDBOX_BUCKET, SANDBOX_SERVING_IMAGE } from '../../core/sandboxInfo';
import { errorMessage } from '../../shared/errors';
import { UserCancelledError } from '../commands/registerCommand';
import type { Log } from '../log';
import type { RunEntry, RunsModel } from '../runs/runsModel';
import { runIdOf } from '../tree/modelExplorer';
import type { CloudConnection } from './cloudConnection';
import { nodeId } from './cloudShape';
import type { CloudTree } from './cloudTree';
import { ask, cloudNodeOf, confirm, pick, wholeNumber, withSteps } from './cloudUi';
import { deleteEndpointConfirmation, deleteModelConfirmation, promoteConfirmation, rollbackConfirmation, undeployConfirmation } from './confirmations';
import { PredictPanel } from './predictPanel';
import { machineChoices } from './prices';
import { COMMON_REGIONS, checkProjectId, checkRegion, SANDBOX_TARGET, targetLabel } from './target';
import { TrafficPanel } from './trafficPanel';
import { canaryOf, defaultTrafficPercent, deployedLabel, describeSplit, fullSplit } from '../../shared/trafficEditing';
import { DEFAULT_MACHINE_TYPE, RUN_LABEL } from '../../shared/cloudResources';

const LOGIN_COMMAND = 'gcloud auth application-default login';
const BUCKET_STATE_KEY = 'modelStudio.cloud.lastBucket';

export class CloudCommands {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly connection: CloudConnection,
    readonly tree: CloudTree,
    private readonly runs: RunsModel,
    private readonly log: Log,
  ) {}

  /** Clients for the current target, starting the sandbox on demand; missing credentials become the login notification. */
  private async clients(): Promise<CloudClients> {
    const needsStart = this.connection.target.kind === 'sandbox' && !this.connection.sandboxInfo();
    try {
      if (!needsStart) return await this.connection.clients({ start: true });
      return await this.tree.whileBusy('cloud:target', 'Starting…', async () =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local Vertex AI sandbox…' }, () => this.connection.clients({ start: true })),
      );
    } catch (error) {
      if (this.connection.isMissingCredentials(error)) {
        void this.showLoginNotification();
        throw new UserCancelledError();
      }
      throw error;
    }
  }

  private async showLoginNotification(what = `for ${targetLabel(this.connection.target)}`): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `No Google Cloud credentials ${what}. Sign in with: ${LOGIN_COMMAND}`,
      'Copy Command',
      'Run in Terminal',
      'Use Local Sandbox',
    );
    if (choice === 'Copy Command') await vscode.env.clipboard.writeText(LOGIN_COMMAND);
    if (choice === 'Run in Terminal') {
      const terminal = vscode.window.createTerminal('gcloud login');
      terminal.show();
      terminal.sendText(LOGIN_COMMAND);
    }
    if (choice === 'Use Local Sandbox') await this.connection.setTarget(SANDBOX_TARGET);
  }

  refresh(): void {
    this.tree.refresh();
  }

  /** After a change: the tree, and any open traffic editor, show the new state. */
  private changed(): void {
    this.tree.refresh();
    TrafficPanel.reloadAll();
  }

  async startSandbox(): Promise<void> {
    await this.clients();
    this.changed();
  }

  async chooseTarget(): Promise<void> {
    const current = this.connection.target;
    const choice = await pick(
      [
        { label: '$(vm) Local sandbox', description: current.kind === 'sandbox' ? 'current' : 'Vertex AI and Cloud Storage on this machine, started on demand', target: 'sandbox' as const },
        { label: '$(cloud) Google Cloud project…', description: current.kind === 'project' ? `current: ${targetLabel(current)}` : 'Vertex AI with your Application Default Credentials', target: 'project' as const },
      ],
      'Choose Cloud Target',
    );
    if (choice.target === 'sandbox') {
      await this.connection.setTarget(SANDBOX_TARGET);
      return;
    }
    const project = await this.chooseProject(current.kind === 'project' ? current.project : undefined);
    const regions = current.kind === 'project' ? [current.region, ...COMMON_REGIONS.filter((r) => r !== current.region)] : COMMON_REGIONS;
    const regionPick = await pick([...regions.map((r) => ({ label: r })), { label: '$(edit) Other region…' }], `Region of ${project}`);
    const region = regionPick.label.startsWith('$(edit)') ? await ask({ title: 'Vertex AI region', value: 'us-central1', validateInput: checkRegion }) : regionPick.label;
    await this.connection.setTarget({ kind: 'project', project, region });
    try {
      await this.connection.clients({ start: false });
    } catch (error) {
      if (this.connection.isMissingCredentials(error)) void this.showLoginNotification();
      else throw error;
    }
  }

  private async chooseProject(currentProject: string | undefined): Promise<string> {
    let listed: { label: string; description?: string; id?: string }[] = [];
    try {
      const { projects, defaultProject } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Listing your Google Cloud projects…' },
        () => this.connection.cloud().listProjects(),
      );
      listed = projects
        .sort((a, b) => Number(b.projectId === defaultProject) - Number(a.projectId === defaultProject) || a.projectId.localeCompare(b.projectId))
        .map((p) => ({ label: p.projectId, description: [p.name !== p.projectId ? p.name : '', p.projectId === defaultProject ? 'default' : ''].filter(Boolean).join(' · '), id: p.projectId }));
    } catch (error) {
      const message = errorMessage(error);
      this.log.warn(`Could not list projects: ${message}`);
      if (/credentials|Could not load the default/i.test(message)) {
        void this.showLoginNotification('to list your Google Cloud projects');
        throw new UserCancelledError();
      }
    }
    const chosen = await pick([...listed, { label: '$(edit) Enter a project ID…' }], 'Google Cloud project', currentProject ? `current: ${currentProject}` : undefined);
    return chosen.id ?? (await ask({ title: 'Google Cloud project ID', value: currentProject, validateInput: checkProjectId }));
  }

  // ---- Push ----

  private async pickRun(arg: unknown): Promise<RunEntry> {
    const entries = (await this.runs.runs()).filter((e) => e.record.status === 'completed' || e.record.status === 'stopped');
    const id = runIdOf(arg);
    const found = id ? entries.find((e) => e.record.id === id) : undefined;
    if (found) return found;
    if (entries.length === 0) throw new Error('No run has saved a model yet: train a spec first (Model Studio: Train Model).');
    const sorted = [...entries].sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
    return (await pick(sorted.map((entry) => ({ label: entry.record.name, description: `${entry.record.id} · ${entry.record.status}`, entry })), 'Push which run')).entry;
  }

  async pushModel(arg: unknown): Promise<void> {
    const entry = await this.pickRun(arg);
    const record = entry.record;
    const clients = await this.clients();
    const target = this.connection.target;
    const models = await this.connection.cloud().listModels(clients);
    const same = models.filter((m) => m.displayName === record.name);
    const others = models.filter((m) => m.displayName !== record.name);
    const choice = await pick(
      [
        ...same.map((m) => ({ label: `$(versions) New version of ${m.displayName}`, description: `model ${m.id} · default v${m.versionId}`, model: m as ModelSummary | undefined })),
        { label: '$(add) New model', description: record.name, model: undefined },
        ...others.map((m) => ({ label: `$(versions) New version of ${m.displayName}`, description: `model ${m.id} · default v${m.versionId}`, model: m as ModelSummary | undefined })),
      ],
      `Push ${record.name} (${record.id}) to ${targetLabel(target)}`,
    );
    const displayName = choice.model ? choice.model.displayName : await ask({ title: 'Model name in the Model Registry', value: record.name, validateInput: (v) => (v.trim() ? undefined : 'A name') });
    const defaultBucket = target.kind === 'sandbox' ? SANDBOX_BUCKET : this.context.workspaceState.get<string>(BUCKET_STATE_KEY, `gs://${target.project}-model-studio`);
    const bucket =
      target.kind === 'sandbox'
        ? defaultBucket
        : await ask({ title: 'Cloud Storage bucket for the model files', value: defaultBucket, prompt: 'gs://BUCKET or gs://BUCKET/PREFIX; the files go under it' });
    if (target.kind === 'project') await this.context.workspaceState.update(BUCKET_STATE_KEY, bucket);
    const configuredImage = vscode.workspace.getConfiguration('modelStudio.cloud').get<string>('servingImage', '');
    const imageUri =
      target.kind === 'sandbox'
        ? SANDBOX_SERVING_IMAGE
        : configuredImage ||
          (await ask({
            title: 'Serving image (Artifact Registry)',
            prompt: 'The TF.js serving container you pushed (src/serving/Dockerfile); set modelStudio.cloud.servingImage to skip this question',
            placeHolder: `us-central1-docker.pkg.dev/${target.project}/REPO/tfjs-serving:latest`,
            validateInput: (v) => (v.trim() ? undefined : 'An image URI'),
          }));

    const result = await this.tree.whileBusy(choice.model ? nodeId({ type: 'model', model: choice.model }) : 'cloud:push', 'Pushing…', () =>
      withSteps(`Pushing ${record.name} to ${targetLabel(target)}`, 3, async (steps) => {
        steps.step(1, 'Uploading model files…');
        let registering = false;
        const register = (): void => {
          if (!registering) steps.step(2, 'Registering model…');
          registering = true;
        };
        const pushed = await this.connection.cloud().pushModel(clients, {
          runDir: runDir(entry.runsDir, record.id),
          bucket,
          createBucket: target.kind === 'sandbox',
          displayName,
          imageUri,
          parentModel: choice.model?.name,
          onProgress: (p) => {
            if (p.step === 'bucket') steps.detail(p.message);
            else if (p.step === 'register') register();
            else if (p.fileIndex + 1 === p.fileCount && p.bytesDone >= p.totalBytes) register();
            else steps.detail(`${p.fileIndex + 1}/${p.fileCount} · ${Math.round((100 * p.bytesDone) / Math.max(1, p.totalBytes))}%`);
          },
          wait: { signal: steps.signal, cancelOnAbort: true },
        });
        register();
        steps.step(3, 'Listing the new version…');
        return pushed;
      }),
    );
    this.changed();
    this.log.info(`Pushed run ${record.id} as ${result.model.name} v${result.model.versionId} (${result.files.length} files, ${result.uploadedBytes} bytes)`);
    const next = await vscode.window.showInformationMessage(
      `Pushed ${result.model.displayName} v${result.model.versionId} (model ${result.model.id}) to ${targetLabel(target)}.`,
      'Deploy to Endpoint…',
    );
    if (next) await this.deployModel({ kind: 'cloud', node: { type: 'version', version: result.model } });
  }

  // ---- Deploy ----

  private async pickVersion(clients: CloudClients, title: string): Promise<ModelSummary> {
    const models = await this.connection.cloud().listModels(clients);
    if (models.length === 0) throw new Error('No models in the Model Registry yet: push a run first (Model Studio: Push Model to Vertex AI).');
    const model = (await pick(models.map((m) => ({ label: m.displayName, description: `model ${m.id} · default v${m.versionId}`, m })), title)).m;
    const versions = await this.connection.cloud().listModelVersions(clients, model.name);
    if (versions.length <= 1) return versions[0] ?? model;
    const sorted = [...versions].sort((a, b) => Number(b.versionId) - Number(a.versionId));
    return (await pick(sorted.map((v) => ({ label: `v${v.versionId}`, description: [v.versionAliases.join(', '), v.labels[RUN_LABEL] ? `run ${v.labels[RUN_LABEL]}` : ''].filter(Boolean).join(' · '), v })), `Which version of ${model.displayName}`)).v;
  }

  private async pickEndpoint(clients: CloudClients, title: string, filter: (e: EndpointSummary) => boolean = () => true): Promise<EndpointSummary> {
    const endpoints = (await this.connection.cloud().listEndpoints(clients)).filter(filter);
    if (endpoints.length === 0) throw new Error(`No endpoint fits "${title}" on ${targetLabel(this.connection.target)}.`);
    return (await pick(endpoints.map((e) => ({ label: e.displayName || e.id, description: `${e.id} · ${describeSplit(e, fullSplit(e))}`, e })), title)).e;
  }

  /** A fresh copy of the endpoint a node points at (the tree's copy may be old), or one picked. */
  private async endpointFrom(arg: unknown, clients: CloudClients, title: string, filter?: (e: EndpointSummary) => boolean): Promise<EndpointSummary> {
    const node = cloudNodeOf(arg);
    if (node?.type === 'endpoint' || node?.type === 'deployed') return this.connection.cloud().describeEndpoint(clients, node.endpoint.name);
    return this.pickEndpoint(clients, title, filter);
  }

  private async pickDeployed(endpoint: EndpointSummary, title: string, preferred?: string): Promise<string> {
    if (preferred && endpoint.deployedModels.some((d) => d.id === preferred)) return preferred;
    if (endpoint.deployedModels.length === 0) throw new Error(`Endpoint ${endpoint.displayName} has no deployed models.`);
    if (endpoint.deployedModels.length === 1) return endpoint.deployedModels[0].id;
    return (await pick(endpoint.deployedModels.map((d) => ({ label: deployedLabel(d), description: `${d.trafficPercent}% · ${d.id}`, id: d.id })), title)).id;
  }

  async deployModel(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const node = cloudNodeOf(arg);
    let version: ModelSummary;
    if (node?.type === 'version') version = node.version;
    else if (node?.type === 'model') version = node.model;
    else version = await this.pickVersion(clients, 'Deploy which model');
    const label = `${version.displayName} v${version.versionId}`;

    let endpoint: EndpointSummary | undefined;
    let newName: string | undefined;
    if (node?.type === 'endpoint') {
      endpoint = node.endpoint;
    } else {
      const endpoints = await this.connection.cloud().listEndpoints(clients);
      const chosen = await pick(
        [
          ...endpoints.map((e) => ({ label: e.displayName || e.id, description: `${e.id} · ${describeSplit(e, fullSplit(e))}`, e: e as EndpointSummary | undefined })),
          { label: '$(add) New endpoint…', description: 'create one', e: undefined },
        ],
        `Deploy ${label} to which endpoint`,
      );
      endpoint = chosen.e;
      if (!endpoint) newName = await ask({ title: 'Name of the new endpoint', value: `${version.displayName}-endpoint`, validateInput: (v) => (v.trim() ? undefined : 'A name') });
    }
    const machine = await pick(machineChoices(DEFAULT_MACHINE_TYPE), `Machine type for ${label}`, 'Estimated us-central1 prices; billed per replica while deployed');
    const min = Number(await ask({ title: 'Minimum replicas', value: '1', validateInput: wholeNumber(1, 100) }));
    const max = Number(await ask({ title: 'Maximum replicas (autoscaling up to)', value: String(min), validateInput: wholeNumber(min, 100) }));
    const deployedCount = endpoint?.deployedModels.length ?? 0;
    const traffic =
      deployedCount === 0
        ? 100
        : Number(
            await ask({
              title: `Traffic for ${label} (%)`,
              value: String(defaultTrafficPercent(deployedCount)),
              prompt: `The models already there share the rest in their proportions (now ${describeSplit(endpoint as EndpointSummary, fullSplit(endpoint as EndpointSummary))})`,
              validateInput: wholeNumber(0, 100),
            }),
          );

    const cloud = this.connection.cloud();
    const total = endpoint ? 1 : 2;
    const result = await withSteps(`Deploying ${label} to ${endpoint?.displayName ?? newName}`, total, async (steps) => {
      let target = endpoint;
      if (!target) {
        steps.step(1, `Creating endpoint ${newName}…`);
        target = await this.tree.whileBusy(`cloud:new-endpoint:${newName}`, `Creating ${newName}…`, () => cloud.createEndpoint(clients, { displayName: newName as string }, steps.wait()));
      }
      steps.step(total, `Deploying ${label}…`);
      const where = target;
      return this.tree.whileBusy(nodeId({ type: 'endpoint', endpoint: where }), 'Deploying…', () =>
        this.tree.whileBusy(`cloud:deploying:${where.id}:${version.id}@${version.versionId}`, `Deploying ${label}…`, () =>
          cloud.deployModel(
            clients,
            { endpoint: where.name, model: `${version.id}@${version.versionId}`, displayName: version.displayName, machineType: machine.machineType, minReplicaCount: min, maxReplicaCount: max, trafficPercent: traffic },
            steps.wait(),
          ),
        ),
      );
    });
    this.changed();
    const canary = traffic < 100 ? ' (canary)' : '';
    const next = await vscode.window.showInformationMessage(
      `Deployed ${label} to ${result.endpoint.displayName} with ${traffic}% of the traffic${canary}: ${describeSplit(result.endpoint, fullSplit(result.endpoint))}.`,
      'Predict…',
      'Edit Traffic Split…',
    );
    const endpointNode = { kind: 'cloud', node: { type: 'endpoint', endpoint: result.endpoint } };
    if (next === 'Predict…') await this.predict(endpointNode);
    if (next === 'Edit Traffic Split…') await this.editTrafficSplit(endpointNode);
  }

  // ---- Traffic ----

  async editTrafficSplit(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const endpoint = await this.endpointFrom(arg, clients, 'Edit the traffic split of which endpoint', (e) => e.deployedModels.length > 0);
    TrafficPanel.show(this.context, { endpoint, connection: this.connection, clients, onApplied: () => this.tree.refresh(), log: this.log });
  }

  async promoteCanary(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const endpoint = await this.endpointFrom(arg, clients, 'Promote the canary of which endpoint', (e) => canaryOf(e) !== undefined);
    const node = cloudNodeOf(arg);
    const id = await this.pickDeployed(endpoint, 'Promote which deployed model', node?.type === 'deployed' ? node.deployed.id : canaryOf(endpoint)?.id);
    const choice = await confirm(promoteConfirmation(endpoint, id, false), 'Promote and Undeploy Others');
    const undeployOthers = choice !== 'Promote';
    await withSteps(`Promoting on ${endpoint.displayName}`, 1, (steps) =>
      this.tree.whileBusy(nodeId({ type: 'endpoint', endpoint }), 'Promoting…', async () => {
        steps.step(1, 'Moving the traffic…');
        return this.connection.cloud().promoteCanary(clients, { endpoint: endpoint.name, deployedModelId: id, undeployOthers, onStep: (m) => steps.detail(m) }, steps.wait());
      }),
    );
    this.changed();
    void vscode.window.showInformationMessage(`Promoted ${deployedLabel(endpoint.deployedModels.find((d) => d.id === id) ?? { id, displayName: '', modelVersionId: '' })} to 100% of ${endpoint.displayName}.`);
  }

  async rollbackCanary(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const endpoint = await this.endpointFrom(arg, clients, 'Roll back the canary of which endpoint', (e) => canaryOf(e) !== undefined);
    const node = cloudNodeOf(arg);
    const id = await this.pickDeployed(endpoint, 'Roll back which deployed model', node?.type === 'deployed' ? node.deployed.id : canaryOf(endpoint)?.id);
    await confirm(rollbackConfirmation(endpoint, id));
    await withSteps(`Rolling back on ${endpoint.displayName}`, 1, (steps) =>
      this.tree.whileBusy(nodeId({ type: 'endpoint', endpoint }), 'Rolling back…', async () => {
        steps.step(1, 'Undeploying the canary…');
        return this.connection.cloud().rollbackCanary(clients, { endpoint: endpoint.name, deployedModelId: id }, steps.wait());
      }),
    );
    this.changed();
  }

  // ---- Undeploy and delete ----

  async undeployModel(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const endpoint = await this.endpointFrom(arg, clients, 'Undeploy from which endpoint', (e) => e.deployedModels.length > 0);
    const node = cloudNodeOf(arg);
    const id = await this.pickDeployed(endpoint, 'Undeploy which model', node?.type === 'deployed' ? node.deployed.id : undefined);
    await confirm(undeployConfirmation(endpoint, id));
    const deployed = endpoint.deployedModels.find((d) => d.id === id);
    const busyId = deployed ? nodeId({ type: 'deployed', endpoint, deployed }) : nodeId({ type: 'endpoint', endpoint });
    const after = await withSteps(`Undeploying from ${endpoint.displayName}`, 1, (steps) =>
      this.tree.whileBusy(busyId, 'Undeploying…', async () => {
        steps.step(1, `Undeploying ${deployed ? deployedLabel(deployed) : id}…`);
        return this.connection.cloud().undeployModel(clients, endpoint.name, id, steps.wait());
      }),
    );
    this.changed();
    void vscode.window.showInformationMessage(`Undeployed ${deployed ? deployedLabel(deployed) : id} from ${endpoint.displayName}; now ${describeSplit(after, fullSplit(after))}.`);
  }

  async deleteEndpoint(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const endpoint = await this.endpointFrom(arg, clients, 'Delete which endpoint');
    await confirm(deleteEndpointConfirmation(endpoint));
    await withSteps(`Deleting endpoint ${endpoint.displayName}`, 1, (steps) =>
      this.tree.whileBusy(nodeId({ type: 'endpoint', endpoint }), 'Deleting…', async () => {
        steps.step(1, endpoint.deployedModels.length ? 'Undeploying its models and deleting…' : 'Deleting…');
        await this.connection.cloud().deleteEndpoint(clients, endpoint.name, { undeployAll: true }, steps.wait());
      }),
    );
    this.changed();
  }

  async deleteModel(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const node = cloudNodeOf(arg);
    let model: ModelSummary;
    let versionId: string | undefined;
    if (node?.type === 'model') model = node.model;
    else if (node?.type === 'version') {
      model = node.version;
      versionId = node.version.versionId;
    } else {
      const models = await this.connection.cloud().listModels(clients);
      if (models.length === 0) throw new Error('No models to delete.');
      model = (await pick(models.map((m) => ({ label: m.displayName, description: `model ${m.id}`, m })), 'Delete which model')).m;
    }
    const cloud = this.connection.cloud();
    const [versions, endpoints] = await Promise.all([cloud.listModelVersions(clients, model.name), cloud.listEndpoints(clients)]);
    const confirmation = deleteModelConfirmation(model, versions, endpoints, versionId);
    if ('refusal' in confirmation) {
      void vscode.window.showWarningMessage(confirmation.refusal);
      return;
    }
    await confirm(confirmation);
    const target = versionId ? `${model.id}@${versionId}` : model.id;
    await withSteps(`Deleting ${model.displayName}${versionId ? ` v${versionId}` : ''}`, 1, (steps) =>
      this.tree.whileBusy(node ? nodeId(node) : nodeId({ type: 'model', model }), 'Deleting…', async () => {
        steps.step(1, 'Deleting…');
        await cloud.deleteModel(clients, target, steps.wait());
      }),
    );
    this.changed();
  }

  // ---- Predict ----

  async predict(arg: unknown): Promise<void> {
    const clients = await this.clients();
    const endpoint = await this.endpointFrom(arg, clients, 'Predict with which endpoint', (e) => e.deployedModels.length > 0);
    const runIds = endpoint.deployedModels.map((d) => this.tree.lastModels.find((m) => m.name === d.model)?.labels[RUN_LABEL]).filter((r): r is string => Boolean(r));
    const entries = await this.runs.runs();
    const folders = [
      ...entries.filter((e) => runIds.includes(e.record.id.toLowerCase())).map((e) => path.dirname(e.record.specPath)),
      ...entries.map((e) => path.dirname(e.record.specPath)),
      ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    ];
    PredictPanel.show(this.context, {
      endpoint,
      clients,
      connection: this.connection,
      sampleFolders: [...new Set(folders)],
      onPredicted: (deployedModelId) => void this.tree.recordPrediction(endpoint.id, deployedModelId),
      log: this.log,
    });
  }
}
