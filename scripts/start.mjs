// `npm start`: a real VS Code (code-server) in the browser with Model Studio
// installed and examples/mnist open. On first use it installs the npm
// dependencies (again whenever package-lock.json changes), builds and packages
// the extension, installs code-server into .cache/ when it is missing, and
// serves on 127.0.0.1 until Ctrl+C. Runs land in examples/mnist/.model-studio (git-ignored).
// Usage: npm start [-- --port 8080]
// Only node built-ins are imported statically: this runs on a fresh clone
// before anything is installed; the rest is imported after the install.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureInstalled, exitWithError, projectRoot as root } from './ensureInstalled.mjs';

const LABEL = 'npm start';

/** The --port to serve on; exits 2 with one line on a bad command line. */
function portFromArgs() {
  let values;
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    console.error(`${LABEL}: ${error.message.split('\n')[0]}. Usage: npm start [-- --port PORT]`);
    process.exit(2);
  }
  if (values.help) {
    console.log('Usage: npm start [-- --port PORT]\nServes VS Code with Model Studio and examples/mnist on http://127.0.0.1:PORT/ (default 8080).');
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${LABEL}: --port must be a TCP port (1-65535), not '${values.port}'`);
    process.exit(2);
  }
  return port;
}

/** Fails early, in one line, when another program holds the port. */
function checkPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      const inUse = error.code === 'EADDRINUSE';
      reject(new Error(inUse ? `port ${port} is in use: pick another with \`npm start -- --port ${port + 1}\`` : `cannot listen on 127.0.0.1:${port} (${error.message})`));
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

const port = portFromArgs();
const state = join(root, '.cache', 'start');
const vsix = join(state, 'model-studio.vsix');
const extensionsDir = join(state, 'extensions');
const userDataDir = join(state, 'user-data');
const folder = join(root, 'examples', 'mnist');
mkdirSync(state, { recursive: true });

try {
  await checkPortFree(port);
  await ensureInstalled(LABEL);
  const { installExtension, startCodeServer, writeUserSettings } = await import('./e2e/codeServer.mjs');
  const { ensureCodeServer } = await import('./e2e/installCodeServer.mjs');
  const packaged = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', vsix], { cwd: root, stdio: 'inherit' });
  if (packaged.status !== 0) throw new Error('building the extension failed (see above)');
  const bin = await ensureCodeServer();
  await installExtension({ bin, vsix, extensionsDir, userDataDir });
  writeUserSettings(userDataDir);
  const server = await startCodeServer({ bin, folder, port, extensionsDir, userDataDir });
  console.log(`\nModel Studio is ready: ${server.url}\n(VS Code 1.100.3 via code-server, folder ${folder}; Ctrl+C to stop)\n`);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await server.stop();
    console.log('Model Studio stopped: code-server and everything it started have ended.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.on('exit', (code) => {
    if (stopping) return;
    console.error(`code-server exited (${code}):\n${server.output().slice(-2000)}`);
    process.exit(1);
  });
} catch (error) {
  exitWithError(LABEL, error);
}
