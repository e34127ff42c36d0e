// The page of the traffic and prediction panels: one nonce'd script from
// dist/webview/, a CSP that allows nothing else (styles only with the same
// nonce, images only as data: URLs for the canvas thumbnails). No vscode import.
import { createNonce, escapeHtml } from '../dashboard/dashboardHtml';

export function panelHtml(options: {
  cspSource: string;
  scriptUri: string;
  title: string;
  /** Nonce'd scripts that run before the page's own (the browser tests' fake VS Code host). */
  preludeScripts?: string[];
}): string {
  const nonce = createNonce();
  const prelude = (options.preludeScripts ?? []).map((code) => `<script nonce="${escapeHtml(nonce)}">${code.replace(/<\/script/gi, '<\\/script')}</script>`).join('\n    ');
  const csp = ["default-src 'none'", `img-src ${options.cspSource} data:`, `style-src ${options.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `font-src ${options.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body>
    <main id="app"><p>Loading…</p></main>
    ${prelude}
    <script nonce="${escapeHtml(nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
  </body>
</html>
`;
}
