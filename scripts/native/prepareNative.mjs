// Prepares native TensorFlow (@tensorflow/tfjs-node) in .cache/native without
// the internet downloads its install script makes: the npm package is
// installed with --ignore-scripts and its binding is built against the
// libraries of the tensorflow-cpu wheel that pip's index carries (the recipe
// in environment.md). Point MODEL_STUDIO_NATIVE_DIR at the folder it returns.
// Cached: a stamp records the versions, so a second run returns at once.
// Usage: node scripts/native/prepareNative.mjs   (progress on stderr, the folder on stdout)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TFJS_NODE_VERSION = '4.22.0';
export const TENSORFLOW_VERSION = '2.21.0';
/** Bumped when the recipe changes, so folders prepared the old way are rebuilt. */
const RECIPE = 1;
const NAPI_VERSION = 8;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheRoot = join(root, '.cache');
export const nativeDir = join(cacheRoot, 'native');
const STAMP = 'prepared.json';
const PACKAGE = join('node_modules', '@tensorflow', 'tfjs-node');
const BINDING = join(PACKAGE, 'lib', `napi-v${NAPI_VERSION}`, 'tfjs_binding.node');

/** The wheel members the binding needs: the C API headers and the two libraries. */
const HEADER_DIRS = ['tensorflow/c/', 'tensorflow/core/platform/', 'tsl/platform/', 'xla/tsl/c/'];
const LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];

function wantedStamp() {
  return { recipe: RECIPE, tfjsNode: TFJS_NODE_VERSION, tensorflow: TENSORFLOW_VERSION, platform: `${process.platform}-${process.arch}` };
}

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when `dir` holds a complete folder prepared by this recipe and these versions. */
export function isPrepared(dir = nativeDir) {
  const stamp = readStamp(dir);
  if (!stamp || !existsSync(join(dir, BINDING))) return false;
  if (!LIBRARIES.every((lib) => existsSync(join(dir, PACKAGE, 'deps', 'lib', lib)))) return false;
  return Object.entries(wantedStamp()).every(([key, value]) => stamp[key] === value);
}

/**
 * Makes sure .cache/native holds a working @tensorflow/tfjs-node and returns
 * the folder. Throws an Error with a one-line reason when this machine lacks
 * what it takes (the wheel in pip's index, python3, make, a C++ compiler).
 */
