// Model evaluations with the real @google-cloud/aiplatform client against the
// sandbox: push imports the run's test evaluation (classification metrics
// schema: log loss, confusion matrix with its annotation specs) onto the new
// version; each version reads back its own, so versions compare without the
// local runs; the sandbox refuses metrics that break the schema.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import { listEvaluations, listModelVersions, pushModel, toProtoValue, withEvaluations } from '../../src/cloud';
import { SANDBOX_SERVING_IMAGE } from '../../src/sandbox';
import { loadServingTf } from '../../src/serving';
import { CLASSIFICATION_METRICS_SCHEMA } from '../../src/shared/modelEvaluation';
import { trainMnistRun } from './cloudFixtures';
import { tempDir } from '../helpers/cleanup';
import { sandboxForTest } from './sandboxClients';

const FAST = { initialPollMs: 20 };

test('push imports the run\'s test evaluation per version, and the sandbox holds evaluations to the classification schema', async (t) => {
  const { tf } = await loadServingTf();
  const root = tempDir('ms-cloud-evaluations-');
  const first = await trainMnistRun(tf, join(root, 'runs'), { runId: 'run-e1', seed: 2, samples: 200, epochs: 1 });
  const second = await trainMnistRun(tf, join(root, 'runs'), { runId: 'run-e2', seed: 4, samples: 400, epochs: 3 });
  const { clients } = await sandboxForTest(t, join(root, 'sandbox'), { operationDelayMs: 30 });
  const push = (runDir: string, parentModel?: string): ReturnType<typeof pushModel> =>
    pushModel(clients, { runDir, bucket: 'gs://ms-evals', createBucket: true, displayName: 'mnist', imageUri: SANDBOX_SERVING_IMAGE, parentModel, wait: FAST });

  const v1 = await push(first.runDir);
  assert.equal(v1.evaluationWarning, undefined);
  const e1 = v1.model.evaluation;
  assert.ok(e1);
  assert.equal(e1.displayName, 'Test set of run run-e1');
  assert.equal(e1.samples, 200);
  assert.equal(e1.accuracy, first.testAccuracy, 'accuracy comes back from the confusion matrix');
  assert.equal(e1.logLoss, 0.5);
  assert.deepEqual(e1.confusionMatrix?.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(e1.confusionMatrix?.matrix, first.confusionMatrix);

  // The second version's evaluation stays with it.
  const v2 = await push(second.runDir, v1.model.id);
  const versions = await withEvaluations(clients, await listModelVersions(clients, v1.model.id));
  assert.deepEqual(
    versions.map((v) => [v.versionId, v.evaluation?.accuracy]),
    [
      ['1', first.testAccuracy],
      ['2', second.testAccuracy],
    ],
  );
  assert.equal((await listEvaluations(clients, `${v1.model.id}@default`)).length, 1, 'MODEL@ALIAS reads the evaluations of the version it names');
  assert.equal(v2.model.evaluation?.samples, 200);

  // A run without an evaluation still pushes, and says what is missing.
  rmSync(join(first.runDir, 'metrics.jsonl'));
  const bare = await push(first.runDir, v1.model.id);
  assert.equal(bare.model.evaluation, undefined);
  assert.match(bare.evaluationWarning ?? '', /Run run-e1 has no test evaluation in its metrics.jsonl, so version 3 has none in the registry/);

  // The sandbox checks the classification metrics schema.
  const reject = async (metrics: unknown, pattern: RegExp): Promise<void> =>
    assert.rejects(
      clients.models.importModelEvaluation({
        parent: `${v1.model.name}@1`,
        modelEvaluation: { displayName: 'bad', metricsSchemaUri: CLASSIFICATION_METRICS_SCHEMA, metrics: toProtoValue(metrics) as never },
      }),
      (error: { code?: number; details?: string }) => error.code === 3 && pattern.test(error.details ?? ''),
      pattern.source,
    );
  await reject({ accuracy: 0.9 }, /fields the classification metrics schema does not define: accuracy/);
  await reject({ logLoss: -1 }, /logLoss must be a number of at least 0/);
  await reject({ confusionMatrix: { annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }], rows: [[1, 2]] } }, /rows must be 2 x 2/);
  await reject({ confusionMatrix: { annotationSpecs: [{ displayName: 'a' }], rows: [[1.5]] } }, /whole counts/);
  await assert.rejects(
    clients.models.importModelEvaluation({ parent: `${v1.model.name}@1`, modelEvaluation: { metricsSchemaUri: 'gs://elsewhere/schema.yaml', metrics: toProtoValue({}) as never } }),
    /is not a Vertex AI model evaluation schema/,
  );
});
