// Finds a Chromium-based browser for the tests that drive one (the dashboard
// harness, the end-to-end suites), per platform: $MODEL_STUDIO_BROWSER, then
// $CHROME_PATH, then the usual install places of Chromium, Chrome and Edge,
// then the programs on PATH, then browsers that Playwright downloaded. Where
// CI should have a browser (CI set, or a run of `npm test`), a test that
// needs one fails with how to get one; it skips only in a hand-run file.
// Only node built-ins: `npm test` may import it before npm packages exist.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

export const BROWSER_ENV = 'MODEL_STUDIO_BROWSER';
/** Set by scripts/test.mjs (leftovers.mjs) in every test it runs. */
const NPM_TEST_MARKER = 'MODEL_STUDIO_RUN_MARKER';

/** Windows environment names are case-insensitive; an injected env object is not. */
function envValue(env, name) {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined || env[key] === '' ? undefined : env[key];
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function listDir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Chromium builds that `npx playwright-core install chromium` put in its cache, newest first. */
function playwrightBrowsers(platform, env, home, p) {
  const cache =
    envValue(env, 'PLAYWRIGHT_BROWSERS_PATH') ??
    (platform === 'win32'
      ? p.join(envValue(env, 'LOCALAPPDATA') ?? p.join(home, 'AppData', 'Local'), 'ms-playwright')
      : platform === 'darwin'
        ? p.join(home, 'Library', 'Caches', 'ms-playwright')
        : p.join(envValue(env, 'XDG_CACHE_HOME') ?? p.join(home, '.cache'), 'ms-playwright'));
  const inside =
    platform === 'win32'
      ? [['chrome-win', 'chrome.exe'], ['chrome-win64', 'chrome.exe']]
      : platform === 'darwin'
        ? [['chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'], ['chrome-mac-arm64', 'Chromium.app', 'Contents', 'MacOS', 'Chromium']]
        : [['chrome-linux', 'chrome'], ['chrome-linux64', 'chrome']];
  return listDir(cache)
    .filter((name) => /^chromium-\d+$/.test(name))
    .sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)))
    .flatMap((dir) => inside.map((parts) => p.join(cache, dir, ...parts)));
}

/**
 * Where to look, in order, on `platform`: `named` by the environment, then
 * the `others`. The platform, environment and home are injectable so that
 * tests cover Windows, macOS and Linux on one machine.
 */
export function browserCandidates({ platform = process.platform, env = process.env, home = homedir() } = {}) {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const named = [envValue(env, BROWSER_ENV), envValue(env, 'CHROME_PATH')].filter(Boolean);
  let installed;
  let programs;
  if (platform === 'win32') {
    const roots = [envValue(env, 'ProgramFiles') ?? 'C:\\Program Files', envValue(env, 'ProgramFiles(x86)') ?? 'C:\\Program Files (x86)', envValue(env, 'LOCALAPPDATA')].filter(Boolean);
    installed = roots.flatMap((root) => [
      p.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      p.join(root, 'Chromium', 'Application', 'chrome.exe'),
      p.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
    programs = ['chrome.exe', 'msedge.exe'];
  } else if (platform === 'darwin') {
    installed = ['/Applications', p.join(home, 'Applications')].flatMap((apps) => [
      p.join(apps, 'Google Chrome.app', 'Contents', 'MacOS', 'Google Chrome'),
      p.join(apps, 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
      p.join(apps, 'Microsoft Edge.app', 'Contents', 'MacOS', 'Microsoft Edge'),
    ]);
    programs = [];
  } else {
    installed = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/usr/bin/microsoft-edge', '/opt/google/chrome/chrome'];
    programs = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  }
  const pathDirs = (envValue(env, 'PATH') ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const onPath = programs.flatMap((program) => pathDirs.map((dir) => p.join(dir, program)));
  const downloaded = playwrightBrowsers(platform, env, home, p);
  return { named, others: [...new Set([...installed, ...onPath, ...downloaded])] };
}

/** The browser to drive, or undefined. A named one ($MODEL_STUDIO_BROWSER, $CHROME_PATH) that is missing is an error, not a fallback. */
export function findBrowser({ platform = process.platform, env = process.env, home = homedir(), exists = isFile } = {}) {
  const { named, others } = browserCandidates({ platform, env, home });
  if (named.length > 0) {
    if (exists(named[0])) return named[0];
    throw new Error(`${named[0]} (from $${envValue(env, BROWSER_ENV) ? BROWSER_ENV : 'CHROME_PATH'}) is not a file: point it at a Chromium-based browser's executable`);
  }
  return others.find(exists);
}

/** How to get a browser on `platform`, in one line. */
export function browserMissingMessage(platform = process.platform) {
  const install =
    platform === 'win32'
      ? 'install Google Chrome, or repair Microsoft Edge (it ships with Windows)'
      : platform === 'darwin'
        ? 'install Google Chrome, or Chromium (brew install --cask chromium)'
        : 'install Chromium (Debian/Ubuntu: sudo apt-get install -y chromium) or Google Chrome';
  return `No Chromium-based browser found for the browser tests: ${install}, or run \`npx playwright-core install chromium\`, or set ${BROWSER_ENV} to the browser's executable`;
}

/** Whether a missing browser fails the tests that need one: on CI and in `npm test`, where one should be installed. */
export function browserRequired(env = process.env) {
  const ci = envValue(env, 'CI');
  return (ci !== undefined && ci !== 'false' && ci !== '0') || envValue(env, NPM_TEST_MARKER) !== undefined;
}

/** The browser's path, or throws with how to get one. */
export function requireBrowser(options = {}) {
  const found = findBrowser(options);
  if (!found) throw new Error(browserMissingMessage(options.platform));
  return found;
}

/** For node:test's `skip`: false where a browser exists or is required (the test then fails saying how to get one), else the reason. */
export function browserTestSkip(options = {}) {
  try {
    if (findBrowser(options) || browserRequired(options.env)) return false;
  } catch {
    return false;
  }
  return browserMissingMessage(options.platform);
}
