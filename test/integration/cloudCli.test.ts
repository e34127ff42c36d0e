// The CLI end to end, as a user runs it: `sandbox start --detach`, then
// `cloud models upload / endpoints create / deploy-model / predict` against
// it as the default target (found through the sandbox's state file), the
// one-line errors and exit codes, and `sandbox stop`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readSandboxInfo } from '../../src/core/sandboxInfo';
import { loadServingTf } from '../../src/serving';
import { endProcess, onCleanup, tempDir } from '../helpers/cleanup';
import { mnistDigits, trainMnistRun } from './cloudFixtures';

const root = resolve(__dirname, '..', '..');
const bundle = join(root, 'dist', 'cli.js');
// The bundle when it is built (scripts/test.mjs builds first), else the sources.
const cli = existsSync(bundle) ? [bundle] : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function json<T>(result: Result): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

test('the CLI drives a detached sandbox: upload, create, deploy, predict, stop, then a one-line error', async () => {
  const workspace = tempDir('ms-cloud-cli-');
  const sandboxDir = join(workspace, 'sandbox');
  const env: NodeJS.ProcessEnv = { ...process.env, MODEL_STUDIO_SANDBOX_DIR: sandboxDir, FORCE_COLOR: '0' };
  // The sandbox runs detached: if the test fails before `sandbox stop`, end it before its folder goes.
  onCleanup(async () => {
    const running = readSandboxInfo(sandboxDir);
    if (running) await endProcess(running.pid);
  });
  delete env.CLOUDSDK_CORE_PROJECT;
  delete env.GOOGLE_CLOUD_PROJECT;
  const { tf } = await loadServingTf();
  await trainMnistRun(tf, join(workspace, '.model-studio', 'runs'), { runId: 'run-cli', seed: 3 });

  const started = json<{ apiEndpoint: string; pid: number }>(await run(['sandbox', 'start', '--detach', '--operation-delay-ms', '20', '--json'], workspace, env));
  assert.match(started.apiEndpoint, /^127\.0\.0\.1:\d+$/);

  const model = json<{ model: { id: string; versionId: string } }>(
    await run(['cloud', 'models', 'upload', '--run', 'run-cli', '--display-name', 'mnist', '--json'], workspace, env),
  );
  assert.equal(model.model.versionId, '1');
  const endpoint = json<{ id: string }>(await run(['cloud', 'endpoints', 'create', '--display-name', 'digits', '--json'], workspace, env));
  const deployed = json<{ deployedModel: { id: string }; endpoint: { trafficSplit: Record<string, number> } }>(
    await run(['cloud', 'endpoints', 'deploy-model', endpoint.id, '--model', model.model.id, '--display-name', 'v1', '--machine-type', 'n1-standard-2', '--json'], workspace, env),
  );
  assert.deepEqual(deployed.endpoint.trafficSplit, { [deployed.deployedModel.id]: 100 });

  const digits = mnistDigits(9900, 2);
  writeFileSync(join(workspace, 'request.json'), JSON.stringify({ instances: digits.images }));
  const prediction = json<{ predictions: number[][]; deployedModelId: string }>(
    await run(['cloud', 'endpoints', 'predict', endpoint.id, '--json-request', 'request.json', '--json'], workspace, env),
  );
  assert.equal(prediction.deployedModelId, deployed.deployedModel.id);
  assert.equal(prediction.predictions.length, 2);
  assert.equal(prediction.predictions[0].length, 10);

  const stopped = await run(['sandbox', 'stop'], workspace, env);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, /Stopped the sandbox/);
  const noTarget = await run(['cloud', 'endpoints', 'list'], workspace, env);
  assert.equal(noTarget.code, 2);
  assert.equal(noTarget.stderr.trim().split('\n').length, 1, noTarget.stderr);
  assert.match(noTarget.stderr, /^No cloud to talk to: pass --project PROJECT.*sandbox start --detach/);
});
