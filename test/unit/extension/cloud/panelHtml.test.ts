import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelHtml } from '../../../../src/extension/cloud/panelHtml';

test('the traffic and prediction panels allow scripts and styles only by the page nonce, and no network', () => {
  const html = panelHtml({ cspSource: 'vscode-webview://x', scriptUri: 'vscode-webview://x/dist/webview/predict.js', title: 'Predict' });
  const csp = (/content="([^"]+)"/.exec(html)?.[1] ?? '').replace(/&#39;/g, "'");
  const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.ok(nonce.length >= 16, 'a real nonce');
  assert.match(csp, /default-src 'none'/);
  assert.ok(csp.includes(`script-src 'nonce-${nonce}'`));
  assert.ok(csp.includes(`style-src vscode-webview://x 'nonce-${nonce}'`));
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|https?:/);
});
