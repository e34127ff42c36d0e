// The extension's link to the cloud: which target is chosen (the settings
// modelStudio.cloud.project/region), the lazily loaded cloud bundle
// (dist/cloud.js), one set of clients per target, and the local sandbox:
// started on demand through the CLI (`model-studio sandbox start --detach`,
// never inside the extension host) and stopped by a shutdown request.
//
// Idle stop: the extension starts the sandbox with --idle-minutes (the
// setting modelStudio.cloud.sandboxIdleMinutes), and the sandbox stops itself
// after that long without a request. The clock lives in the sandbox because
// only the sandbox sees every client (each window, the CLI, scripts) and it
// keeps counting after VS Code quits or crashes; a timer in the extension
// would die with its window, or stop a sandbox that a terminal still uses.
// A sandbox started from the CLI without the flag runs until stopped.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { CloudClients, CloudConfig } from '../../cloud';
import { stopSandbox } from '../../core/sandboxControl';
import { defaultSandboxDir, readSandboxInfo, type SandboxInfo } from '../../core/sandboxInfo';
import { UserError } from '../../shared/errors';
import type { Log } from '../log';
import type * as CloudHost from './cloudHost';
import { PRICES, usePrices } from './prices';
import { trainingPricesOf } from '../../shared/vertexTraining';
import { resolveTarget, sameTarget, TARGET_STATE_KEY, targetLabel, type CloudTarget } from './target';

/** The context key menus use to offer Stop (running) or Start (not running). */
export const SANDBOX_RUNNING_CONTEXT = 'modelStudio.sandboxRunning';
const DEFAULT_IDLE_MINUTES = 30;

export type CloudModule = typeof CloudHost;

/** Thrown when the target is the sandbox, it is not running, and the caller did not ask to start it. */
export class SandboxNotRunning extends Error {
  override readonly name = 'SandboxNotRunning';
  constructor() {
    super('The local sandbox is not running');
  }
}

