// Opens a real webview bundle (the dashboard, the experiments view) in
// headless Chromium inside the same HTML and CSP that the extension serves,
// with a fake VS Code host (webview/harness/fakeHost.ts,
// experimentsHost.ts). Shared by the browser tests and the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildDashboardHtml, createNonce } from '../../../../src/extension/dashboard/dashboardHtml';
import { REPO_ROOT } from '../../../helpers/repoRoot';
import { requireBrowser } from '../../../../scripts/browser.mjs';

export const ROOT = REPO_ROOT;
const ORIGIN = 'https://webview.test';

/** A page and its fake host: what to load, and the test hook that says it started. */
export interface PageKind {
  bundle: 'dashboard' | 'experiments';
  fakeHost: string;
  startedHook: string;
}

const DASHBOARD: PageKind = { bundle: 'dashboard', fakeHost: 'fakeHost.ts', startedHook: 'modelStudioDashboard' };
export const EXPERIMENTS: PageKind = { bundle: 'experiments', fakeHost: 'experimentsHost.ts', startedHook: 'modelStudioExperiments' };

export interface HarnessPage {
  browser: Browser;
  page: Page;
  /** Console errors, page errors and requests that tried to leave the page. */
  problems: string[];
  /** The value of `expression` in the page. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` from outside the page: Playwright's waitForFunction evals inside it, which the CSP forbids. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds dist/webview/NAME.js (a page's bundle) with the project's build script when it is missing or older than its sources. */
export function ensureWebviewBundle(bundle: PageKind['bundle'] | 'traffic' | 'predict' | 'batchResults'): void {
  const file = join(ROOT, 'dist', 'webview', `${bundle}.js`);
  const sources = Math.max(newestMtime(join(ROOT, 'webview')), newestMtime(join(ROOT, 'src', 'shared')));
  if (existsSync(file) && statSync(file).mtimeMs >= sources) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('scripts/build.mjs failed');
}

async function fakeHostScript(fakeHost: string): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'webview', 'harness', fakeHost)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

export async function openHarness(viewport = { width: 1280, height: 900 }, theme: 'dark' | 'light' | 'high-contrast' = 'dark'): Promise<HarnessPage> {
  return openPage(DASHBOARD, viewport, theme);
}

export async function openPage(kind: PageKind, viewport = { width: 1280, height: 900 }, theme: 'dark' | 'light' | 'high-contrast' = 'dark'): Promise<HarnessPage> {
  const executablePath = requireBrowser();
  ensureWebviewBundle(kind.bundle);
  const bundleUrl = `${ORIGIN}/dist/webview/${kind.bundle}.js`;
  const html = buildDashboardHtml({
    cspSource: ORIGIN,
    nonce: createNonce(),
    scriptUri: bundleUrl,
    title: `Model Studio ${kind.bundle} (harness)`,
    preludeScripts: [await fakeHostScript(kind.fakeHost), `harness.setTheme(${JSON.stringify(theme)});`],
  });
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const problems: string[] = [];
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  page.on('console', (message) => {
    // Chromium's advice about getImageData (the harness reads a pixel to time rasterising) is not a problem.
    if (message.text().includes('willReadFrequently')) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/index.html`) return route.fulfill({ contentType: 'text/html', body: html });
    if (url === bundleUrl) return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(ROOT, 'dist', 'webview', `${kind.bundle}.js`)) });
    if (!url.startsWith('data:')) problems.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(`window.${kind.startedHook} !== undefined && window.harness.posted.some((m) => m.type === "ready")`);
  const evaluate = async <T>(expression: string): Promise<T> => (await page.evaluate(expression)) as T;
  const waitFor = async (expression: string, timeoutMs = 15_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await evaluate<boolean>(`Boolean(${expression})`))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { browser, page, problems, evaluate, waitFor, close: () => browser.close() };
}
