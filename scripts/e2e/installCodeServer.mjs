// Installs code-server (a full VS Code that runs in a browser) on demand into
// .cache/code-server, outside the project's dependencies: it is 300 MB and
// needs Debian packages, which people who only want the extension or the CLI
// should never pay for. The recipe is the one measured in environment.md.
// Usage: node scripts/e2e/installCodeServer.mjs   (prints the binary path)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const APT_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(root, '.cache', 'code-server');

/** Path of code-server's launcher once installed. */
export function codeServerBin() {
  return join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function installedVersion() {
  const manifest = join(cacheDir, 'node_modules', 'code-server', 'package.json');
  if (!existsSync(manifest) || !existsSync(codeServerBin())) return undefined;
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

function missingAptPackages() {
  return APT_PACKAGES.filter((name) => {
    try {
      const state = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: 'pipe' });
      return !state.includes('install ok installed');
    } catch {
      return true;
    }
  });
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-4000);
      options.log?.(chunk.toString());
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail}`));
    });
  });
}

async function ensureAptPackages(log) {
  const missing = missingAptPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `code-server needs the Debian packages ${missing.join(', ')}: run "sudo apt-get install -y ${missing.join(' ')}" and retry`,
    );
  }
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

/**
 * @vscode/ripgrep downloads rg from GitHub unless its cache (in the temp
 * folder of the install) already holds the archive: a temp folder for the
 * install, with Debian's rg in that cache. The caller removes the folder.
 */
function seedRipgrepCache() {
  const installTmp = mkdtempSync(join(tmpdir(), 'code-server-install-'));
  const dir = join(installTmp, RIPGREP_CACHE);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-czf', join(dir, RIPGREP_ARCHIVE), '-C', '/usr/bin', 'rg']);
  return installTmp;
}

/**
 * Makes sure code-server and chromium are installed; returns the path of
 * code-server's entry script (run it with node). Throws with the reason when
 * it cannot install.
 */
export async function ensureCodeServer({ log = (line) => process.stderr.write(line) } = {}) {
  await ensureAptPackages(log);
  if (installedVersion() === CODE_SERVER_VERSION) return codeServerBin();
  const started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${cacheDir} (about a minute, 300 MB)\n`);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ private: true, name: 'code-server-cache' }) + '\n');
  const installTmp = seedRipgrepCache();
  const env = {
    ...process.env,
    // code-server's postinstall refuses root without it; node-pty's calls `npx node-gyp`.
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    TMPDIR: installTmp,
  };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await run(npm, ['install', '--no-audit', '--no-fund', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: cacheDir,
      env,
    });
  } finally {
    rmSync(installTmp, { recursive: true, force: true });
  }
  if (installedVersion() !== CODE_SERVER_VERSION) {
    throw new Error(`npm reported success but ${codeServerBin()} is missing`);
  }
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return codeServerBin();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureCodeServer()
    .then((bin) => console.log(bin))
    .catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
}
