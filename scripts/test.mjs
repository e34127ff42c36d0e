// Runs the test suites with node's built-in runner (CI reads its summary).
// Usage: node scripts/test.mjs [unit|integration|native|e2e ...]   (default: all)
// Builds first, since integration and end-to-end tests run the bundles.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// native: the trainer on the real @tensorflow/tfjs-node, prepared into .cache/native on first use.
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'native', 'e2e'];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);

const files = suites.flatMap((suite) => testFiles(join(root, 'test', suite))).map((f) => f.slice(root.length + 1));
if (files.length === 0) {
  console.error(`no test files in test/{${suites.join(',')}}`);
  process.exit(1);
}
// One file at a time: the machines have two cores and training tests are CPU-bound.
process.exit(run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files]));
