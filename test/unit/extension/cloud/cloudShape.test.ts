import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployedNodes, endpointNodes, errorNode, itemView, modelNodes, nodeId, versionNodes, type ShapeContext } from '../../../../src/extension/cloud/cloudShape';
import { parseStoredTarget, SANDBOX_TARGET, targetLabel } from '../../../../src/extension/cloud/target';
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

  it('shows model versions newest first with their run, test accuracy and where they are deployed', () => {
    const e = endpoint('9', [deployed('1', '1', 100)]);
    const v1 = version('111', '1', { deployedTo: [{ endpoint: e.name, deployedModelId: '1' }] });
    const nodes = versionNodes([v1, version('111', '2')]);
    const views = nodes.map((n) => itemView(n, context({ endpoints: [e] })));
    assert.deepEqual(views.map((v) => v.label), ['v2', 'v1']);
    assert.equal(views[1].description, 'default · run run-1 · test acc 0.9712 · deployed: mnist-endpoint');
    assert.equal(views[1].contextValue, 'cloudVersion deployed');
    assert.equal(views[0].contextValue, 'cloudVersion');
  });

  it('shows a version\'s registry evaluation (accuracy, log loss, most confused classes) ahead of its label', () => {
    const evaluated = version('111', '3', {
      evaluation: {
        name: 'e',
        displayName: 'Test set of run run-3',
        accuracy: 0.9,
        logLoss: 0.31,
        samples: 10,
        confusionMatrix: { labels: ['cat', 'dog'], matrix: [[5, 0], [1, 4]] },
      },
    });
    const view = itemView(versionNodes([evaluated])[0], context());
    assert.equal(view.description, 'run run-3 · test acc 0.9000 · log loss 0.310');
    assert.match(view.tooltip ?? '', /Evaluation \(Test set of run run-3\): accuracy 0\.9000, log loss 0\.3100, 10 examples; most confused: dog→cat ×1/);
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
    assert.equal(views[0].description, '90% · n1-standard-4 · ×1 · ready · ~$0.22/h');
    assert.equal(views[1].description, '10% · n1-standard-4 · ×1-2 · canary · ready · ~$0.22–0.44/h');
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
