// `npm start`: a real VS Code (code-server) in the browser with Model Studio
// installed and examples/mnist open. Builds and packages the extension,
// installs code-server into .cache/ when it is missing, and serves on
// 127.0.0.1 until Ctrl+C. Runs land in examples/mnist/.model-studio (git-ignored).
// Usage: npm start [-- --port 8080]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installExtension, startCodeServer, writeUserSettings } from './e2e/codeServer.mjs';
import { ensureCodeServer } from './e2e/installCodeServer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('Usage: npm start [-- --port PORT]\nServes VS Code with Model Studio and examples/mnist on http://127.0.0.1:PORT/ (default 8080).');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a TCP port (1-65535), not '${values.port}'`);
  process.exit(2);
}

const state = join(root, '.cache', 'start');
const vsix = join(state, 'model-studio.vsix');
const extensionsDir = join(state, 'extensions');
const userDataDir = join(state, 'user-data');
const folder = join(root, 'examples', 'mnist');
mkdirSync(state, { recursive: true });

try {
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
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
