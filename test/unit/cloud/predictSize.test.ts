import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudClients } from '../../../src/cloud/clients';
import { predict } from '../../../src/cloud/predict';
import { MAX_PREDICT_BYTES, predictRequestSize } from '../../../src/cloud/predictSize';
import { toProtoValue } from '../../../src/cloud/value';
import { encodeMessage } from '../../../src/sandbox/vertex/protos';
import { UserError } from '../../../src/shared/errors';

const endpoint = 'projects/p-123456/locations/us-central1/endpoints/42';

test('the computed request size equals the protobuf encoding of the PredictRequest', () => {
  const image = Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => (r * 28 + c) / 784));
  const payloads: [unknown[], unknown][] = [
    [[image, image], undefined],
    [[{ text: 'héllo', n: 1, flag: true, nothing: null }], { temperature: 0.5 }],
    [[Array.from({ length: 300 }, (_, i) => i)], undefined],
  ];
  for (const [instances, parameters] of payloads) {
    const encoded = encodeMessage('google.cloud.aiplatform.v1.PredictRequest', {
      endpoint,
      instances: instances.map(toProtoValue),
      ...(parameters === undefined ? {} : { parameters: toProtoValue(parameters) }),
    });
    assert.equal(predictRequestSize(endpoint, instances, parameters), encoded.length);
  }
});

test('a payload over 1.5 MB is refused before sending, with its size', async () => {
  // Nothing listens on port 1: a request that got sent would fail differently.
  const clients = await CloudClients.connect({ project: 'p-123456', region: 'us-central1', apiEndpoint: '127.0.0.1:1', insecure: true });
  const image = Array.from({ length: 784 }, () => 0.5);
  const instances = Array.from({ length: 240 }, () => image);
  assert.ok(predictRequestSize(endpoint, instances) > MAX_PREDICT_BYTES);
  await assert.rejects(predict(clients, '42', { instances }), (error: Error) => {
    assert.ok(error instanceof UserError);
    assert.match(error.message, /The prediction request is 1\.\d\d MB \(\d+ bytes\); Vertex AI accepts at most 1\.5 MB \(1572864 bytes\)/);
    return true;
  });
  await clients.close();
});