export class CloudConnection implements vscode.Disposable {
  private module: CloudModule | undefined;
  private current: { key: string; clients: Promise<CloudClients> } | undefined;
  private starting: Promise<SandboxInfo> | undefined;
  private lastTarget: CloudTarget;
  private sandboxKey: string | undefined;
  private readonly changed = new vscode.EventEmitter<CloudTarget>();
  readonly onDidChangeTarget = this.changed.event;
  private readonly sandboxChanged = new vscode.EventEmitter<SandboxInfo | undefined>();
  /** The sandbox started or stopped (seen by checkSandbox()). */
  readonly onDidChangeSandbox = this.sandboxChanged.event;
  private readonly pricesChanged = new vscode.EventEmitter<void>();
  /** The target region's prices arrived (the tree's cost hints change). */
  readonly onDidChangePrices = this.pricesChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.sandboxChanged, this.pricesChanged];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.lastTarget = this.target;
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modelStudio.cloud.project') || e.affectsConfiguration('modelStudio.cloud.region')) void this.targetMayHaveChanged();
        if (e.affectsConfiguration('modelStudio.cloud.sandboxDataDir')) this.checkSandbox();
      }),
    );
    this.checkSandbox();
  }

  get target(): CloudTarget {
    const config = vscode.workspace.getConfiguration('modelStudio.cloud');
    const project = config.inspect<string>('project');
    const set = project?.workspaceFolderValue ?? project?.workspaceValue ?? project?.globalValue;
    return resolveTarget({ project: set, region: config.get<string>('region') }, this.context.workspaceState.get(TARGET_STATE_KEY));
  }

  /** Writes the target into the settings: the workspace's when a folder is open, else the user's. */
  async setTarget(target: CloudTarget): Promise<void> {
    if (sameTarget(target, this.target)) return;
    const scope = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('modelStudio.cloud');
    if (target.kind === 'project') {
      await config().update('region', target.region, scope);
      await config().update('project', target.project, scope);
    } else {
      // Leave no empty entry behind unless a wider scope names a project.
      await config().update('project', undefined, scope);
      if (this.target.kind === 'project' && config().get<string>('project', '').trim()) await config().update('project', '', scope);
    }
    await this.context.workspaceState.update(TARGET_STATE_KEY, undefined);
    await this.targetMayHaveChanged();
  }

  private async targetMayHaveChanged(): Promise<void> {
    const target = this.target;
    if (sameTarget(target, this.lastTarget)) return;
    this.lastTarget = target;
    await this.closeClients();
    this.log.info(`Cloud target: ${targetLabel(target)}`);
    this.changed.fire(target);
  }

  /** The cloud bundle, loaded on first use (about a second: gRPC and the Google libraries). */
  cloud(): CloudModule {
    if (!this.module) {
      const started = Date.now();
      // A computed path, so esbuild leaves it alone and the extension bundle stays small.
      const bundle = this.context.asAbsolutePath('dist/cloud.js');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path on purpose
      this.module = require(bundle) as CloudModule;
      this.log.info(`Loaded the cloud layer in ${Date.now() - started} ms`);
    }
    return this.module;
  }

  sandboxDir(): string {
    const configured = vscode.workspace.getConfiguration('modelStudio.cloud').get<string>('sandboxDataDir', '');
    return configured ? resolve(configured) : defaultSandboxDir();
  }

  sandboxInfo(): SandboxInfo | undefined {
    return readSandboxInfo(this.sandboxDir());
  }

  /** Reads sandbox.json again; fires onDidChangeSandbox and sets the context key when the sandbox started or stopped. */
  checkSandbox(): SandboxInfo | undefined {
    const info = this.sandboxInfo();
    const key = info ? `${info.pid} ${info.apiEndpoint}` : 'stopped';
    if (key !== this.sandboxKey) {
      const first = this.sandboxKey === undefined;
      this.sandboxKey = key;
      void vscode.commands.executeCommand('setContext', SANDBOX_RUNNING_CONTEXT, info !== undefined);
      if (!first) {
        this.log.info(info ? `Local sandbox running (pid ${info.pid}) at ${info.apiEndpoint}` : 'The local sandbox stopped');
        this.sandboxChanged.fire(info);
      }
    }
    return info;
  }

  /** Starts the sandbox in the background with the bundled CLI and waits until it listens. */
  async startSandbox(): Promise<SandboxInfo> {
    const running = this.sandboxInfo();
    if (running) return running;
    this.starting ??= this.spawnSandbox().finally(() => {
      this.starting = undefined;
      this.checkSandbox();
    });
    return this.starting;
  }

  /** Asks the running sandbox to shut down and waits until it has; false when none was running. */
  async stopSandbox(): Promise<boolean> {
    const info = this.sandboxInfo();
    if (!info) return false;
    this.log.info(`Stopping the local sandbox (pid ${info.pid}) with a shutdown request`);
    await this.closeClients();
    try {
      await stopSandbox(info);
    } finally {
      this.checkSandbox();
    }
    return true;
  }

  private spawnSandbox(): Promise<SandboxInfo> {
    const cli = this.context.asAbsolutePath('dist/cli.js');
    const idleMinutes = vscode.workspace.getConfiguration('modelStudio.cloud').get<number>('sandboxIdleMinutes', DEFAULT_IDLE_MINUTES);
    const args = [cli, 'sandbox', 'start', '--detach', '--json', '--data-dir', this.sandboxDir(), '--idle-minutes', String(Math.max(0, Number(idleMinutes) || 0))];
    this.log.info(`Starting the local sandbox: ${args.join(' ')}`);
    return new Promise<SandboxInfo>((done, fail) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', (error) => fail(new Error(`Could not start the local sandbox: ${error.message}`)));
      child.once('exit', (code) => {
        const info = this.sandboxInfo();
        if (code === 0 && info) {
          this.log.info(`Started the local sandbox (pid ${info.pid}) at ${info.apiEndpoint}, storage ${info.storageEndpoint}, data ${info.dataDir}`);
          done(info);
        } else {
          const message = `The local sandbox did not start (exit ${code}): ${(stderr || stdout).trim().split('\n').pop() ?? ''}`;
          // Exit 2: the CLI's one-line UserError (e.g. a damaged state file to delete) is the user's to fix.
          fail(code === 2 ? new UserError(message) : new Error(message));
        }
      });
    });
  }

  /**
   * Clients for the current target. For the sandbox: when it is not running,
   * starts it if `start`, else throws SandboxNotRunning. For a project: checks
   * the Application Default Credentials (a CredentialsError when there are none).
   */
  async clients(options: { start: boolean }): Promise<CloudClients> {
    const target = this.target;
    let config: CloudConfig;
    if (target.kind === 'sandbox') {
      let info = this.sandboxInfo();
      if (!info) {
        if (!options.start) throw new SandboxNotRunning();
        info = await this.startSandbox();
      }
      config = { project: info.project, region: info.region, apiEndpoint: info.apiEndpoint, storageEndpoint: info.storageEndpoint, insecure: true };
    } else {
      config = { project: target.project, region: target.region, insecure: false };
    }
    const key = JSON.stringify(config);
    if (this.current?.key !== key) {
      await this.closeClients();
      const cloud = this.cloud();
      const clients = cloud.CloudClients.connect(config);
      this.current = { key, clients };
      this.refreshPrices(config, clients);
      // A failed connect (no credentials) is retried on the next call.
      clients.catch(() => {
        if (this.current?.clients === clients) this.current = undefined;
      });
    }
    return this.current.clients;
  }

  /** The target region's prices from the Billing Catalog (cached a week); the bundled table stays until they arrive, or when they cannot be read. */
  private refreshPrices(config: CloudConfig, clients: Promise<CloudClients>): void {
    const cloud = this.cloud();
    void cloud
      .loadPrices({ region: config.region, fetch: cloud.billingFetch(config), cacheFile: vscode.Uri.joinPath(this.context.globalStorageUri, 'prices.json').fsPath, bundled: PRICES })
      .then(async (table) => {
        usePrices(table);
        // Training jobs' costs so far, priced like the pickers (the catalog's training SKUs, or the bundled fallback).
        await clients.then((c) => (c.trainingPrices = trainingPricesOf(table))).catch(() => undefined);
        this.pricesChanged.fire();
      })
      .catch(() => undefined);
  }

  private async closeClients(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    if (old) await old.clients.then((c) => c.close()).catch(() => undefined);
  }

  dispose(): void {
    void this.closeClients();
    for (const d of this.disposables) d.dispose();
  }
}
