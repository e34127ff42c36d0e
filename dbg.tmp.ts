import type { Tensor, Scalar, LayersModel } from '@tensorflow/tfjs';
import { loadBackend } from './src/core/backend';
import { loadDataset } from './src/trainer/data';
import { buildModel } from './src/trainer/model';
import { BatchMaker } from './src/trainer/batches';
import { planFastPath, type FastPlan } from './src/trainer/fastPath/plan';
import { findBinding, type NativeBinding } from './src/trainer/fastPath/native/binding';
import { NativeStepper } from './src/trainer/fastPath/native/stepper';
import { readTrainingState } from './src/trainer/fastPath/modelState';
import type { TrainingSpec, LayerSpec } from './src/shared/spec';
async function main(): Promise<void> {
  const { tf } = await loadBackend('tensorflow', { searchDirs: ['.cache/native'] });
  const data = await loadDataset({ type: 'mnist', subset: { train: 640, test: 10 } }, { baseDir: '.' });
  const layersSets: Record<string, LayerSpec[]> = {
    mlp: [{ type: 'flatten' }, { type: 'dense', units: 128, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
    cnn: [{ type: 'reshape', targetShape: [28, 28, 1] }, { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' }, { type: 'maxPooling2d', poolSize: 2 },
      { type: 'conv2d', filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, { type: 'maxPooling2d', poolSize: 2, padding: 'same' },
      { type: 'flatten' }, { type: 'dense', units: 32, activation: 'tanh' }, { type: 'dense', units: 16, activation: 'sigmoid' }, { type: 'dense', units: 10, activation: 'softmax' }],
  };
  for (const [name, layers] of Object.entries(layersSets)) {
    const spec: TrainingSpec = { name: 'x', data: { type: 'mnist' }, model: { layers }, compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] }, fit: { epochs: 1, seed: 3 } };
    const model: LayersModel = await buildModel(tf, spec, { sampleShape: [28, 28], numClasses: 10, baseDir: '.' });
    const plan = planFastPath(model, spec) as FastPlan;
    const stepper = new NativeStepper(findBinding(tf) as NativeBinding, plan, await readTrainingState(model, plan));
    const maker = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
    const order = Int32Array.from({ length: 640 }, (_, i) => i);
    const { x, y, count } = maker.rows(order, 64, 96);
    const hand = stepper.gradientValues(x, y, count);
    const [xt, yt] = maker.batch(order, 64, 96);
    const lossFn = (model as unknown as { model: { lossFunctions: ((a: Tensor, b: Tensor) => Tensor)[] } }).model.lossFunctions[0];
    const { grads } = tf.variableGrads(() => tf.mean(lossFn(yt, model.apply(xt, { training: true }) as Tensor)) as Scalar, model.trainableWeights.map((w) => w.read()));
    plan.weights.forEach((w, i) => {
      const auto = grads[w.read().name].dataSync();
      let max = 0, diff = 0;
      for (let j = 0; j < auto.length; j++) { max = Math.max(max, Math.abs(auto[j])); diff = Math.max(diff, Math.abs(auto[j] - hand[i][j])); }
      console.log(name, w.name, 'max|g|', max.toExponential(3), 'max diff', diff.toExponential(3), 'rel', (diff / max).toExponential(2));
    });
    stepper.dispose();
  }
}
void main();
