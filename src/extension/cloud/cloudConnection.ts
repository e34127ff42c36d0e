// The extension's link to the cloud: which target is chosen (remembered per
// workspace), the lazily loaded cloud bundle (dist/cloud.js), one set of
// clients per target, and the local sandbox started on demand through the
// CLI (`model-studio sandbox start --detach`), never inside the extension host.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { CloudClients, CloudConfig } from '../../cloud';
import { defaultSandboxDir, readSandboxInfo, type SandboxInfo } from '../../core/sandboxInfo';
import { UserError } from '../../shared/errors';
import type { Log } from '../log';
import type * as CloudHost from './cloudHost';
import { parseStoredTarget, sameTarget, TARGET_STATE_KEY, targetLabel, type CloudTarget } from './target';

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
  private readonly changed = new vscode.EventEmitter<CloudTarget>();
  readonly onDidChangeTarget = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  get target(): CloudTarget {
    return parseStoredTarget(this.context.workspaceState.get(TARGET_STATE_KEY));
  }

  async setTarget(target: CloudTarget): Promise<void> {
    if (sameTarget(target, this.target)) return;
    await this.context.workspaceState.update(TARGET_STATE_KEY, target);
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

  /** Starts the sandbox in the background with the bundled CLI and waits until it listens. */
  async startSandbox(): Promise<SandboxInfo> {
    const running = this.sandboxInfo();
    if (running) return running;
    this.starting ??= this.spawnSandbox().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private spawnSandbox(): Promise<SandboxInfo> {
    const cli = this.context.asAbsolutePath('dist/cli.js');
    const args = [cli, 'sandbox', 'start', '--detach', '--json', '--data-dir', this.sandboxDir()];
    this.log.info(`Starting the local sandbox: ${args.join(' ')}`);
    return new Promise<SandboxInfo>((done, fail) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', (error) => fail(new Error(`Could not start the local sandbox: ${error.message}`)));
      child.once('exit', (code) => {
        const info = this.sandboxInfo();
        if (code === 0 && info) {
          this.log.info(`Local sandbox running (pid ${info.pid}) at ${info.apiEndpoint}, storage ${info.storageEndpoint}`);
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
      // A failed connect (no credentials) is retried on the next call.
      clients.catch(() => {
        if (this.current?.clients === clients) this.current = undefined;
      });
    }
    return this.current.clients;
  }

  private async closeClients(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    if (old) await old.clients.then((c) => c.close()).catch(() => undefined);
  }

  dispose(): void {
    void this.closeClients();
    this.changed.dispose();
  }
}
