// Runs the test suites with node's built-in runner (CI reads its summary).
// Usage: node scripts/test.mjs [unit|integration|native|e2e ...]   (default: all)
// Installs the dependencies when they are missing or stale, and builds first,
// since integration and end-to-end tests run the bundles. The tests run with
// a fresh TMPDIR and a marker in their environment; what they leave behind
// (files there, processes still running) fails the run and is cleaned up.
// Only node built-ins and local scripts that use only them: this must run on
// a fresh clone before anything is installed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, exitWithError, projectRoot as root } from './ensureInstalled.mjs';
import { createRunScope, describeLeftovers } from './leftovers.mjs';

const LABEL = 'npm test';
// native: the trainer on the real @tensorflow/tfjs-node, prepared into .cache/native on first use.
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'native', 'e2e'];
// tsx keeps its transpile cache in TMPDIR: the runner's, not something a test left.
const RUNNER_CACHES = [/^tsx-\d+$/];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs the test files in a scope of their own; reports (and removes) what they left behind. */
async function runTests(files) {
  const scope = createRunScope('model-studio-test-');
  // Ctrl+C reaches the runner too; staying alive lets the clean-up below run.
  const interrupted = () => undefined;
  process.on('SIGINT', interrupted);
  try {
    // One file at a time: the machines have two cores and training tests are CPU-bound.
    const code = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], scope.env);
    const leftovers = describeLeftovers(await scope.leftovers({ ignore: RUNNER_CACHES }), scope.dir);
    if (leftovers.length > 0) {
      console.error(`${LABEL}: the tests left ${leftovers.length} thing(s) behind (removed now); each test must clean up in after/finally:`);
      for (const line of leftovers) console.error(`  ${line}`);
      return code || 1;
    }
    return code;
  } finally {
    await scope.cleanUp();
    process.off('SIGINT', interrupted);
  }
}

try {
  await ensureInstalled(LABEL);
  if ((await run(process.execPath, ['scripts/build.mjs'])) !== 0) process.exit(1);
  const files = suites.flatMap((suite) => testFiles(join(root, 'test', suite))).map((f) => f.slice(root.length + 1));
  if (files.length === 0) {
    console.error(`${LABEL}: no test files in test/{${suites.join(',')}}: name a suite that exists (unit, integration, native, e2e)`);
    process.exit(2);
  }
  process.exit(await runTests(files));
} catch (error) {
  exitWithError(LABEL, error);
}
