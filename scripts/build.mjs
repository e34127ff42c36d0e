// Builds every bundle with esbuild: each process gets its own file so the
// extension host never loads TF.js or the Google libraries at activation.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Native TF.js backends are found at run time (workspace, optional deps,
// global storage), never bundled.
const nativeTf = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

// TypeScript transpiles user model modules (src/core/transpile.ts) and finds
// the files a Vertex AI job needs of them (src/core/moduleImports.ts).
// It is pure JavaScript, 3.5 MB minified: its own file beside the bundles,
// loaded only when a spec names a module, never part of a trainer's startup.
const TYPESCRIPT_OUT = 'dist/typescript.js';
const shipTypescript = {
  name: 'ship-typescript',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Keeps stack traces and class names readable in bug reports.
  keepNames: true,
  // ESM builds first: jsonc-parser's UMD build has requires esbuild cannot follow.
  mainFields: ['module', 'main'],
};

/** A webview's script: webview/<name>/main.ts to dist/webview/<name>.js. */
function browser(name) {
  return {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: [`webview/${name}/main.ts`],
    outfile: `dist/webview/${name}.js`,
  };
}

/** Bundles that exist so far; each entry is built only if its source exists. */
const bundles = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/trainer/main.ts'], outfile: 'dist/trainer.js', external: nativeTf, plugins: [shipTypescript] },
  // The trainer image's entry (the Dockerfile's `trainer` target); the sandbox runs it for Vertex AI jobs.
  { ...node, entryPoints: ['src/trainer/vertex/main.ts'], outfile: 'dist/vertexTrainer.js', external: nativeTf, plugins: [shipTypescript] },
  // The serving container's entry (src/serving/Dockerfile); tfjs-node is installed in the image.
  { ...node, entryPoints: ['src/serving/main.ts'], outfile: 'dist/serve.js', external: nativeTf },
  // The cloud layer for the extension host, loaded with require() at first use (never at activation).
  { ...node, entryPoints: ['src/extension/cloud/cloudHost.ts'], outfile: 'dist/cloud.js', plugins: [shipTypescript] },
  // The trainer's spec validation (ajv and the schema) for the editor's diagnostics, loaded at the first check.
  { ...node, entryPoints: ['src/extension/specs/specCheckBundle.ts'], outfile: 'dist/specCheck.js' },
  // The sweep runner (the CLI's own) for the extension host, loaded at the first sweep command.
  { ...node, entryPoints: ['src/extension/sweeps/sweepBundle.ts'], outfile: 'dist/sweeps.js' },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    external: nativeTf,
    plugins: [shipTypescript],
    banner: { js: '#!/usr/bin/env node' },
  },
  // The dashboard and the experiments view (their CSS is injected with the page's nonce).
  ...['dashboard', 'experiments'].map((name) => ({ ...browser(name), loader: { '.css': 'text' } })),
  // The traffic editor, the prediction panel and the batch results viewer.
  ...['traffic', 'predict', 'batchResults'].map(browser),
].filter((b) => existsSync(join(root, b.entryPoints[0])));

function copyWasm() {
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    cpSync(join(wasmDist, file), join(root, 'dist', file));
  }
}

function firstBytes(file, count) {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * dist/typescript.js, minified (a dependency: nobody reads its stack traces).
 * Rebuilt only for another TypeScript version, named in its first line (npm
 * gives installed files a fixed old mtime, so times cannot tell).
 */
async function buildTypescript() {
  const banner = `// typescript ${require('typescript/package.json').version}`;
  const out = join(root, TYPESCRIPT_OUT);
  if (existsSync(out) && firstBytes(out, banner.length + 1) === `${banner}\n`) return;
  await esbuild.build({ ...node, sourcemap: false, minify: true, keepNames: false, banner: { js: banner }, entryPoints: [require.resolve('typescript')], outfile: out });
}

process.chdir(root);
copyWasm();
await buildTypescript();
if (watch) {
  for (const options of bundles) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log(`watching ${bundles.length} bundles`);
} else {
  const started = Date.now();
  await Promise.all(bundles.map((options) => esbuild.build(options)));
  console.log(`built ${bundles.map((b) => b.outfile).join(', ')} in ${Date.now() - started} ms`);
}
