// Finding a browser for the browser tests on every platform, and failing
// (saying how to get one) rather than skipping where CI should have one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { browserMissingMessage, browserRequired, browserTestSkip, findBrowser } from '../../../scripts/browser.mjs';
import { REPO_ROOT } from '../../helpers/repoRoot';

const only = (...files: string[]) => (file: string): boolean => files.includes(file);

test('Windows: Chrome under Program Files, else Edge (which ships with Windows), with env names in any case', () => {
  const env = { PROGRAMFILES: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LocalAppData: 'C:\\Users\\ada\\AppData\\Local' };
  const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
  const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
  assert.equal(findBrowser({ platform: 'win32', env, home: 'C:\\Users\\ada', exists: only(chrome, edge) }), chrome);
  assert.equal(findBrowser({ platform: 'win32', env, home: 'C:\\Users\\ada', exists: only(edge) }), edge);
  const perUser = 'C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
  assert.equal(findBrowser({ platform: 'win32', env, home: 'C:\\Users\\ada', exists: only(perUser) }), perUser);
  assert.equal(findBrowser({ platform: 'win32', env: { Path: 'C:\\tools;D:\\chromium' }, home: 'C:\\Users\\ada', exists: only('D:\\chromium\\chrome.exe') }), 'D:\\chromium\\chrome.exe');
});

test('macOS: the app bundles in /Applications or ~/Applications', () => {
  const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  const mine = '/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium';
  assert.equal(findBrowser({ platform: 'darwin', env: {}, home: '/Users/ada', exists: only(chrome) }), chrome);
  assert.equal(findBrowser({ platform: 'darwin', env: {}, home: '/Users/ada', exists: only(mine) }), mine);
});

test('Linux: Debian’s chromium, Google Chrome, or a browser on PATH', () => {
  assert.equal(findBrowser({ platform: 'linux', env: {}, home: '/home/ada', exists: only('/usr/bin/chromium') }), '/usr/bin/chromium');
  assert.equal(findBrowser({ platform: 'linux', env: {}, home: '/home/ada', exists: only('/usr/bin/google-chrome-stable') }), '/usr/bin/google-chrome-stable');
  const onPath = '/opt/browsers/bin/chromium-browser';
  assert.equal(findBrowser({ platform: 'linux', env: { PATH: '/usr/local/bin:/opt/browsers/bin' }, home: '/home/ada', exists: only(onPath) }), onPath);
  assert.equal(findBrowser({ platform: 'linux', env: {}, home: '/home/ada', exists: () => false }), undefined);
});

test('$MODEL_STUDIO_BROWSER (then $CHROME_PATH) wins, and one that names no file is an error rather than a fallback', () => {
  const exists = only('/custom/chrome', '/usr/bin/chromium');
  assert.equal(findBrowser({ platform: 'linux', env: { MODEL_STUDIO_BROWSER: '/custom/chrome' }, home: '/h', exists }), '/custom/chrome');
  assert.equal(findBrowser({ platform: 'linux', env: { CHROME_PATH: '/custom/chrome' }, home: '/h', exists }), '/custom/chrome');
  assert.throws(() => findBrowser({ platform: 'linux', env: { MODEL_STUDIO_BROWSER: '/gone/chrome' }, home: '/h', exists }), /\/gone\/chrome \(from \$MODEL_STUDIO_BROWSER\) is not a file/);
});

test('a browser is required on CI and in `npm test`, not in a file run by hand', () => {
  assert.equal(browserRequired({ CI: 'true' }), true);
  assert.equal(browserRequired({ CI: '1' }), true);
  assert.equal(browserRequired({ CI: 'false' }), false);
  assert.equal(browserRequired({ MODEL_STUDIO_RUN_MARKER: 'model-studio-test-abc' }), true);
  assert.equal(browserRequired({}), false);
});

test('with no browser a hand-run file skips with how to get one; on CI it does not skip', () => {
  const none = { platform: 'darwin' as const, home: '/Users/ada', exists: (): boolean => false };
  assert.equal(browserTestSkip({ ...none, env: {} }), browserMissingMessage('darwin'));
  assert.equal(browserTestSkip({ ...none, env: { CI: 'true' } }), false);
  assert.equal(browserTestSkip({ platform: 'linux', env: {}, home: '/h', exists: only('/usr/bin/chromium') }), false);
});

test('the message says how to get a browser on each platform', () => {
  assert.match(browserMissingMessage('linux'), /apt-get install -y chromium/);
  assert.match(browserMissingMessage('darwin'), /brew install --cask chromium/);
  assert.match(browserMissingMessage('win32'), /Microsoft Edge/);
  for (const platform of ['linux', 'darwin', 'win32'] as const) assert.match(browserMissingMessage(platform), /MODEL_STUDIO_BROWSER/);
});

test('the dashboard browser test fails, naming the browser, when the one it was given is missing on CI', () => {
  // Without NODE_TEST_CONTEXT: with it, the child would report to this runner instead of exiting with its own status.
  const { NODE_TEST_CONTEXT: _context, ...outside } = process.env;
  const env = { ...outside, CI: 'true', MODEL_STUDIO_BROWSER: '/no/such/browser' };
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/unit/webview/dashboard/browser.test.ts'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
  assert.notEqual(run.status, 0, 'the browser test passed or skipped without a browser');
  assert.match(run.stdout + run.stderr, /\/no\/such\/browser \(from \$MODEL_STUDIO_BROWSER\) is not a file/);
  assert.doesNotMatch(run.stdout, /^# skipped [1-9]/m);
});
