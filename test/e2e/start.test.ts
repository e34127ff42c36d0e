// The README's `npm start`, run as a user runs it in this checkout (in CI a
// clean clone, whose dependencies `npm test` has just installed): it serves
// VS Code with Model Studio on examples/mnist, the extension activates when
// the workbench opens and shows its Model Explorer, and Ctrl+C stops it
// promptly with nothing left running. Screenshot: test/e2e/screenshots/start-*.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../scripts/e2e/codeServer.mjs';
import { MARKER, createRunScope, waitForMarkedProcesses } from '../../scripts/leftovers.mjs';
import { chromiumPath, repoRoot, screenshotDir } from './environment';
import { launchBrowser, waitFor, Workbench } from './workbench';

// The first use installs code-server and packages the extension.
const READY_TIMEOUT_MS = 15 * 60_000;
const logsDir = join(repoRoot, '.cache', 'start', 'user-data', 'logs');

interface NpmStart {
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** `npm start -- --port PORT` in its own process group (as a terminal runs it), echoing its output. */
function npmStart(port: number, env: NodeJS.ProcessEnv): NpmStart {
  const npmCli = process.env.npm_execpath;
  const [command, prefix] = npmCli && /^npm-cli\.[cm]?js$/.test(basename(npmCli)) ? [process.execPath, [npmCli]] : ['npm', []];
  const child = spawn(command, [...prefix, 'start', '--', '--port', String(port)], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within ${READY_TIMEOUT_MS / 60_000} min:\n${output.slice(-3000)}`)), READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      const match = /Model Studio is ready: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${signal ?? `code ${code}`}) before serving:\n${output.slice(-3000)}`));
    });
  });
  url.catch(() => undefined);
  return { child, url, exited, output: () => output };
}

/** One log folder per code-server start; those from earlier starts must not count. */
function logFolders(): string[] {
  return existsSync(logsDir) ? readdirSync(logsDir) : [];
}

function newActivationLine(earlier: string[]): string | undefined {
  const folders = logFolders().filter((name) => !earlier.includes(name)).map((name) => join(logsDir, name));
  if (folders.length === 0) return undefined;
  const found = spawnSync('grep', ['-rhoE', 'Model Studio activated in [0-9.]+ ms', ...folders], { encoding: 'utf8' });
  return found.stdout.split('\n').find(Boolean);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

test('npm start serves VS Code with Model Studio loaded, and Ctrl+C stops it with nothing left running', { timeout: READY_TIMEOUT_MS + 5 * 60_000 }, async (t) => {
  const scope = createRunScope('ms-npm-start-');
  const earlierLogs = logFolders();
  const npm = npmStart(await freePort(), scope.env);
  t.after(async () => {
    killGroup(npm.child, 'SIGKILL');
    await scope.cleanUp();
  });

  const url = await npm.url;
  const browser = await launchBrowser(chromiumPath);
  const wb = new Workbench(await browser.newPage({ viewport: { width: 1280, height: 800 } }), screenshotDir);
  try {
    await wb.open(url);
    const activated = await waitFor('the "Model Studio activated" line in the extension log', async () => newActivationLine(earlierLogs), 120_000, 500);
    assert.match(activated, /Model Studio activated in [0-9.]+ ms/);
    await wb.openActivity('Model Studio');
    // The welcome content that offers training appears only once the extension has looked for specs.
    const sideBar = await waitFor('the Model Explorer offering to train the example', async () => {
      const text = await wb.sideBarText();
      return text.toUpperCase().includes('MODEL EXPLORER') && text.includes('Train Model') ? text : undefined;
    }, 60_000);
    assert.match(sideBar, /No runs yet/);
    await wb.screenshot('start-1-model-explorer');
  } catch (error) {
    await wb.screenshot('failed-start').catch(() => undefined);
    throw error;
  } finally {
    await browser.close();
  }

  // Ctrl+C in a terminal signals the whole foreground process group.
  const stopAt = Date.now();
  killGroup(npm.child, 'SIGINT');
  const stopped = await Promise.race([npm.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000))]);
  assert.ok(stopped, `npm start still running 20 s after Ctrl+C:\n${npm.output().slice(-2000)}`);
  // npm re-raises the SIGINT it got (a shell shows 130); the script under it must report a clean stop.
  assert.ok(stopped.code === 0 || stopped.code === 130 || stopped.signal === 'SIGINT', `npm start ended with ${stopped.signal ?? stopped.code}`);
  assert.match(npm.output(), /Model Studio stopped/);
  assert.ok(Date.now() - stopAt < 15_000, `stopped in ${Date.now() - stopAt} ms`);
  const left = await waitForMarkedProcesses(String(scope.env[MARKER]), 5000);
  assert.deepEqual(left, [], 'every process npm start started has ended');
});
