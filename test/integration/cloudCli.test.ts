// The CLI end to end, as a user runs it: `sandbox start --detach`, then
// `cloud models upload / endpoints create / deploy-model / predict` against
// it as the default target (found through the sandbox's state file), the
// one-line errors and exit codes, and `sandbox stop`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { readSandboxInfo, SANDBOX_BUCKET, SANDBOX_PROJECT } from '../../src/core/sandboxInfo';
import { loadServingTf } from '../../src/serving';
import { jsonOutput, runCli } from '../helpers/cli';
import { endProcess, onCleanup, tempDir } from '../helpers/cleanup';
import { mnistDigits, trainMnistRun } from './cloudFixtures';

test('the CLI drives a detached sandbox: upload, create, deploy, predict, stop, then a one-line error', async () => {
  const workspace = tempDir('ms-cloud-cli-');
  const sandboxDir = join(workspace, 'sandbox');
  const env: NodeJS.ProcessEnv = { ...process.env, MODEL_STUDIO_SANDBOX_DIR: sandboxDir };
  // The sandbox runs detached: if the test fails before `sandbox stop`, end it before its folder goes.
  onCleanup(async () => {
    const running = readSandboxInfo(sandboxDir);
    if (running) await endProcess(running.pid);
  });
  delete env.CLOUDSDK_CORE_PROJECT;
  delete env.GOOGLE_CLOUD_PROJECT;
  const { tf } = await loadServingTf();
  await trainMnistRun(tf, join(workspace, '.model-studio', 'runs'), { runId: 'run-cli', seed: 3 });

  const started = jsonOutput<{ apiEndpoint: string; storageEndpoint: string; pid: number }>(await runCli(['sandbox', 'start', '--detach', '--operation-delay-ms', '20', '--json'], workspace, env));
  assert.match(started.apiEndpoint, /^127\.0\.0\.1:\d+$/);

  const model = jsonOutput<{ model: { id: string; versionId: string } }>(
    await runCli(['cloud', 'models', 'upload', '--run', 'run-cli', '--display-name', 'mnist', '--json'], workspace, env),
  );
  assert.equal(model.model.versionId, '1');
  const endpoint = jsonOutput<{ id: string }>(await runCli(['cloud', 'endpoints', 'create', '--display-name', 'digits', '--json'], workspace, env));
  const deployed = jsonOutput<{ deployedModel: { id: string }; endpoint: { trafficSplit: Record<string, number> } }>(
    await runCli(['cloud', 'endpoints', 'deploy-model', endpoint.id, '--model', model.model.id, '--display-name', 'v1', '--machine-type', 'n1-standard-2', '--json'], workspace, env),
  );
  assert.deepEqual(deployed.endpoint.trafficSplit, { [deployed.deployedModel.id]: 100 });

  const digits = mnistDigits(9900, 2);
  writeFileSync(join(workspace, 'request.json'), JSON.stringify({ instances: digits.images }));
  const prediction = jsonOutput<{ predictions: number[][]; deployedModelId: string }>(
    await runCli(['cloud', 'endpoints', 'predict', endpoint.id, '--json-request', 'request.json', '--json'], workspace, env),
  );
  assert.equal(prediction.deployedModelId, deployed.deployedModel.id);
  assert.equal(prediction.predictions.length, 2);
  assert.equal(prediction.predictions[0].length, 10);

  // Version aliases from the CLI: the rule in one line, then add, list, deploy by alias, delete refused.
  const badAlias = await runCli(['cloud', 'models', 'add-version-aliases', `${model.model.id}@1`, '--aliases', 'Champion'], workspace, env);
  assert.equal(badAlias.code, 2);
  assert.equal(badAlias.stderr.trim().split('\n').length, 1, badAlias.stderr);
  assert.match(badAlias.stderr, /^Version alias "Champion" is not valid: an alias must match \[a-z\]\[a-zA-Z0-9-\]\{0,126\}\[a-z0-9\]/);
  const aliased = jsonOutput<{ versionAliases: string[] }>(
    await runCli(['cloud', 'models', 'add-version-aliases', `${model.model.id}@1`, '--aliases', 'champion', '--json'], workspace, env),
  );
  assert.deepEqual(aliased.versionAliases, ['default', 'champion']);
  const versions = jsonOutput<{ versionId: string; versionAliases: string[]; evaluation?: { samples: number } }[]>(
    await runCli(['cloud', 'models', 'list-version', model.model.id, '--json'], workspace, env),
  );
  assert.deepEqual(versions.map((v) => [v.versionId, v.versionAliases]), [['1', ['default', 'champion']]]);
  assert.equal(versions[0].evaluation?.samples, 200, 'upload imported the run\'s test evaluation');
  const table = await runCli(['cloud', 'models', 'list-version', model.model.id], workspace, env);
  assert.match(table.stdout, /^VERSION_ID\s+ALIASES\s+CREATED\s+ACCURACY\s+LOG_LOSS/);
  assert.match(table.stdout, /\n1\s+default,champion\s+\S+\s+0\.\d{4}\s+0\.5000/);
  const refused = await runCli(['cloud', 'models', 'delete-version', `${model.model.id}@champion`], workspace, env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, new RegExp(`DeployedModel ${deployed.deployedModel.id} on projects/.*/endpoints/${endpoint.id}\\b.*undeploy it first`));

  // Autoscaling after deploy: the quota note, the new range, and a bad spec in one line.
  const mutated = await runCli(
    ['cloud', 'endpoints', 'mutate-deployed-model', endpoint.id, '--deployed-model-id', deployed.deployedModel.id, '--max-replica-count', '3', '--autoscaling-metric-specs', 'cpu-usage=70'],
    workspace,
    env,
  );
  assert.equal(mutated.code, 0, mutated.stderr);
  assert.match(mutated.stderr, /Quota is charged on the maximum replica count: 2 vCPUs x 3 replicas = 6 vCPUs/);
  assert.match(mutated.stdout, /replicas 1-3, autoscaling cpu-usage=70/);
  const badSpec = await runCli(['cloud', 'endpoints', 'mutate-deployed-model', endpoint.id, '--deployed-model-id', deployed.deployedModel.id, '--autoscaling-metric-specs', 'cpu=70'], workspace, env);
  assert.equal(badSpec.code, 2);
  assert.match(badSpec.stderr, /^--autoscaling-metric-specs "cpu=70" is not METRIC=TARGET with METRIC one of cpu-usage, gpu-duty-cycle, request-counts-per-minute, e\.g\. cpu-usage=60\n$/);

  // A batch prediction job by alias, waited for, with its completion stats.
  const storage = new Storage({ apiEndpoint: started.storageEndpoint, projectId: SANDBOX_PROJECT });
  await storage.bucket(SANDBOX_BUCKET.slice('gs://'.length)).file('batch/in.jsonl').save(digits.images.map((d) => JSON.stringify(d)).join('\n'), { resumable: false });
  const batch = jsonOutput<{ state: string; successfulCount: number; outputDirectory: string }>(
    await runCli(
      ['cloud', 'batch-prediction-jobs', 'create', '--model', `${model.model.id}@champion`, '--input', `${SANDBOX_BUCKET}/batch/in.jsonl`, '--output', `${SANDBOX_BUCKET}/batch/out/`, '--display-name', 'b', '--json'],
      workspace,
      env,
    ),
  );
  assert.deepEqual([batch.state, batch.successfulCount], ['SUCCEEDED', 2]);
  const jobs = await runCli(['cloud', 'batch-prediction-jobs', 'list'], workspace, env);
  assert.match(jobs.stdout, /^JOB_ID\s+DISPLAY_NAME\s+STATE.*\n\d+\s+b\s+SUCCEEDED/);

  const stopped = await runCli(['sandbox', 'stop'], workspace, env);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, /Stopped the sandbox/);
  const noTarget = await runCli(['cloud', 'endpoints', 'list'], workspace, env);
  assert.equal(noTarget.code, 2);
  assert.equal(noTarget.stderr.trim().split('\n').length, 1, noTarget.stderr);
  assert.match(noTarget.stderr, /^No cloud to talk to: pass --project PROJECT.*sandbox start --detach/);
});
