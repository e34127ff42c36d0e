// Install Native TensorFlow Backend: `npm install @tensorflow/tfjs-node[-gpu]`
// into the extension's global storage, where the trainer looks for it
// (MODEL_STUDIO_NATIVE_DIR). Nothing is loaded into the extension host: the
// check that it loads runs in a child process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserCancelledError, UserError } from '../../shared/errors';
import { detectCudaGpu } from '../../core/backend/gpu';
import { NATIVE_DIR_ENV } from '../../core/backend/searchDirs';
import { killProcessTree, treeSpawnOptions } from '../../core/processTree';
import type { Log } from '../log';
import { describeNpmFailure, type NativePackage } from './npmFailure';
import { nativeChoices } from './nativeChoices';

/** Must match the @tensorflow/tfjs version bundled in the trainer. */
const TFJS_VERSION = '4.22.0';
const PACKAGES: readonly NativePackage[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

export class NativeBackend {
  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: Log,
  ) {}

  get dir(): string {
    return path.join(this.storage.fsPath, 'native');
  }

  installed(): NativePackage | undefined {
    return PACKAGES.find((pkg) => existsSync(path.join(this.dir, 'node_modules', pkg, 'package.json')));
  }

  /** Environment for trainer processes: where to find the native backend once installed. */
  env(): NodeJS.ProcessEnv {
    return this.installed() ? { [NATIVE_DIR_ENV]: this.dir } : {};
  }

  async install(): Promise<void> {
    const options = nativeChoices(process.platform, await detectCudaGpu());
    const choice = await vscode.window.showQuickPick(options, {
      title: 'Install Native TensorFlow Backend',
      ignoreFocusOut: true,
      placeHolder: 'Downloads about 300 MB from the npm registry and Google storage',
    });
    if (!choice) throw new UserCancelledError();
    const pkg = choice.pkg;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Installing ${pkg}`, cancellable: true },
      async (progress, token) => {
        await this.npmInstall(pkg, progress, token);
        progress.report({ message: 'checking that it loads…' });
        await this.checkLoads(pkg);
      },
    );
    this.log.info(`${pkg} installed in ${this.dir}; new trainings use it`);
    void vscode.window.showInformationMessage(`${pkg} is installed: new trainings with backend "auto" or "tensorflow" use it.`);
  }

  private npmInstall(pkg: NativePackage, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    // npm 11 blocks dependency install scripts unless allowed; tfjs-node's fetches libtensorflow.
    writeFileSync(
      path.join(this.dir, 'package.json'),
      JSON.stringify({ name: 'model-studio-native', private: true, allowScripts: { [pkg]: true } }, null, 2),
    );
    const args = ['install', '--no-audit', '--no-fund', '--omit=dev', `${pkg}@${TFJS_VERSION}`];
    this.log.info(`npm ${args.join(' ')} (in ${this.dir})`);
    const windows = process.platform === 'win32';
    // npm.cmd runs only through cmd.exe: the install is a tree, ended as one on cancel.
    const child = spawn(windows ? 'npm.cmd' : 'npm', args, { cwd: this.dir, shell: windows, ...treeSpawnOptions(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output = (output + text).slice(-20000);
      for (const line of text.split('\n').filter((l) => l.trim())) {
        this.log.debug(`npm: ${line}`);
        progress.report({ message: line.trim().slice(0, 80) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const cancel = token.onCancellationRequested(() => {
      if (child.pid !== undefined) killProcessTree(child.pid);
    });
    return new Promise<void>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) => {
        cancel.dispose();
        reject(
          error.code === 'ENOENT'
            ? new UserError('npm was not found on PATH: install Node.js 20 or later (it brings npm) and retry.')
            : new Error(`npm could not start: ${error.message}`),
        );
      });
      child.on('close', (code) => {
        cancel.dispose();
        if (token.isCancellationRequested) return reject(new UserCancelledError());
        if (code === 0 && existsSync(path.join(this.dir, 'node_modules', pkg, 'package.json'))) return resolve();
        this.log.error(`npm install ${pkg} failed (exit ${code}):\n${output}`);
        reject(new UserError(describeNpmFailure(pkg, output, code)));
      });
    });
  }

  /** Loads the package in a throwaway Node process: a broken native library fails here, not mid-training. */
  private checkLoads(pkg: NativePackage): Promise<void> {
    const entry = path.join(this.dir, 'node_modules', pkg);
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(entry)})`], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
      windowsHide: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    return new Promise((resolve, reject) => {
      child.on('error', (error) => reject(new Error(`Could not check ${pkg}: ${error.message}`)));
      child.on('close', (code) => {
        if (code === 0) return resolve();
        this.log.error(`${pkg} does not load:\n${stderr}`);
        const line = stderr.split('\n').find((l) => /Error/.test(l))?.trim();
        reject(new UserError(`${pkg} installed but does not load${line ? `: ${line.slice(0, 200)}` : ''}. See the log; training keeps using WebAssembly.`));
      });
    });
  }
}
