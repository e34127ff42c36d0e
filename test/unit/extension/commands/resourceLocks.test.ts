import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busyMessage, lockKey, ResourceBusy, ResourceLocks } from '../../../../src/extension/commands/resourceLocks';

describe('locks per resource', () => {
  it('refuses a second push of the same run, naming what runs and how far it got', () => {
    const locks = new ResourceLocks();
    const first = locks.acquire([lockKey.run('run-1')], 'pushing mnist-mlp to Local sandbox');
    assert.throws(
      () => locks.acquire([lockKey.run('run-1')], 'pushing mnist-mlp to Local sandbox'),
      (error: unknown) => error instanceof ResourceBusy && error.holder === first && error.message === 'Already pushing mnist-mlp to Local sandbox (waiting for your answers).',
    );
    first.report('(1/3) Uploading model files… 2/4 · 40%');
    assert.equal(busyMessage(locks.holderOf([lockKey.run('run-1')]) ?? assert.fail()), 'Already pushing mnist-mlp to Local sandbox: (1/3) Uploading model files… 2/4 · 40%.');
  });

  it('lets other resources go at once, and frees all keys of a lease together', async () => {
    const locks = new ResourceLocks();
    const run1 = locks.acquire([lockKey.run('run-1')], 'pushing run 1');
    const run2 = locks.acquire([lockKey.run('run-2')], 'pushing run 2');
    const deploy = locks.acquire([lockKey.endpoint('projects/p/locations/r/endpoints/9'), lockKey.model('projects/p/locations/r/models/5')], 'deploying');
    assert.equal(locks.holders.length, 3);
    // A version's name holds its model.
    assert.equal(locks.holderOf([lockKey.model('projects/p/locations/r/models/5@2')]), deploy);
    // All or nothing: one held key refuses the whole set and takes none.
    assert.throws(() => locks.acquire([lockKey.run('run-3'), lockKey.run('run-2')], 'x'), ResourceBusy);
    assert.equal(locks.holderOf([lockKey.run('run-3')]), undefined);
    let finished = false;
    void deploy.finished.then(() => (finished = true));
    deploy.release();
    deploy.release();
    await Promise.resolve();
    assert.equal(finished, true, 'whoever waits on the holder learns that it ended');
    assert.equal(locks.holderOf([lockKey.endpoint('projects/p/locations/r/endpoints/9'), lockKey.model('projects/p/locations/r/models/5')]), undefined);
    run1.release();
    assert.deepEqual(locks.holders, [run2]);
    locks.acquire([lockKey.run('run-1')], 'pushing run 1 again').release();
  });
});
