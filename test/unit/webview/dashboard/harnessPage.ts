// Opens the real dashboard bundle in headless Chromium inside the same HTML
// and CSP that the extension serves, with a fake VS Code host
// (webview/harness/fakeHost.ts). Shared by the browser test and the benchmark.
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
const BUNDLE = join(ROOT, 'dist', 'webview', 'dashboard.js');

export interface HarnessPage {
  browser: Browser;
  page: Page;
  /** Console errors, page errors and requests that tried to leave the page. */
  problems: string[];
  close(): Promise<void>;
}

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds dist/webview/dashboard.js with the project's build script when it is missing or older than its sources. */
export function ensureDashboardBundle(): void {
  ensureWebviewBundle('dashboard');
}

/** Builds dist/webview/NAME.js (the dashboard, traffic or predict page) when it is missing or older than its sources. */
export function ensureWebviewBundle(name: 'dashboard' | 'traffic' | 'predict'): void {
  const bundle = join(ROOT, 'dist', 'webview', `${name}.js`);
  const sources = Math.max(newestMtime(join(ROOT, 'webview', name)), newestMtime(join(ROOT, 'webview', 'shared')), newestMtime(join(ROOT, 'src', 'shared')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('scripts/build.mjs failed');
}

async function fakeHostScript(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'webview', 'harness', 'fakeHost.ts')],
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
  const executablePath = requireBrowser();
  ensureDashboardBundle();
  const html = buildDashboardHtml({
    cspSource: ORIGIN,
    nonce: createNonce(),
    scriptUri: `${ORIGIN}/dist/webview/dashboard.js`,
    title: 'Model Studio Dashboard (harness)',
    preludeScripts: [await fakeHostScript(), `harness.setTheme(${JSON.stringify(theme)});`],
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
    if (url === `${ORIGIN}/dist/webview/dashboard.js`) return route.fulfill({ contentType: 'text/javascript', body: readFileSync(BUNDLE) });
    if (!url.startsWith('data:')) problems.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction('window.modelStudioDashboard !== undefined && window.harness.posted.some((m) => m.type === "ready")');
  return { browser, page, problems, close: () => browser.close() };
}
