// The loader of user model modules: the user's files transpiled with
// TypeScript and run as CommonJS, packages through Node, nothing run before
// every file compiles.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError } from '../../../../src/shared/errors';
import { loadModuleGraph } from '../../../../src/trainer/model/moduleGraph';
import { tempDir } from '../../../helpers/cleanup';

let dir: string;
const TF = { marker: 'the trainer tf' };

before(() => {
  dir = tempDir('module-graph-');
});

/** Writes files (relative path -> text) into a fresh folder under `dir`; returns its path. */
function files(name: string, contents: Record<string, string>): string {
  const root = join(dir, name);
  for (const [path, text] of Object.entries(contents)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function compileError(entry: string): Promise<string> {
  try {
    await loadModuleGraph(entry);
  } catch (error) {
    assert.ok(isUserError(error), `expected a UserError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error.message;
  }
  assert.fail('the module graph loaded');
}

test('imports written for Node ES modules (./x.js naming x.ts), index files, JSON and a cycle all load', async () => {
  const root = files('shapes', {
    'main.ts': [
      "import { double } from './lib/double.js';",
      "import { units } from './config';",
      "import sizes from './sizes.json';",
      "import { ping } from './cycle-a';",
      'export const result = { doubled: double(units), sizes, ping: ping() };',
    ].join('\n'),
    'lib/double.ts': 'export const double = (n: number): number => n * 2;\n',
    'config/index.ts': 'export const units: number = 21;\n',
    'sizes.json': '{ "hidden": [128, 64] }',
    'cycle-a.ts': "import { pong } from './cycle-b';\nexport function ping(): string { return 'ping ' + pong(); }\n",
    'cycle-b.ts': "import { ping } from './cycle-a';\nexport function pong(): string { return typeof ping; }\n",
  });
  const exports = (await loadModuleGraph(join(root, 'main.ts'))).run(TF);
  assert.deepEqual(exports.result, { doubled: 42, sizes: { hidden: [128, 64] }, ping: 'ping function' });
});

test('every @tensorflow/tfjs import, static, dynamic or required, is the trainer’s tf', async () => {
  const root = files('tf', {
    'main.mts': [
      "import * as tfjs from '@tensorflow/tfjs';",
      "import layers from '@tensorflow/tfjs-layers';",
      "const required = require('@tensorflow/tfjs');",
      "export async function all() { return [tfjs.marker, (layers as { marker: string }).marker, required.marker, (await import('@tensorflow/tfjs')).marker]; }",
    ].join('\n'),
  });
  const exports = (await loadModuleGraph(join(root, 'main.mts'))).run(TF);
  assert.deepEqual(await (exports.all as () => Promise<string[]>)(), Array(4).fill('the trainer tf'));
});

test('a CommonJS package loads through Node, an ES-module-only package through the transpiler', async () => {
  const root = files('packages', {
    'node_modules/cjs-pkg/package.json': '{ "name": "cjs-pkg", "main": "index.js" }',
    'node_modules/cjs-pkg/index.js': "module.exports = { kind: 'cjs', fromNode: typeof require('node:path').join };\n",
    'node_modules/esm-pkg/package.json': '{ "name": "esm-pkg", "type": "module", "main": "index.js" }',
    'node_modules/esm-pkg/index.js': "import { inner } from './inner.js';\nexport const kind = 'esm ' + inner;\n",
    'node_modules/esm-pkg/inner.js': "export const inner = 'inner';\n",
    'model.ts': "import cjs from 'cjs-pkg';\nimport { kind } from 'esm-pkg';\nexport const kinds = [cjs.kind, cjs.fromNode, kind];\n",
  });
  const exports = (await loadModuleGraph(join(root, 'model.ts'))).run(TF);
  assert.deepEqual(exports.kinds, ['cjs', 'function', 'esm inner']);
});

test('a syntax error in an imported file names that file, line and column, and nothing has run', async () => {
  const marker = join(dir, 'ran.txt');
  const root = files('nested-error', {
    'main.ts': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nimport { helper } from './helper';\nexport const x = helper;\n`,
    'helper.ts': 'export const helper = 1;\nexport function broken( {\n',
  });
  const message = await compileError(join(root, 'main.ts'));
  assert.match(message, /^model\.module does not compile: .*helper\.ts:\d+:\d+: '}' expected; fix the module and train again$/);
  assert.equal(existsSync(marker), false, 'the entry file did not run');
});

test('a relative import that names no file gives its line and column and the extensions tried', async () => {
  const root = files('missing-local', { 'main.ts': "export const a = 1;\nimport { b } from './nowhere';\nexport const c = b;\n" });
  const message = await compileError(join(root, 'main.ts'));
  assert.match(message, /main\.ts:2:19: cannot find '\.\/nowhere' \(no such file beside .*main\.ts, with or without \.ts, /);
});

test('a package that is not installed says how to install it', async () => {
  const root = files('missing-package', { 'main.ts': "import { thing } from '@scope/not-installed/deep';\nexport const c = thing;\n" });
  assert.match(await compileError(join(root, 'main.ts')), /main\.ts:1:23: cannot resolve '@scope\/not-installed\/deep': .*npm install @scope\/not-installed\)/);
});

test('an import used only as a type needs no file at run time', async () => {
  const root = files('types-only', {
    'main.ts': "import type { Shape } from './types-that-do-not-exist';\nimport { Other } from './also-missing';\nexport const shape: Shape | Other | undefined = undefined;\n",
  });
  assert.deepEqual(Object.keys((await loadModuleGraph(join(root, 'main.ts'))).run(TF)), ['shape']);
});

test('a top-level await, which CommonJS cannot run, is a compile error rather than a crash', async () => {
  const root = files('top-level-await', { 'main.ts': 'const n = await Promise.resolve(1);\nexport const x = n;\n' });
  assert.match(await compileError(join(root, 'main.ts')), /does not compile: .*main\.ts: .*await/);
});
