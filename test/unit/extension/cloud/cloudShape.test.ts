import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SandboxInfo } from '../../../../src/core/sandboxInfo';
import { deployedNodes, endpointNodes, errorNode, itemView, modelNodes, nodeId, versionNodes, type ShapeContext } from '../../../../src/extension/cloud/cloudShape';
import { parseStoredTarget, resolveTarget, SANDBOX_TARGET, targetLabel } from '../../../../src/extension/cloud/target';
import { deployed, endpoint, version } from './fixtures';

const context = (extra: Partial<ShapeContext> = {}): ShapeContext => ({ target: SANDBOX_TARGET, sandboxRunning: true, busy: new Map(), now: Date.parse('2026-11-27T11:30:00Z'), ...extra });

describe('cloud tree shape', () => {
  it('labels the target: the local sandbox by default, or project · region, and reads back only valid stored targets', () => {
    assert.equal(itemView({ type: 'target' }, context()).label, 'Local sandbox');
    assert.equal(itemView({ type: 'target' }, context({ sandboxRunning: false })).description, 'not running · starts on demand');
    assert.equal(targetLabel({ kind: 'project', project: 'my-project-1', region: 'europe-west4' }), 'my-project-1 · europe-west4');
    assert.deepEqual(parseStoredTarget({ kind: 'project', project: 'my-project-1', region: 'us-central1' }), { kind: 'project', project: 'my-project-1', region: 'us-central1' });
    assert.deepEqual(parseStoredTarget({ kind: 'project', project: 'X', region: 'us-central1' }), SANDBOX_TARGET);
    assert.deepEqual(parseStoredTarget(undefined), SANDBOX_TARGET);
  });

  it('takes the target from the settings: a project, empty for the sandbox, the 0.1.0 stored target only while unset', () => {
    const stored = { kind: 'project', project: 'old-project-1', region: 'europe-west4' };
    assert.deepEqual(resolveTarget({ project: 'my-project-123', region: 'asia-east1' }, stored), { kind: 'project', project: 'my-project-123', region: 'asia-east1' });
    assert.deepEqual(resolveTarget({ project: ' my-project-123 ', region: undefined }, undefined), { kind: 'project', project: 'my-project-123', region: 'us-central1' });
    assert.deepEqual(resolveTarget({ project: '', region: 'us-central1' }, stored), SANDBOX_TARGET, 'an empty setting is the sandbox, whatever was stored');
    assert.deepEqual(resolveTarget({ project: undefined, region: 'us-central1' }, stored), stored);
    assert.deepEqual(resolveTarget({ project: undefined, region: 'us-central1' }, undefined), SANDBOX_TARGET);
    // A mistyped ID stays the target: connecting then names the mistake, instead of quietly using the sandbox.
    assert.deepEqual(resolveTarget({ project: 'My Project', region: 'us-central1' }, undefined), { kind: 'project', project: 'My Project', region: 'us-central1' });
  });

  it('shows the running sandbox with its port first, and its addresses, data folder and idle limit in the tooltip', () => {
    const sandbox: SandboxInfo = {
      pid: 4242,
      apiEndpoint: '127.0.0.1:40123',
      storageEndpoint: 'http://127.0.0.1:40124',
      project: 'model-studio-sandbox',
      region: 'us-central1',
      dataDir: '/home/me/.model-studio/sandbox',
      startedAt: '2026-11-27T11:18:00Z',
      idleMinutes: 30,
    };
    const running = itemView({ type: 'target' }, context({ sandbox }));
    assert.equal(running.label, 'Local sandbox');
    assert.equal(running.description, 'running · port 40123');
    assert.equal(running.contextValue, 'cloudTarget sandbox running', 'offers Stop Local Sandbox');
    for (const part of ['pid 4242', 'started 12 min ago', '`127.0.0.1:40123`', '`http://127.0.0.1:40124`', 'Data folder: `/home/me/.model-studio/sandbox`', 'Stops itself after 30 minutes without a request']) {
      assert.ok(running.tooltip?.includes(part), `${part} in ${running.tooltip}`);
    }
    assert.match(itemView({ type: 'target' }, context({ sandbox: { ...sandbox, idleMinutes: undefined } })).tooltip ?? '', /Runs until stopped/);
    const stopped = itemView({ type: 'target' }, context({ sandboxRunning: false }));
    assert.equal(stopped.description, 'not running · starts on demand');
    assert.equal(stopped.contextValue, 'cloudTarget sandbox stopped');
    const project = itemView({ type: 'target' }, context({ target: { kind: 'project', project: 'my-project-123', region: 'us-central1' } }));
    assert.equal(project.label, 'my-project-123 · us-central1');
    assert.equal(project.contextValue, 'cloudTarget project');
  });

  it('shows model versions newest first with their run, test accuracy and where they are deployed', () => {
    const e = endpoint('9', [deployed('1', '1', 100)]);
    const v1 = version('111', '1', { deployedTo: [{ endpoint: e.name, deployedModelId: '1' }] });
    const nodes = versionNodes([v1, version('111', '2')]);
    const views = nodes.map((n) => itemView(n, context({ endpoints: [e] })));
    assert.deepEqual(views.map((v) => v.label), ['v2', 'v1']);
    // The essential first (the end is cut off at the default side bar width): deployed, default, accuracy; the long run id last.
    assert.equal(views[1].description, 'deployed: mnist-endpoint · default · test acc 0.9712 · run run-1');
    assert.equal(views[1].contextValue, 'cloudVersion deployed');
    assert.equal(views[0].contextValue, 'cloudVersion');
  });

  it('offers to push when there are no models and to deploy when there are no endpoints', () => {
    const [noModels] = modelNodes([]);
    assert.equal(itemView(noModels, context()).command?.command, 'modelStudio.pushModel');
    const [noEndpoints] = endpointNodes([], new Map());
    assert.equal(itemView(noEndpoints, context()).command?.command, 'modelStudio.deployModel');
  });

  it('shows each deployed model with version, traffic, machine, replicas, state and cost; the endpoint with the total', () => {
    const e = endpoint('9', [deployed('1', '1', 90), deployed('2', '2', 10, { maxReplicaCount: 2 })]);
    const endpointView = itemView({ type: 'endpoint', endpoint: e }, context());
    assert.equal(endpointView.description, '2 models · ~$0.44–0.66/h');
    assert.match(endpointView.tooltip ?? '', /Estimated cost of its 2 deployed models: ~\$0\.44–0\.66\/h/);
    assert.equal(endpointView.contextValue, 'cloudEndpoint hasDeployed canSplit hasCanary');
    const views = deployedNodes(e, new Map()).map((n) => itemView(n, context()));
    assert.deepEqual(views.map((v) => v.label), ['mnist-mlp v1', 'mnist-mlp v2']);
    // Traffic and canary first, the machine last.
    assert.equal(views[0].description, '90% · ready · ~$0.22/h · n1-standard-4 ×1');
    assert.equal(views[1].description, '10% · canary · ready · ~$0.22–0.44/h · n1-standard-4 ×1-2');
    assert.match(views[1].contextValue, /\bcanary\b/);
    assert.match(views[0].tooltip ?? '', /Estimated cost of this deployment: ~\$0\.22\/h/);
  });

  it('marks busy nodes with the spinning icon and what is happening, and lists deployments under way', () => {
    const e = endpoint('9', [deployed('1', '1', 100)]);
    const busy = new Map([
      [nodeId({ type: 'endpoint', endpoint: e }), 'Deploying…'],
      ['cloud:deploying:9:mnist-mlp@2', 'Deploying mnist-mlp v2…'],
    ]);
    const view = itemView({ type: 'endpoint', endpoint: e }, context({ busy }));
    assert.equal(view.icon.id, 'loading~spin');
    assert.match(view.description ?? '', /^Deploying… 1 model/);
    const children = deployedNodes(e, busy).map((n) => itemView(n, context({ busy })));
    assert.deepEqual(children.map((c) => [c.label, c.icon.id]).at(-1), ['Deploying mnist-mlp v2…', 'loading~spin']);
  });

  it('reminds on a deployment that served no predictions for over an hour', () => {
    const e = endpoint('9', [deployed('1', '1', 100, { createTime: '2026-11-27T08:00:00Z' })]);
    const [node] = deployedNodes(e, new Map());
    assert.match(itemView(node, context()).tooltip ?? '', /No predictions for 3 h, but it still bills/);
    assert.match(itemView(node, context()).description ?? '', /^100% · idle · /);
    assert.equal(itemView(node, context({ lastPrediction: () => '2026-11-27T11:00:00Z' })).tooltip?.includes('No predictions'), false);
  });

  it('turns a failure into an error node with Retry', () => {
    const view = itemView(errorNode('endpoints', 'list endpoints', 'UNAVAILABLE: connect ECONNREFUSED\n127.0.0.1:1'), context());
    assert.equal(view.label, 'Could not list endpoints');
    assert.equal(view.description, 'UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:1');
    assert.equal(view.command?.command, 'modelStudio.refreshCloud');
    assert.equal(view.icon.id, 'error');
  });
});
