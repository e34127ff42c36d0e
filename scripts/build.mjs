// Builds every bundle with esbuild: each process gets its own file so the
// extension host never loads TF.js or the Google libraries at activation.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
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

/** Bundles that exist so far; each entry is built only if its source exists. */
const bundles = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/trainer/main.ts'], outfile: 'dist/trainer.js', external: [...nativeTf, 'esbuild'] },
  // The trainer image's entry (the Dockerfile's `trainer` target); the sandbox runs it for Vertex AI jobs.
  { ...node, entryPoints: ['src/trainer/vertex/main.ts'], outfile: 'dist/vertexTrainer.js', external: [...nativeTf, 'esbuild'] },
  // The serving container's entry (src/serving/Dockerfile); tfjs-node is installed in the image.
  { ...node, entryPoints: ['src/serving/main.ts'], outfile: 'dist/serve.js', external: nativeTf },
  // The cloud layer for the extension host, loaded with require() at first use (never at activation).
  { ...node, entryPoints: ['src/extension/cloud/cloudHost.ts'], outfile: 'dist/cloud.js', external: ['esbuild'] },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    external: [...nativeTf, 'esbuild'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: ['webview/dashboard/main.ts'],
    outfile: 'dist/webview/dashboard.js',
    loader: { '.css': 'text' },
  },
  // The traffic editor and the prediction panel.
  ...['traffic', 'predict'].map((name) => ({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: [`webview/${name}/main.ts`],
    outfile: `dist/webview/${name}.js`,
  })),
].filter((b) => existsSync(join(root, b.entryPoints[0])));

function copyWasm() {
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    cpSync(join(wasmDist, file), join(root, 'dist', file));
  }
}

process.chdir(root);
copyWasm();
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
