// CI smoke test of the README's `npm start`: runs it in this clone, waits for
// the URL, opens the workbench in headless Chromium and waits until Model
// Studio has activated (its "activated in" log line) and its Model Explorer
// shows in the side bar, then stops it with Ctrl+C (SIGINT) and checks that
// it exits promptly and that no process it started is left running.
// Usage: node .ci/startSmoke.mjs   (after the dependencies are installed:
// it drives the browser with playwright-core)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot as root } from '../scripts/ensureInstalled.mjs';
import { createRunScope, describeLeftovers } from '../scripts/leftovers.mjs';
import { freePort } from '../scripts/e2e/codeServer.mjs';
import { chromiumPath } from '../scripts/e2e/installCodeServer.mjs';

const READY_TIMEOUT_MS = 15 * 60_000; // first use installs code-server and builds the VSIX
const LOADED_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const logsDir = join(root, '.cache', 'start', 'user-data', 'logs');

function fail(message) {
  console.error(`start smoke: FAILED: ${message}`);
  process.exitCode = 1;
}

/** `npm start -- --port PORT` in its own process group, echoing its output; resolves the served URL. */
function startNpm(port, env) {
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli && /npm-cli\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  const child = spawn(command, [...args, 'start', '--', '--port', String(port)], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`npm start did not print its URL within ${READY_TIMEOUT_MS / 60_000} min`)), READY_TIMEOUT_MS);
    const onData = (chunk) => {
      process.stdout.write(chunk);
      seen = (seen + chunk.toString()).slice(-4000);
      const match = /Model Studio is ready: (http:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${signal ?? `code ${code}`}) before serving`));
    });
  });
  return { child, exited, url };
}

/** Every "Model Studio activated in N ms" line in the workbench logs, one per window load. */
function activationLines() {
  if (!existsSync(logsDir)) return [];
  const found = spawnSync('grep', ['-rhoE', 'Model Studio activated in [0-9.]+ ms', logsDir], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean);
}

async function waitFor(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Opens the workbench and waits for the extension: activated (log) and its view in the side bar. */
async function checkExtensionLoaded(url, earlierActivations) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const activated = await waitFor('a new "Model Studio activated" log line', async () => activationLines().slice(earlierActivations)[0], LOADED_TIMEOUT_MS);
    const item = page.locator('.activitybar .action-item a[aria-label^="Model Studio"], .activitybar .action-item[aria-label^="Model Studio"]').first();
    await item.waitFor({ state: 'visible', timeout: LOADED_TIMEOUT_MS });
    if ((await item.getAttribute('aria-expanded')) !== 'true' && (await item.getAttribute('aria-checked')) !== 'true') await item.click();
    const sideBar = await waitFor('the Model Explorer in the side bar', async () => {
      const text = await page.locator('.sidebar').innerText();
      return text.toUpperCase().includes('MODEL EXPLORER') && /Train Model|No runs yet/.test(text) ? text : undefined;
    }, LOADED_TIMEOUT_MS);
    console.log(`start smoke: ${activated}; side bar: ${sideBar.replace(/\s+/g, ' ').slice(0, 120)}`);
  } finally {
    await browser.close();
  }
}

const scope = createRunScope('model-studio-start-smoke-');
// Logs of an earlier `npm start` in this clone must not count.
const earlierActivations = activationLines().length;
const npm = startNpm(await freePort(), scope.env);
try {
  const url = await npm.url;
  await checkExtensionLoaded(url, earlierActivations);
  const stopAt = Date.now();
  process.kill(-npm.child.pid, 'SIGINT');
  const stopped = await Promise.race([npm.exited, new Promise((resolve) => setTimeout(() => resolve(undefined), STOP_TIMEOUT_MS))]);
  if (!stopped) fail(`npm start did not exit within ${STOP_TIMEOUT_MS / 1000} s of Ctrl+C`);
  else if (stopped.code !== 0) fail(`npm start exited with ${stopped.signal ?? `code ${stopped.code}`} after Ctrl+C, not 0`);
  else console.log(`start smoke: npm start stopped in ${Date.now() - stopAt} ms`);
  const leftovers = describeLeftovers(await scope.leftovers({ ignore: [/.*/] }), scope.dir);
  if (leftovers.length > 0) fail(`npm start left processes running after Ctrl+C:\n  ${leftovers.join('\n  ')}`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
  try {
    process.kill(-npm.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
} finally {
  await scope.cleanUp();
}
if (!process.exitCode) console.log('start smoke: passed');
