// trainOnBatch's dropout: TF.js's Dropout layers draw each step's mask from a
// seed derived from (run seed, step, layer), and carry no seed outside a step.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DropoutSeeder, dropoutSeed, dropoutSeedPair } from '../../../src/trainer/dropoutSeed';

before(async () => {
  await tf.setBackend('cpu');
});

/** Two dropout layers at rate 0.5 on 2000 inputs, the second inside a nested model; a third seeded by the user. */
function model(userSeed?: number): tf.LayersModel {
  const inner = tf.sequential({ layers: [tf.layers.dropout({ rate: 0.5, inputShape: [2000] })] });
  return tf.sequential({
    layers: [tf.layers.dropout({ rate: 0.5, inputShape: [2000] }), inner, tf.layers.dropout({ rate: 0.5, ...(userSeed !== undefined && { seed: userSeed }) })],
  });
}

/** Which of 2000 ones survive the layer numbered `index` (0, 1 or 2) at `step`, training mode. */
async function mask(m: tf.LayersModel, seeder: DropoutSeeder, step: number, index: number): Promise<boolean[]> {
  const layers = [m.layers[0], (m.layers[1] as tf.LayersModel).layers[0], m.layers[2]];
  return seeder.during(step, async () => {
    const out = layers[index].apply(tf.ones([1, 2000]), { training: true }) as tf.Tensor;
    const values = Array.from(await out.data(), (v) => v !== 0);
    out.dispose();
    return values;
  });
}

function differing(a: boolean[], b: boolean[]): number {
  return a.filter((v, i) => v !== b[i]).length;
}

/** Two independent masks at rate 0.5 differ in half their values (1000 ± 22). */
function assertUnrelated(a: boolean[], b: boolean[], what: string): void {
  const n = differing(a, b);
  assert.ok(n > 800 && n < 1200, `${what}: ${n} of 2000 values differ`);
}

test('the derived seeds repeat for the same run, step and layer and differ when any of them changes', () => {
  assert.equal(dropoutSeed(11, 40, 0), dropoutSeed(11, 40, 0));
  assert.deepEqual(dropoutSeedPair(11, 40, 0), dropoutSeedPair(11, 40, 0));
  const seeds = new Set<number>();
  for (let step = 0; step < 1000; step++) seeds.add(dropoutSeed(11, step, 0));
  assert.equal(seeds.size, 1000, 'every step of a layer has its own seed');
  assert.notEqual(dropoutSeed(11, 40, 0), dropoutSeed(11, 40, 1));
  assert.notEqual(dropoutSeed(11, 40, 0), dropoutSeed(12, 40, 0));
  const pairs = [dropoutSeedPair(11, 40, 0), dropoutSeedPair(11, 41, 0), dropoutSeedPair(11, 40, 1), dropoutSeedPair(12, 40, 0)].map(String);
  assert.equal(new Set(pairs).size, 4, 'the stateless op gets a distinct pair for each step, layer and run');
  for (const word of [...dropoutSeedPair(2 ** 31 - 1, 2 ** 31 - 1, 3)]) assert.ok(Number.isInteger(word) && word >= -(2 ** 31) && word < 2 ** 31, `${word} fits an int32`);
});

test("a step's masks are a function of the run's seed, the step and the layer, nested models included", async () => {
  const m = model();
  const seeder = new DropoutSeeder(m, 11);
  const atStep3 = await mask(m, seeder, 3, 0);
  await mask(m, seeder, 4, 0);
  assert.deepEqual(await mask(m, seeder, 3, 0), atStep3, 'the same step draws the same mask again');
  const resumed = model();
  assert.deepEqual(await mask(resumed, new DropoutSeeder(resumed, 11), 3, 0), atStep3, 'so does another model of the same run (a resume)');
  assertUnrelated(await mask(m, seeder, 4, 0), atStep3, 'the next step');
  assertUnrelated(await mask(m, seeder, 3, 1), atStep3, 'the layer in the nested model');
  assertUnrelated(await mask(m, new DropoutSeeder(m, 12), 3, 0), atStep3, 'another run seed');
  m.dispose();
  resumed.dispose();
});

test("outside a step the layers carry no seed (saved models and checkpoints hold none), and a user's own seed stays with its fixed mask", async () => {
  const m = model(5);
  const seeder = new DropoutSeeder(m, 11);
  const userMask = await mask(m, seeder, 0, 2);
  assert.deepEqual(await mask(m, seeder, 1, 2), userMask, 'the seed the user set draws the same mask every step, as TF.js does');
  await assert.rejects(seeder.during(2, () => Promise.reject(new Error('a failed step'))));
  const configs = JSON.stringify(m.getConfig());
  assert.equal(m.layers[0].getConfig().seed, undefined, 'unset after a step, even a failed one');
  assert.equal(m.layers[2].getConfig().seed, 5);
  assert.deepEqual(configs.match(/"seed":\d+/g), ['"seed":5'], `only the user's seed is in the model's config: ${configs}`);
  m.dispose();
});
