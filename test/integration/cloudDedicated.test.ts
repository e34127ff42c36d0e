// Dedicated endpoints and request-response logging with the real
// @google-cloud/aiplatform clients against the sandbox: a dedicated endpoint
// gets its own DNS name, the shared host refuses its predictions and the
// library routes them there; sampled requests land in the logging table;
// logging settings change with UpdateEndpoint; bad settings are refused.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEndpoint, deployModel, predict, pushModel, toProtoValue, updateEndpointLogging } from '../../src/cloud';
import { SANDBOX_PROJECT, SANDBOX_SERVING_IMAGE } from '../../src/sandbox';
import { loggingFile } from '../../src/sandbox/vertex/predictionService';
import { loadServingTf } from '../../src/serving';
import { isUserError } from '../../src/shared/errors';
import { argmax, mnistDigits, trainMnistRun } from './cloudFixtures';
import { tempDir } from '../helpers/cleanup';
import { sandboxForTest } from './sandboxClients';

const FAST = { initialPollMs: 20 };

test('a dedicated endpoint answers only at its DNS name, and request-response logging samples into its table', async (t) => {
  const { tf } = await loadServingTf();
  const root = tempDir('ms-cloud-dedicated-');
  const run = await trainMnistRun(tf, join(root, 'runs'), { runId: 'run-d', seed: 6, samples: 200, epochs: 1 });
  const dataDir = join(root, 'sandbox');
  const { sandbox, clients } = await sandboxForTest(t, dataDir, { operationDelayMs: 30 });
  const { model } = await pushModel(clients, { runDir: run.runDir, bucket: 'gs://ms-dedicated', createBucket: true, displayName: 'mnist', imageUri: SANDBOX_SERVING_IMAGE, wait: FAST });
  const table = `bq://${SANDBOX_PROJECT}.predictions.mnist`;
  const dedicated = await createEndpoint(
    clients,
    { displayName: 'dedicated', dedicated: true, inferenceTimeoutSeconds: 30, logging: { enabled: true, samplingRate: 1, table } },
    FAST,
  );
  assert.match(dedicated.dedicatedEndpointDns ?? '', new RegExp(`^${dedicated.id}\\.us-central1-\\d{12}\\.prediction\\.vertexai\\.goog$`));
  assert.equal(dedicated.inferenceTimeoutSeconds, 30);
  assert.deepEqual(dedicated.logging, { enabled: true, samplingRate: 1, table });
  const shared = await createEndpoint(clients, { displayName: 'shared' }, FAST);
  assert.equal(shared.dedicatedEndpointDns, undefined);
  await deployModel(clients, { endpoint: dedicated.id, model: model.id }, FAST);
  await deployModel(clients, { endpoint: shared.id, model: model.id }, FAST);

  const digits = mnistDigits(9100, 3);
  const instances = digits.images;
  // The shared regional host refuses a dedicated endpoint, naming its DNS.
  await assert.rejects(
    clients.prediction.predict({ endpoint: dedicated.name, instances: instances.map(toProtoValue) as never }),
    (error: { code?: number; details?: string }) =>
      error.code === 9 && error.details === `Dedicated Endpoint cannot be accessed through the shared Vertex AI domain ${sandbox.info.apiEndpoint}. Please access the endpoint using its dedicated domain name '${dedicated.dedicatedEndpointDns}'.`,
  );
  // The library goes to the dedicated DNS name; the answers are the shared endpoint's (same model).
  const viaDedicated = await predict(clients, dedicated.id, { instances });
  const viaShared = await predict(clients, shared.id, { instances });
  assert.deepEqual(viaDedicated.predictions.map((p) => argmax(p as number[])), viaShared.predictions.map((p) => argmax(p as number[])));
  // A dedicated DNS name serves only its own endpoint.
  await assert.rejects(
    clients.dedicatedPrediction(dedicated.dedicatedEndpointDns as string).predict({ endpoint: shared.name, instances: instances.map(toProtoValue) as never }),
    (error: { code?: number; details?: string }) => error.code === 5 && /serves one dedicated endpoint/.test(error.details ?? ''),
  );

  // Logging at rate 1: one row per request, in the table's file.
  const file = loggingFile(join(dataDir, 'vertex'), table);
  const rows = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { endpoint: string; request_payload: string[] });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].endpoint, dedicated.name);
  assert.deepEqual((JSON.parse(rows[0].request_payload[0]) as { instances: unknown }).instances, instances);
  assert.equal(existsSync(loggingFile(join(dataDir, 'vertex'), `bq://${SANDBOX_PROJECT}.logging_shared_${shared.id}.request_response_logging`)), false, 'no logging unless enabled');
  const off = await updateEndpointLogging(clients, dedicated.id, { enabled: false, samplingRate: 0 });
  assert.equal(off.logging?.enabled, false);
  await predict(clients, dedicated.id, { instances });
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 1);
  // Without a table, Vertex AI's default one is named after the endpoint.
  const on = await updateEndpointLogging(clients, shared.id, { enabled: true, samplingRate: 0.5 });
  assert.equal(on.logging?.table, `bq://${SANDBOX_PROJECT}.logging_shared_${shared.id}.request_response_logging`);

  // Bad settings: one line before any call, and the sandbox's own checks.
  await assert.rejects(updateEndpointLogging(clients, shared.id, { enabled: true, samplingRate: 2 }), (error: Error) => isUserError(error) && /rate must be from 0 to 1/.test(error.message));
  await assert.rejects(createEndpoint(clients, { displayName: 'x', logging: { enabled: true, samplingRate: 1, table: 'mytable' } }), /"mytable" is not a BigQuery table: use bq:\/\/PROJECT\.DATASET\.TABLE/);
  await assert.rejects(createEndpoint(clients, { displayName: 'x', inferenceTimeoutSeconds: 7200 }), /at most 3600 seconds/);
  await assert.rejects(
    clients.endpoints.updateEndpoint({
      endpoint: { name: shared.name, predictRequestResponseLoggingConfig: { enabled: true, samplingRate: 1.5 } },
      updateMask: { paths: ['predict_request_response_logging_config'] },
    }),
    (error: { code?: number; details?: string }) => error.code === 3 && /sampling_rate must be from 0 to 1, got 1.5/.test(error.details ?? ''),
  );
});
