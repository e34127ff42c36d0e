// Builds the VSIX: a production build, then `vsce package` offline. Every
// runtime dependency is bundled into dist/, so the package carries no
// node_modules (--no-dependencies). Prints the file and its size.
// Usage: node scripts/package.mjs [--out FILE] [--no-build]
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: { out: { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
});
const manifest = require(join(root, 'package.json'));
const out = resolve(values.out ?? join(root, `${manifest.name}-${manifest.version}.vsix`));

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!values['no-build']) run(['scripts/build.mjs', '--production']);
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
run([vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out]);
const bytes = statSync(out).size;
console.log(`${out}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
