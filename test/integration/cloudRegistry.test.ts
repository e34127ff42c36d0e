// Model Registry rules with the real @google-cloud/aiplatform client against
// the sandbox: version aliases (the first version holds "default", an alias
// names exactly one version, the naming rule, "default" only moves), models
// named MODEL@ALIAS (describe, deploy), a deployed version refused deletion
// with its endpoint named, and Promote moving the aliases along.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  addVersionAliases,
  createEndpoint,
  deleteModel,
  deployCanary,
  deployModel,
  describeModel,
  listModelVersions,
  promoteCanary,
  pushModel,
  removeVersionAliases,
  undeployModel,
  type ModelSummary,
} from '../../src/cloud';
import { SANDBOX_SERVING_IMAGE } from '../../src/sandbox';
import { loadServingTf } from '../../src/serving';
import { isUserError } from '../../src/shared/errors';
import { trainMnistRun } from './cloudFixtures';
import { tempDir } from '../helpers/cleanup';
import { sandboxForTest } from './sandboxClients';

const FAST = { initialPollMs: 20 };

function holders(versions: ModelSummary[], alias: string): string[] {
  return versions.filter((v) => v.versionAliases.includes(alias)).map((v) => v.versionId);
}

test('version aliases, MODEL@ALIAS names, version deletion and Promote follow the Model Registry rules on the sandbox', async (t) => {
  const { tf } = await loadServingTf();
  const root = tempDir('ms-cloud-registry-');
  const run = await trainMnistRun(tf, join(root, 'runs'), { runId: 'run-r', seed: 5, samples: 200, epochs: 1 });
  const { clients } = await sandboxForTest(t, join(root, 'sandbox'), { operationDelayMs: 30 });
  const push = (options: { parentModel?: string; versionAliases?: string[]; versionDescription?: string }): ReturnType<typeof pushModel> =>
    pushModel(clients, { runDir: run.runDir, bucket: 'gs://ms-registry', createBucket: true, displayName: 'mnist', imageUri: SANDBOX_SERVING_IMAGE, wait: FAST, ...options });

  // Upload with --version-aliases; the first version holds "default" automatically.
  const v1 = (await push({ versionAliases: ['champion'], versionDescription: 'baseline' })).model;
  const modelId = v1.id;
  assert.deepEqual(v1.versionAliases, ['default', 'champion']);
  assert.equal(v1.versionDescription, 'baseline');
  // A new version takes "default" (as the SDK's upload does) and its own aliases.
  const v2 = (await push({ parentModel: modelId, versionAliases: ['challenger'] })).model;
  assert.equal(v2.versionId, '2');
  assert.deepEqual(v2.versionAliases, ['default', 'challenger']);
  let versions = await listModelVersions(clients, modelId);
  assert.deepEqual(holders(versions, 'default'), ['2'], 'exactly one version holds default');
  assert.deepEqual(holders(versions, 'champion'), ['1']);

  // The naming rule, checked before any call and by the sandbox itself.
  await assert.rejects(addVersionAliases(clients, `${modelId}@1`, ['Champion']), (error: Error) => {
    assert.ok(isUserError(error));
    assert.match(error.message, /^Version alias "Champion" is not valid: an alias must match \[a-z\]\[a-zA-Z0-9-\]\{0,126\}\[a-z0-9\]/);
    return true;
  });
  for (const bad of ['x', '1st', 'ends-', 'has_underscore']) {
    await assert.rejects(
      clients.models.mergeVersionAliases({ name: `${v1.name}@1`, versionAliases: [bad] }),
      (error: { code?: number; details?: string }) => error.code === 3 && /must match \[a-z\]\[a-zA-Z0-9-\]\{0,126\}\[a-z0-9\]/.test(error.details ?? ''),
      bad,
    );
  }
  assert.deepEqual((await addVersionAliases(clients, `${modelId}@1`, ['prodV2'])).versionAliases, ['champion', 'prodV2'], 'upper case inside an alias is allowed');

  // Adding an alias that another version holds moves it: one holder at a time.
  const moved = await addVersionAliases(clients, `${modelId}@2`, ['champion']);
  assert.deepEqual(moved.versionAliases, ['default', 'challenger', 'champion']);
  versions = await listModelVersions(clients, modelId);
  assert.deepEqual(holders(versions, 'champion'), ['2']);
  assert.deepEqual(versions.find((v) => v.versionId === '1')?.versionAliases, ['prodV2']);
  // MergeVersionAliases' own rules: "-x" removes, an alias added and removed at once cancels out.
  const [merged] = await clients.models.mergeVersionAliases({ name: `${v1.name}@1`, versionAliases: ['-prodV2', 'canary', '-canary'] });
  assert.deepEqual(merged.versionAliases, []);

  // "default" only moves.
  await assert.rejects(removeVersionAliases(clients, `${modelId}@2`, ['default']), /"default" alias cannot be removed, only moved/);
  await assert.rejects(
    clients.models.mergeVersionAliases({ name: `${v1.name}@2`, versionAliases: ['-default'] }),
    (error: { code?: number; details?: string }) => error.code === 9 && /cannot be removed: add it to another version/.test(error.details ?? ''),
  );
  await assert.rejects(removeVersionAliases(clients, `${modelId}@1`, ['champion']), /Version 1 of model \d+ has no alias "champion"; its aliases: none/);
  assert.deepEqual((await removeVersionAliases(clients, `${modelId}@2`, ['challenger'])).versionAliases, ['default', 'champion']);

  // MODEL@ALIAS anywhere a model is named: describe, deploy.
  assert.equal((await describeModel(clients, `${modelId}@champion`)).versionId, '2');
  await assert.rejects(describeModel(clients, `${modelId}@nobody`), /has no version or alias "nobody"/);
  const endpoint = await createEndpoint(clients, { displayName: 'registry' }, FAST);
  const deployed = await deployModel(clients, { endpoint: endpoint.id, model: `${modelId}@champion`, displayName: 'champ' }, FAST);
  assert.equal(deployed.deployedModel.modelVersionId, '2');

  // A deployed version cannot be deleted; the refusal names the endpoint.
  await addVersionAliases(clients, `${modelId}@1`, ['default']);
  await assert.rejects(deleteModel(clients, `${modelId}@champion`, FAST), (error: Error) => {
    assert.ok(isUserError(error));
    assert.ok(error.message.includes(`DeployedModel ${deployed.deployedModel.id} on ${endpoint.name}`), error.message);
    assert.match(error.message, /undeploy it first/);
    return true;
  });
  // Nor can the default version.
  await assert.rejects(deleteModel(clients, `${modelId}@1`, FAST), /is the default version/);

  // Promote with moveAliases: the canary's version takes the aliases of the version it replaces.
  const canary = await deployCanary(clients, { endpoint: endpoint.id, model: `${modelId}@1`, percent: 10 }, FAST);
  await promoteCanary(clients, { endpoint: endpoint.id, deployedModelId: canary.deployedModel.id, undeployOthers: true, moveAliases: true }, FAST);
  versions = await listModelVersions(clients, modelId);
  assert.deepEqual(holders(versions, 'champion'), ['1']);
  assert.deepEqual(holders(versions, 'default'), ['1']);
  // Version 2 is neither deployed nor the default any more: it can go.
  await deleteModel(clients, `${modelId}@2`, FAST);
  assert.deepEqual((await listModelVersions(clients, modelId)).map((v) => v.versionId), ['1']);
  await undeployModel(clients, endpoint.id, canary.deployedModel.id, FAST);
});
