import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveTarget, waitTimeoutMs } from '../../../src/cli/cloud/target';
import { tempDir } from '../../helpers/cleanup';

function withSandbox<T>(running: boolean, body: () => T): T {
  const dir = tempDir('ms-target-');
  if (running) {
    writeFileSync(
      join(dir, 'sandbox.json'),
      JSON.stringify({ pid: process.pid, apiEndpoint: '127.0.0.1:7000', storageEndpoint: 'http://127.0.0.1:7001', project: 'model-studio-sandbox', region: 'us-central1', dataDir: dir, startedAt: '' }),
    );
  }
  const saved = process.env.MODEL_STUDIO_SANDBOX_DIR;
  process.env.MODEL_STUDIO_SANDBOX_DIR = dir;
  try {
    return body();
  } finally {
    process.env.MODEL_STUDIO_SANDBOX_DIR = saved;
  }
}

test('with no project and a running sandbox, commands target the sandbox in plaintext', () => {
  const target = withSandbox(true, () => resolveTarget({}, {}));
  assert.ok(target.sandbox);
  assert.deepEqual(target.config, {
    project: 'model-studio-sandbox',
    region: 'us-central1',
    apiEndpoint: '127.0.0.1:7000',
    storageEndpoint: 'http://127.0.0.1:7001',
    insecure: true,
  });
});

test('a project (flag or CLOUDSDK_CORE_PROJECT) targets Google Cloud even while a sandbox runs', () => {
  const fromFlag = withSandbox(true, () => resolveTarget({ project: 'my-project', region: 'europe-west4' }, {}));
  assert.equal(fromFlag.sandbox, undefined);
  assert.deepEqual(fromFlag.config, { project: 'my-project', region: 'europe-west4', apiEndpoint: undefined, storageEndpoint: undefined, insecure: false });
  const fromEnv = withSandbox(true, () => resolveTarget({}, { CLOUDSDK_CORE_PROJECT: 'env-project', CLOUDSDK_AI_REGION: 'asia-east1' }));
  assert.equal(fromEnv.config.project, 'env-project');
  assert.equal(fromEnv.config.region, 'asia-east1');
});

test('with neither a project nor a sandbox the error says how to get one', () => {
  assert.throws(() => withSandbox(false, () => resolveTarget({}, {})), /No cloud to talk to: pass --project PROJECT .*sandbox start --detach/);
  assert.equal(waitTimeoutMs('90'), 90_000);
  assert.throws(() => waitTimeoutMs('soon'), /--timeout must be a number of seconds/);
});
