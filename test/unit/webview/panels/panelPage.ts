// Opens the real traffic, prediction or batch results page (dist/webview/NAME.js) in headless
// Chromium, inside the HTML and CSP the extension serves (panelHtml), with a
// fake VS Code host (webview/harness/fakePanelHost.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml } from '../../../../src/extension/cloud/panelHtml';
import { ensureWebviewBundle, ROOT } from '../dashboard/harnessPage';
import { requireBrowser } from '../../../../scripts/browser.mjs';

const ORIGIN = 'https://webview.test';

export interface PanelPage {
  browser: Browser;
  page: Page;
  /** Console errors, page errors and requests that tried to leave the page. */
  problems: string[];
  close(): Promise<void>;
}

async function fakeHostScript(): Promise<string> {
  const result = await esbuild.build({ entryPoints: [join(ROOT, 'webview', 'harness', 'fakePanelHost.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  return result.outputFiles[0].text;
}

/** The page `name` at `viewport`, handed `messages` from the host once it says ready. */
export async function openPanel(name: 'traffic' | 'predict' | 'batchResults', viewport: { width: number; height: number }, messages: unknown[]): Promise<PanelPage> {
  ensureWebviewBundle(name);
  const bundle = join(ROOT, 'dist', 'webview', `${name}.js`);
  const html = panelHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/webview/${name}.js`, title: name, preludeScripts: [await fakeHostScript(), `for (const m of ${JSON.stringify(messages)}) panelHost.deliver(m);`] });
  const browser = await chromium.launch({ executablePath: requireBrowser(), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  const problems: string[] = [];
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/index.html`) return route.fulfill({ contentType: 'text/html', body: html });
    if (url === `${ORIGIN}/dist/webview/${name}.js`) return route.fulfill({ contentType: 'text/javascript', body: readFileSync(bundle) });
    if (!url.startsWith('data:')) problems.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto(`${ORIGIN}/index.html`);
  return { browser, page, problems, close: () => browser.close() };
}
