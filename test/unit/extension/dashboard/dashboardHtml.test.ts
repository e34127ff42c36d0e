import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboardHtml, createNonce, dashboardCsp } from '../../../../src/extension/dashboard/dashboardHtml';
import { REPO_ROOT } from '../../../helpers/repoRoot';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function page(nonce = createNonce(), preludeScripts?: string[]): string {
  return buildDashboardHtml({ cspSource: CSP_SOURCE, nonce, scriptUri: `${CSP_SOURCE}/ext/dist/webview/dashboard.js`, title: 'Dashboard <run>', preludeScripts });
}

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta tag');
  return match[1].replace(/&#39;/g, "'");
}

test("the CSP denies everything by default and allows scripts only by nonce: no 'unsafe-eval', no 'unsafe-inline', no network", () => {
  const nonce = createNonce();
  const csp = cspOf(page(nonce));
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], [`'nonce-${nonce}'`]);
  assert.deepEqual(directives['style-src'], [CSP_SOURCE, `'nonce-${nonce}'`]);
  assert.deepEqual(directives['img-src'], [CSP_SOURCE, 'data:']);
  assert.deepEqual(directives['font-src'], [CSP_SOURCE]);
  assert.equal(directives['connect-src'], undefined, 'no fetch or websocket anywhere');
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*|https?:\/\/(?!file\+)/);
  assert.equal(csp, dashboardCsp(CSP_SOURCE, nonce));
});

test('every script and style element carries the nonce', () => {
  const nonce = createNonce();
  const html = page(nonce, ['window.fake = 1;']);
  const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
  assert.ok(tags.length >= 2);
  for (const tag of tags) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /style="/, 'no inline style attributes');
});

test('nonces are 128 random bits, different every time', () => {
  const nonces = new Set(Array.from({ length: 100 }, createNonce));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
});

test('the title is escaped and a prelude cannot close its script element early', () => {
  const html = page(createNonce(), ['const s = "</script><script>alert(1)</script>";']);
  assert.match(html, /<title>Dashboard &#60;run&#62;<\/title>/);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
});

test('the built webview bundle contains no eval and no Function constructor', { skip: !existsSync(join(REPO_ROOT, 'dist/webview/dashboard.js')) && 'dist/webview/dashboard.js is not built' }, () => {
  const bundle = readFileSync(join(REPO_ROOT, 'dist/webview/dashboard.js'), 'utf8');
  assert.doesNotMatch(bundle, /\beval\s*\(/);
  assert.doesNotMatch(bundle, /new\s+Function\s*\(/);
  assert.doesNotMatch(bundle, /https?:\/\/[^\s"'`]*\.(js|css|woff2?)\b/, 'loads nothing from the network');
});
