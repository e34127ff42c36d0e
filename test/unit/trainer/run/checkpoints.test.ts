// Saving a model or a checkpoint survives a kill at every step of the
// protocol (a throwing hook stands for the kill: nothing after it runs), the
// next start finds one complete copy, and temporary folders are never taken
// for checkpoints. Checkpoints order by progress, names of older versions too.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ReplaceStep } from '../../../../src/core/atomicFolder';
import { loadModelFromFolder, saveModelToFolder } from '../../../../src/core/modelFolder';
import { tempDir } from '../../../helpers/cleanup';
import { checkpointName, latestCheckpoint, listCheckpoints, pruneCheckpoints, recoverRunFolder, saveCheckpoint, type CheckpointState } from '../../../../src/trainer/run/checkpoints';

const STEPS: ReplaceStep[] = ['written', 'ready', 'setAside', 'replaced'];

before(async () => {
  await tf.setBackend('cpu');
});

/** A one-layer model whose kernel is all `value`: which copy was loaded is plain to see. */
function modelOf(value: number): LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: tf.initializers.constant({ value }) })] });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}

async function kernelOf(dir: string): Promise<number> {
  const model = await loadModelFromFolder(tf, dir);
  return (model.getWeights()[0].dataSync() as Float32Array)[0];
}

class Killed extends Error {}

function killAt(step: ReplaceStep): (reached: ReplaceStep) => void {
  return (reached) => {
    if (reached === step) throw new Killed(step);
  };
}

function runFolder(): string {
  const folder = tempDir('ms-run-');
  mkdirSync(join(folder, 'checkpoints'));
  return folder;
}

for (const step of STEPS) {
  test(`a kill after step '${step}' of replacing model/ leaves a complete model for the next start`, async () => {
    const folder = runFolder();
    const dir = join(folder, 'model');
    await saveModelToFolder(tf, modelOf(1), dir);
    await assert.rejects(saveModelToFolder(tf, modelOf(2), dir, { afterStep: killAt(step) }), Killed);
    await recoverRunFolder(folder);
    // Before the new copy was complete the old one stays; once it was, the new one wins.
    assert.equal(await kernelOf(dir), step === 'written' ? 1 : 2);
    assert.deepEqual(readdirSync(folder).sort(), ['checkpoints', 'model'], 'no leftovers');
  });

  test(`a kill after step '${step}' of a new checkpoint: never listed half-written, complete or gone after the next start`, async () => {
    const folder = runFolder();
    const checkpoints = join(folder, 'checkpoints');
    const state: CheckpointState = { epochsCompleted: 0, seed: 1, step: 7, batchInEpoch: 7, batchesPerEpoch: 10 };
    await saveCheckpoint(tf, modelOf(1), checkpoints, checkpointName(0, 3), { ...state, step: 3, batchInEpoch: 3 });
    const name = checkpointName(0, 7);
    await assert.rejects(saveCheckpoint(tf, modelOf(2), checkpoints, name, state, { afterStep: killAt(step) }), Killed);
    // Until the next start, a reader sees only complete checkpoints.
    for (const checkpoint of await listCheckpoints(checkpoints)) assert.ok(await kernelOf(checkpoint.dir));
    await recoverRunFolder(folder);
    const latest = await latestCheckpoint(checkpoints);
    if (step === 'written') {
      assert.equal(latest?.name, checkpointName(0, 3));
    } else {
      assert.equal(latest?.name, name);
      assert.deepEqual(latest?.state, state, 'the state was saved with the weights, in the same folder');
      assert.equal(await kernelOf(latest.dir), 2);
    }
    assert.ok(readdirSync(checkpoints).every((n) => /^epoch-\d{4}-step-\d{9}$/.test(n)), `no leftovers: ${readdirSync(checkpoints).join(', ')}`);
  });
}

test('leftovers of older versions (model.saving-PID, model.old-PID) are cleaned, and a lone old copy is put back', async () => {
  const folder = runFolder();
  await saveModelToFolder(tf, modelOf(3), join(folder, 'model.old-123'));
  mkdirSync(join(folder, 'model.saving-123'));
  await recoverRunFolder(folder);
  assert.equal(await kernelOf(join(folder, 'model')), 3);
  assert.deepEqual(readdirSync(folder).sort(), ['checkpoints', 'model']);
});

test('checkpoints order by progress, not by name: older names and the later of two saves of one epoch', async () => {
  const folder = runFolder();
  const checkpoints = join(folder, 'checkpoints');
  const older = (name: string, state: CheckpointState, seconds: number): void => {
    const dir = join(checkpoints, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.json'), '{}');
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
    utimesSync(join(dir, 'state.json'), seconds, seconds);
  };
  // An older version numbered mid-epoch checkpoints by the batches of one process: 151 came after 303.
  older('epoch-0000-batch-000303', { epochsCompleted: 0, seed: 1 }, 1000);
  older('epoch-0000-batch-000151', { epochsCompleted: 0, seed: 1 }, 2000);
  older('epoch-0001', { epochsCompleted: 1, seed: 1 }, 3000);
  await saveCheckpoint(tf, modelOf(1), checkpoints, checkpointName(1, 2000), { epochsCompleted: 1, seed: 1, step: 2000, batchInEpoch: 125 });
  const order = (await listCheckpoints(checkpoints)).map((c) => c.name);
  assert.deepEqual(order, ['epoch-0000-batch-000303', 'epoch-0000-batch-000151', 'epoch-0001', 'epoch-0001-step-000002000']);
  // A folder a kill left mid-save is no checkpoint: it neither counts for `keep` nor survives as one.
  mkdirSync(join(checkpoints, 'epoch-0001-step-000002100.saving-42-abcd'));
  await pruneCheckpoints(checkpoints, 2);
  assert.deepEqual((await listCheckpoints(checkpoints)).map((c) => c.name), ['epoch-0001', 'epoch-0001-step-000002000']);
  // keep: 1 never deletes the one run.json names, even when it is not the furthest.
  await pruneCheckpoints(checkpoints, 1, ['epoch-0001']);
  assert.deepEqual((await listCheckpoints(checkpoints)).map((c) => c.name), ['epoch-0001', 'epoch-0001-step-000002000']);
});
