// The classic Keras MNIST MLP, the spec most examples start from: the
// "Create Training Spec" template, the dashboard harness's synthetic run and
// the tests' base spec all train this model.
import type { TrainingSpec } from './spec';

/** Flatten → Dense 128 relu → Dropout 0.2 → Dense 10 softmax, Adam on sparse categorical crossentropy; a fresh copy each call. */
export function mnistMlpModel(): Pick<TrainingSpec, 'model' | 'compile'> {
  return {
    model: {
      layers: [
        { type: 'flatten', inputShape: [28, 28] },
        { type: 'dense', units: 128, activation: 'relu' },
        { type: 'dropout', rate: 0.2 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
  };
}
