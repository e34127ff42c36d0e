// The sandbox's Vertex AI server through the real client library, with a
// stand-in model server: persistence, versions, operations, limits, etags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudClients } from '../../../src/cloud/clients';
import { toProtoValue } from '../../../src/cloud/value';
import { startVertexSandbox, type VertexSandbox } from '../../../src/sandbox/vertex/server';
import { tempDir } from '../../helpers/cleanup';

const standIn = async (): Promise<{ predict: (i: unknown[]) => Promise<unknown[]>; dispose: () => void }> => ({
  predict: async (instances) => instances.map(() => 1),
  dispose: () => undefined,
});

async function open(stateDir: string, operationDelayMs: number): Promise<{ sandbox: VertexSandbox; clients: CloudClients }> {
  const sandbox = await startVertexSandbox({ stateDir, operationDelayMs, loadModel: standIn });
  const clients = await CloudClients.connect({ project: 'unit-project', region: 'us-central1', apiEndpoint: sandbox.address, insecure: true });
  return { sandbox, clients };
}

async function close(s: { sandbox: VertexSandbox; clients: CloudClients }): Promise<void> {
  await s.clients.close();
  await s.sandbox.close();
}

test('resources persist across a restart, and an operation left pending finishes after it', async () => {
  const stateDir = tempDir('ms-vertex-state-');
  let s = await open(stateDir, 60_000);
  const [operation] = await s.clients.endpoints.createEndpoint({ parent: s.clients.parent, endpoint: { displayName: 'slow' } });
  const [raw] = await s.clients.endpoints.getOperation({ name: operation.name } as never);
  assert.equal(raw.done, false);
  await close(s);

  s = await open(stateDir, 10);
  const [endpoint] = await (await s.clients.endpoints.checkCreateEndpointProgress(String(operation.name))).promise();
  assert.equal(endpoint.displayName, 'slow');
  const [endpoints] = await s.clients.endpoints.listEndpoints({ parent: s.clients.parent });
  assert.deepEqual(endpoints.map((e) => e.displayName), ['slow']);
  const operations: string[] = [];
  for await (const op of s.clients.endpoints.listOperationsAsync({ name: s.clients.parent } as never)) operations.push(String(op.name));
  assert.deepEqual(operations, [operation.name]);
  await close(s);
});

test('a second upload with parent_model makes version 2; the default moves only when asked', async () => {
  const s = await open(tempDir('ms-vertex-versions-'), 0);
  const upload = async (parentModel?: string, aliases: string[] = []): Promise<{ model?: string | null; modelVersionId?: string | null }> => {
    const [op] = await s.clients.models.uploadModel({
      parent: s.clients.parent,
      parentModel,
      model: { displayName: 'm', versionAliases: aliases, containerSpec: { imageUri: 'img' } },
    });
    return (await op.promise())[0];
  };
  const first = await upload();
  const second = await upload(String(first.model));
  assert.equal(second.model, first.model);
  assert.equal(second.modelVersionId, '2');
  const [byDefault] = await s.clients.models.getModel({ name: String(first.model) });
  assert.equal(byDefault.versionId, '1');
  await upload(String(first.model), ['default', 'candidate']);
  const [latest] = await s.clients.models.getModel({ name: `${first.model}@candidate` });
  assert.equal(latest.versionId, '3');
  assert.deepEqual(latest.versionAliases, ['default', 'candidate']);
  const [versions] = await s.clients.models.listModelVersions({ name: String(first.model) });
  assert.deepEqual(versions.map((v) => v.versionId), ['1', '2', '3']);
  await assert.rejects(s.clients.models.deleteModelVersion({ name: `${first.model}@3` }), /FAILED_PRECONDITION.*default version/);
  await assert.rejects(s.clients.models.getModel({ name: `${first.model}@9` }), /NOT_FOUND/);
  await close(s);
});

test('every endpoint update changes the etag; an update without a mask is refused; a predict over 1.5 MB is refused', async () => {
  const s = await open(tempDir('ms-vertex-etag-'), 0);
  const [op] = await s.clients.endpoints.createEndpoint({ parent: s.clients.parent, endpoint: { displayName: 'e' } });
  const [endpoint] = await op.promise();
  const [renamed] = await s.clients.endpoints.updateEndpoint({ endpoint: { name: endpoint.name, displayName: 'renamed' }, updateMask: { paths: ['display_name'] } });
  assert.equal(renamed.displayName, 'renamed');
  assert.notEqual(renamed.etag, endpoint.etag);
  await assert.rejects(s.clients.endpoints.updateEndpoint({ endpoint: { name: endpoint.name, displayName: 'x' } }), /INVALID_ARGUMENT: update_mask is required/);
  await assert.rejects(
    s.clients.endpoints.updateEndpoint({ endpoint: { name: endpoint.name, displayName: 'x', etag: endpoint.etag }, updateMask: { paths: ['display_name'] } }),
    /ABORTED: The etag/,
  );
  const big = Array.from({ length: 200_000 }, (_, i) => i / 7);
  await assert.rejects(
    s.clients.prediction.predict({ endpoint: endpoint.name, instances: [toProtoValue(big) as never] }),
    /INVALID_ARGUMENT: Request payload size exceeds the limit: 1572864 bytes/,
  );
  await assert.rejects(s.clients.prediction.predict({ endpoint: endpoint.name, instances: [toProtoValue([1]) as never] }), /FAILED_PRECONDITION: .*no deployed model with traffic/);
  await close(s);
});
