// Installs the project's npm dependencies when they are missing or stale, so
// that `npm start` and `npm test` work on a fresh clone with nothing run
// before. Only node built-ins here: this runs before anything is installed.
// A stamp in node_modules records the hash of the package-lock.json it was
// installed from (npm ci deletes node_modules, so a failed install leaves no
// stamp behind); a different hash means the lock changed: `npm ci` again.
// Usage: node scripts/ensureInstalled.mjs   (what the two commands run first)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP_FILE = '.model-studio-lock.sha256';
const MIN_NODE_MAJOR = 20;

/** A setup failure a person fixes: printed as one line, no stack trace. */
export class SetupError extends Error {}

export function lockHash(root) {
  const lock = join(root, 'package-lock.json');
  if (!existsSync(lock)) throw new SetupError(`${lock} is missing: restore it with \`git checkout package-lock.json\``);
  return createHash('sha256').update(readFileSync(lock)).digest('hex');
}

function readStamp(root) {
  try {
    return readFileSync(join(root, 'node_modules', STAMP_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The first package that package-lock.json wants but node_modules lacks (or
 * holds at another version), or undefined when every one is there. Optional
 * packages may fail to install (tfjs-node offline) and are not required.
 */
export function firstMissingPackage(root) {
  const { packages = {} } = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  for (const [path, entry] of Object.entries(packages)) {
    if (!path || entry.link || entry.optional) continue;
    let version;
    try {
      version = JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8')).version;
    } catch {
      return `${path.replace(/^.*node_modules\//, '')} is missing`;
    }
    if (version !== entry.version) return `${path.replace(/^.*node_modules\//, '')} is ${version}, the lock says ${entry.version}`;
  }
  return undefined;
}

/**
 * Why `npm ci` must run, or undefined when node_modules was installed from
 * this package-lock.json. An install from before stamps existed is adopted
 * when it holds every locked package at its locked version.
 */
export function installReason(root) {
  const modules = join(root, 'node_modules');
  if (!existsSync(modules)) return 'no node_modules yet';
  const hash = lockHash(root);
  const stamp = readStamp(root);
  if (stamp === hash) return undefined;
  if (stamp !== undefined) return 'package-lock.json changed since the last install';
  const missing = firstMissingPackage(root);
  if (missing) return `node_modules does not match package-lock.json: ${missing}`;
  if (!lstatSync(modules).isSymbolicLink()) writeFileSync(join(modules, STAMP_FILE), `${hash}\n`);
  return undefined;
}

/** How to run npm: the npm that runs this script (npm start / npm test), else the one on PATH. */
function npmCommand(args, env) {
  const cli = env.npm_execpath;
  if (cli && /^npm-cli\.[cm]?js$/.test(basename(cli))) return { command: process.execPath, args: [cli, ...args], shell: false };
  const windows = process.platform === 'win32';
  return { command: windows ? 'npm.cmd' : 'npm', args, shell: windows };
}

function runNpmCi(root, log, env) {
  const { command, args, shell } = npmCommand(['ci', '--no-audit', '--no-fund'], env);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell, env });
    // npm is quiet for a minute or more without a terminal; say it is still working.
    const heartbeat = process.stderr.isTTY
      ? undefined
      : setInterval(() => log(`  … still installing (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
    const done = () => heartbeat && clearInterval(heartbeat);
    child.on('error', (error) => {
      done();
      reject(new SetupError(`could not run npm (${error.message}): install Node.js ${MIN_NODE_MAJOR}+ with npm from https://nodejs.org and retry`));
    });
    child.on('exit', (code, signal) => {
      done();
      if (code === 0) resolve(Math.round((Date.now() - started) / 1000));
      else reject(new SetupError(`npm ci failed (${signal ?? `exit ${code}`}; its output is above): fix what it reports, then run \`npm ci\` and retry`));
    });
  });
}

/**
 * Makes sure node_modules matches package-lock.json, running `npm ci` when it
 * does not. `label` names the command in messages ("npm test"). Never
 * reinstalls through a linked node_modules: that install is someone else's.
 */
export async function ensureInstalled(label, { root = projectRoot, log = (line) => console.log(line), env = process.env } = {}) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    throw new SetupError(`Model Studio needs Node.js ${MIN_NODE_MAJOR} or newer, this is ${process.version}: install a newer one from https://nodejs.org`);
  }
  const reason = installReason(root);
  if (!reason) return;
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    log(`${label}: ${reason}; node_modules links to a shared install (${realpathSync(modules)}), so it is left alone: run \`npm ci\` there to update it`);
    return;
  }
  log(`${label}: installing the dependencies with \`npm ci\` (${reason}); a minute or two on first use`);
  const seconds = await runNpmCi(root, log, env);
  writeFileSync(join(modules, STAMP_FILE), `${lockHash(root)}\n`);
  log(`${label}: dependencies installed in ${seconds} s`);
}

/** Prints a failure without a stack trace (that only with MODEL_STUDIO_DEBUG=1) and exits 1. */
export function exitWithError(label, error) {
  console.error(`${label}: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.MODEL_STUDIO_DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureInstalled('install').catch((error) => exitWithError('install', error));
}