export async function prepareNative({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (isPrepared()) return nativeDir;
  const started = Date.now();
  checkPlatform();
  const tools = findTools();
  removeAbandonedWork();
  const work = join(cacheRoot, `native.partial-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    log(`native: preparing @tensorflow/tfjs-node ${TFJS_NODE_VERSION} with TensorFlow ${TENSORFLOW_VERSION} in ${nativeDir} (about a minute)`);
    const wheel = await downloadWheel(work, tools, log);
    await installPackage(work, log);
    const packageDir = join(work, PACKAGE);
    await extractWheel(wheel, join(packageDir, 'deps'), tools, log);
    rmSync(dirname(wheel), { recursive: true, force: true });
    await buildBinding(packageDir, tools, log);
    pruneForRuntime(work);
    await checkLoads(work, log);
    const bytes = diskBytes(work);
    writeFileSync(join(work, STAMP), `${JSON.stringify({ ...wantedStamp(), preparedAt: new Date().toISOString(), bytes }, null, 2)}\n`);
    // Another process may have finished first: keep its folder.
    if (isPrepared()) {
      rmSync(work, { recursive: true, force: true });
      return nativeDir;
    }
    rmSync(nativeDir, { recursive: true, force: true });
    renameSync(work, nativeDir);
    log(`native: ready in ${Math.round((Date.now() - started) / 1000)} s, ${(bytes / 2 ** 20).toFixed(0)} MB on disk`);
    return nativeDir;
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

function checkPlatform() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `Preparing native TensorFlow from the tensorflow-cpu wheel works on Linux x86-64 only, not ${process.platform}-${process.arch}: ` +
        'there, `npm install @tensorflow/tfjs-node` downloads its own libtensorflow',
    );
  }
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

/** npm's own node-gyp: the one npm runs for install scripts. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const npm = join(dir, 'npm');
    if (dir && existsSync(npm)) candidates.push(join(dirname(realpathSync(npm)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((path) => existsSync(path));
}

/** Everything the recipe runs, checked up front so a missing piece fails in one line before any download. */
function findTools() {
  const missing = [];
  const python = ['python3', 'python'].find(onPath);
  if (!python) missing.push('python3 (with pip)');
  else {
    try {
      execFileSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    } catch {
      missing.push(`pip for ${python}`);
    }
  }
  if (!onPath('make')) missing.push('make');
  const compiler = ['g++', 'c++', 'clang++'].find(onPath);
  if (!compiler) missing.push('g++');
  if (!onPath('npm')) missing.push('npm');
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) missing.push("npm's node-gyp");
  if (missing.length > 0) {
    throw new Error(
      `Cannot prepare native TensorFlow: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; ` +
        'install them (Debian: apt-get install -y python3-pip make g++) and retry',
    );
  }
  // Node's headers ship beside the binary in Node's own packages; node-gyp downloads them when they are not there.
  const prefix = dirname(dirname(process.execPath));
  const nodeDir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
  return { python, nodeGyp, nodeDir, strip: onPath('strip') };
}

/** Partial folders whose process is gone (a killed run) hold a gigabyte each. */
function removeAbandonedWork() {
  if (!existsSync(cacheRoot)) return;
  for (const name of readdirSync(cacheRoot)) {
    const pid = /^native\.partial-(\d+)$/.exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Runs a command; on failure the Error names it and quotes the last line of its output that says why. */
function run(command, args, { cwd, env, what, hint }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => (output = (output + chunk.toString()).slice(-20000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new Error(`${what}: ${command} could not start (${error.message})`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(output);
      const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
      const reason = lines.findLast((line) => /error|not found|no matching|could not|cannot|failed/i.test(line)) ?? lines.at(-1) ?? '';
      reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${reason.slice(0, 300)}${hint ? `; ${hint}` : ''}`));
    });
  });
}

async function installPackage(work, log) {
  log(`native: npm install @tensorflow/tfjs-node@${TFJS_NODE_VERSION} --ignore-scripts`);
  writeFileSync(join(work, 'package.json'), `${JSON.stringify({ name: 'model-studio-native', private: true }, null, 2)}\n`);
  // Its install script would download libtensorflow from Google storage; the binding is built below instead.
  await run(
    'npm',
    ['install', '--prefix', work, '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--ignore-scripts', `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`],
    { cwd: work, what: `npm install @tensorflow/tfjs-node@${TFJS_NODE_VERSION}` },
  );
}

async function downloadWheel(work, tools, log) {
  log(`native: pip download tensorflow-cpu==${TENSORFLOW_VERSION} (from pip's configured index)`);
  const dest = join(work, 'wheel');
  await run(tools.python, ['-m', 'pip', 'download', '--no-deps', '--retries', '0', '--dest', dest, `tensorflow-cpu==${TENSORFLOW_VERSION}`], {
    cwd: work,
    env: { PIP_RETRIES: '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    what: `pip download tensorflow-cpu==${TENSORFLOW_VERSION}`,
    hint: "its wheel must be in pip's index (pip.conf: find-links or extra-index-url) or pypi.org reachable",
  });
  const wheel = readdirSync(dest).find((name) => name.endsWith('.whl'));
  if (!wheel) throw new Error(`pip download tensorflow-cpu==${TENSORFLOW_VERSION} saved no wheel in ${dest}`);
  return join(dest, wheel);
}

/** Headers into deps/include, libraries into deps/lib (stripped of their 200 MB symbol table), under the names the binding links. */
async function extractWheel(wheel, deps, tools, log) {
  log('native: extracting the TensorFlow C library and headers from the wheel');
  const script = [
    'import sys, zipfile, os, shutil',
    'wheel, deps = sys.argv[1], sys.argv[2]',
    `headers = ${JSON.stringify(HEADER_DIRS.map((dir) => `tensorflow/include/${dir}`))}`,
    `libs = ${JSON.stringify(LIBRARIES.map((lib) => `tensorflow/${lib}`))}`,
    'with zipfile.ZipFile(wheel) as z:',
    '    for info in z.infolist():',
    '        name = info.filename',
    '        if name.endswith("/"): continue',
    '        if any(name.startswith(h) for h in headers): target = os.path.join(deps, "include", name[len("tensorflow/include/"):])',
    '        elif name in libs: target = os.path.join(deps, "lib", os.path.basename(name))',
    '        else: continue',
    '        os.makedirs(os.path.dirname(target), exist_ok=True)',
    '        with z.open(info) as src, open(target, "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)',
  ].join('\n');
  await run(tools.python, ['-c', script, wheel, deps], { what: 'extracting the wheel' });
  const lib = join(deps, 'lib');
  for (const name of LIBRARIES) {
    if (!existsSync(join(lib, name))) throw new Error(`the tensorflow-cpu wheel has no tensorflow/${name}: this recipe needs TensorFlow ${TENSORFLOW_VERSION}`);
    if (tools.strip) await run('strip', ['--strip-unneeded', join(lib, name)], { what: `strip ${name}` });
  }
  // libtensorflow_cc.so.2 exports the C and eager C APIs; its SONAME is what the binding records, so it keeps that name.
  symlinkSync('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so.2'));
  symlinkSync('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so'));
  symlinkSync('libtensorflow_framework.so.2', join(lib, 'libtensorflow_framework.so'));
}

