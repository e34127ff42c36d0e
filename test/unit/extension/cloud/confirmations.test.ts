import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deleteEndpointConfirmation,
  deleteModelConfirmation,
  promoteConfirmation,
  rollbackConfirmation,
  undeployConfirmation,
} from '../../../../src/extension/cloud/confirmations';
import { isUserError } from '../../../../src/shared/errors';
import { deployed, endpoint, version } from './fixtures';

describe('confirmation texts', () => {
  const canaried = endpoint('9', [deployed('1', '1', 90), deployed('2', '2', 10)]);

  it('says where an undeployed model’s traffic moves', () => {
    const c = undeployConfirmation(canaried, '1');
    assert.equal(c.message, 'Undeploy mnist-mlp v1 from endpoint "mnist-endpoint"?');
    assert.match(c.detail, /^Its 90% of the traffic moves to the others: mnist-mlp v2: 10% → 100%\./);
    assert.match(c.detail, /stays in the Model Registry/);
    assert.equal(c.button, 'Undeploy');
  });

  it('warns that undeploying the only model leaves the endpoint answering nothing', () => {
    const c = undeployConfirmation(endpoint('9', [deployed('1', '1', 100)]), '1');
    assert.match(c.detail, /only model on the endpoint: afterwards "mnist-endpoint" answers no predictions/);
  });

  it('lists the models a deleted endpoint undeploys first', () => {
    const c = deleteEndpointConfirmation(canaried);
    assert.equal(c.message, 'Delete endpoint "mnist-endpoint"?');
    assert.match(c.detail, /Its 2 deployed models \(mnist-mlp v1, mnist-mlp v2\) are undeployed first/);
    assert.match(deleteEndpointConfirmation(endpoint('8', [])).detail, /^It has no deployed models\./);
  });

  it('refuses to delete a deployed model and names where it is deployed', () => {
    const v1 = version('111', '1', { deployedTo: [{ endpoint: canaried.name, deployedModelId: '1' }] });
    const v2 = version('111', '2');
    const result = deleteModelConfirmation(v1, [v1, v2], [canaried]);
    assert.deepEqual(result, { refusal: 'Cannot delete model "mnist-mlp": it is deployed (v1 on "mnist-endpoint"). Undeploy it first.' });
    const onlyV2 = deleteModelConfirmation(v1, [v1, v2], [canaried], '2');
    assert.ok('message' in onlyV2);
    assert.equal(onlyV2.message, 'Delete version 2 of model "mnist-mlp"?');
  });

  it('counts the versions a model deletion removes', () => {
    const c = deleteModelConfirmation(version('111', '1'), [version('111', '1'), version('111', '2')], []);
    assert.ok('detail' in c);
    assert.match(c.detail, /All 2 versions/);
  });

  it('describes a promotion and a rollback by their traffic moves', () => {
    const promote = promoteConfirmation(canaried, '2', true);
    assert.equal(promote.message, 'Promote mnist-mlp v2 to 100% of endpoint "mnist-endpoint"?');
    assert.equal(promote.detail, 'mnist-mlp v1: 90% → 0%, mnist-mlp v2: 10% → 100%. Then mnist-mlp v1 is undeployed.');
    const rollback = rollbackConfirmation(canaried, '2');
    assert.equal(rollback.detail, 'It is undeployed. Its 10% of the traffic moves to the others: mnist-mlp v1: 90% → 100%.');
  });
});

describe('a confirmation for a deployed model that is gone', () => {
  it('is a UserError (the user refreshes and picks again), not a failure', () => {
    assert.throws(() => undeployConfirmation(endpoint('9', [deployed('1', '1', 100)]), '7'), (error: Error) => isUserError(error) && error.message === '7 is not deployed on endpoint 9');
  });
});
