// The dashboard's (and the experiments view's) page: one script, no inline code but a nonce'd bootstrap, and
// a CSP that allows nothing else (no network, no eval). Kept free of `vscode`
// so tests and the benchmark harness build the very same page.
import { randomBytes } from 'node:crypto';

export interface DashboardHtmlOptions {
  /** `webview.cspSource`: the origin that serves local resources to the webview. */
  cspSource: string;
  /** A fresh value per page load, from `createNonce()`. */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/dashboard.js)`, as a string. */
  scriptUri: string;
  title: string;
  /** Shown until the script draws the page; default "Loading the dashboard…". */
  loadingText?: string;
  /** Extra nonce'd scripts that must run before the dashboard (the bench's fake host). */
  preludeScripts?: string[];
}

/** 128 random bits, base64: a CSP nonce nobody can guess. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function dashboardCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function buildDashboardHtml(options: DashboardHtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  const prelude = (options.preludeScripts ?? [])
    .map((code) => `<script nonce="${nonce}">${code.replace(/<\/script/gi, '<\\/script')}</script>`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(dashboardCsp(options.cspSource, options.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body>
    <main id="app" aria-live="polite"><p class="loading">${escapeHtml(options.loadingText ?? 'Loading the dashboard…')}</p></main>
    ${prelude}
    <script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
  </body>
</html>
`;
}
