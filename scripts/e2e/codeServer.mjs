// Launch helpers for code-server, shared by `npm start` and the end-to-end
// tests: install a VSIX into an extensions folder, serve a workspace on
// 127.0.0.1, and stop everything again.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function collect(child) {
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

/**
 * Installs a VSIX with code-server's own CLI (the same path a user takes),
 * into `extensionsDir`. Rejects with code-server's output when it fails.
 */
export function installExtension({ bin, vsix, extensionsDir, userDataDir }) {
  mkdirSync(extensionsDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [bin, '--install-extension', vsix, '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = collect(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && /successfully installed|already installed/i.test(output())) resolve(output());
      else reject(new Error(`installing ${vsix} failed (exit ${code}):\n${output()}`));
    });
  });
}

/** User settings that keep the workbench quiet and predictable for demos and tests. */
export function writeUserSettings(userDataDir, settings = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const defaults = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    // Trainers and servers open ports; a "port forwarded" toast would cover the test's view.
    'remote.autoForwardPorts': false,
    'workbench.colorTheme': 'Default Dark Modern',
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...defaults, ...settings }, null, 2));
}

/**
 * Serves `folder` with code-server on 127.0.0.1:port and resolves once it
 * answers HTTP. The returned `stop()` ends the process group and waits.
 */
export async function startCodeServer({ bin, folder, port, extensionsDir, userDataDir, env = {}, timeoutMs = 60000 }) {
  const child = spawn(
    process.execPath,
    [
      bin,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--config',
      join(userDataDir, 'code-server.yaml'),
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      folder,
    ],
    // Own process group, so stop() also ends the extension host and the trainers it forked.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } },
  );
  const output = collect(child);
  let exited = false;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
    child.on('error', (error) => {
      exited = true;
      resolve({ code: null, signal: null, error });
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited before serving:\n${output()}`);
    try {
      const response = await fetch(`${url}healthz`);
      if (response.ok) return { url, child, stop, output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}