async function buildBinding(packageDir, tools, log) {
  log("native: building the binding with npm's node-gyp");
  const args = [
    tools.nodeGyp,
    'rebuild',
    ...(tools.nodeDir ? [`--nodedir=${tools.nodeDir}`] : []),
    `--napi_build_version=${NAPI_VERSION}`,
    '--module_name=tfjs_binding',
    `--module_path=${join(packageDir, 'lib', `napi-v${NAPI_VERSION}`)}`,
  ];
  await run(process.execPath, args, { cwd: packageDir, env: { PYTHON: tools.python }, what: 'building the tfjs-node binding (node-gyp rebuild)' });
}

/** What only the build or a browser needs: object files, headers, source maps, browser bundles, tests (250 MB of JS). */
function pruneForRuntime(work) {
  const packageDir = join(work, PACKAGE);
  for (const dir of ['build', join('deps', 'include'), 'src']) rmSync(join(packageDir, dir), { recursive: true, force: true });
  // Node loads each package's `main` (dist/*.node.js or dist/index.js); the UMD/ES bundles are for browsers.
  const browserBundle = /^tf(-[a-z]+)*(\.es2017|\.fesm)?(\.min)?\.js(\.html)?$/;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'miniprogram') rmSync(path, { recursive: true, force: true });
        else walk(path);
      } else if (
        entry.name.endsWith('.map') ||
        entry.name.endsWith('_test.js') ||
        (basename(dir) === 'dist' && browserBundle.test(entry.name))
      ) {
        rmSync(path);
      }
    }
  };
  walk(join(work, 'node_modules', '@tensorflow'));
}

/** Loads the package in a fresh Node, as the trainer will: a broken build fails here, not in a test. */
async function checkLoads(work, log) {
  log('native: checking that it loads');
  const probe = `const tf = require(${JSON.stringify(join(work, PACKAGE))}); const y = tf.tensor([1, 2, 3]).square().dataSync(); process.stdout.write(tf.getBackend() + ' ' + y.join(','));`;
  const output = await run(process.execPath, ['-e', probe], { env: { TF_CPP_MIN_LOG_LEVEL: '2' }, what: 'loading the built @tensorflow/tfjs-node' });
  if (!output.includes('tensorflow 1,4,9')) throw new Error(`the built @tensorflow/tfjs-node loads but does not compute on TensorFlow: ${output.trim().slice(-200)}`);
}

function diskBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += diskBytes(path);
    else total += lstatSync(path).size;
  }
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  prepareNative()
    .then((dir) => console.log(dir))
    .catch((error) => {
      console.error(`prepareNative: ${error.message}`);
      process.exit(1);
    });
}
