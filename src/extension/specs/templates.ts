// Starting points for "Create Training Spec": small, valid specs that train
// as they are and show the fields people usually change. Pure data.
import type { TrainingSpec } from '../../shared/spec';
import { mnistMlpModel } from '../../shared/mnistMlp';

export interface SpecTemplate {
  id: string;
  label: string;
  detail: string;
  build: (name: string) => TrainingSpec;
}

export const SPEC_TEMPLATES: readonly SpecTemplate[] = [
  {
    id: 'mlp',
    label: 'Dense classifier (MNIST)',
    detail: 'Flatten → Dense 128 relu → Dropout 0.2 → Dense 10 softmax; a minute on WebAssembly',
    build: (name) => ({
      name,
      description: 'A dense classifier for 28x28 images.',
      data: { type: 'mnist' },
      ...mnistMlpModel(),
      fit: { epochs: 5, batchSize: 32, validationData: 'test', shuffle: true },
      evaluate: { enabled: true },
    }),
  },
  {
    id: 'cnn',
    label: 'Convolutional network (MNIST)',
    detail: 'Two 3x3 conv layers with pooling, then dense; more accurate, slower',
    build: (name) => ({
      name,
      description: 'A small CNN for 28x28 images.',
      data: { type: 'mnist' },
      model: {
        layers: [
          { type: 'reshape', inputShape: [28, 28], targetShape: [28, 28, 1] },
          { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' },
          { type: 'maxPooling2d', poolSize: 2 },
          { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
          { type: 'maxPooling2d', poolSize: 2 },
          { type: 'flatten' },
          { type: 'dense', units: 64, activation: 'relu' },
          { type: 'dense', units: 10, activation: 'softmax' },
        ],
      },
      compile: { optimizer: { type: 'adam', learningRate: 0.001 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
      fit: { epochs: 3, batchSize: 32, validationData: 'test', shuffle: true },
      evaluate: { enabled: true },
    }),
  },
  {
    id: 'csv',
    label: 'Tabular classifier (CSV file)',
    detail: 'Reads data.csv with a header row and a "label" column; edit the paths and columns',
    build: (name) => ({
      name,
      description: 'A dense classifier for rows of a CSV file.',
      data: { type: 'csv', train: 'data.csv', labelColumn: 'label' },
      model: {
        layers: [
          { type: 'dense', units: 32, activation: 'relu' },
          { type: 'dense', units: 2, activation: 'softmax' },
        ],
      },
      compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
      fit: { epochs: 20, batchSize: 32, validationSplit: 0.2, shuffle: true },
    }),
  },
];

/** A spec name becomes a file name and a run id prefix: letters, digits and dashes. */
export function validateSpecName(name: string): string | undefined {
  if (!name.trim()) return 'Give the spec a name, e.g. my-model';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/.test(name.trim())) return 'Use letters, digits, - and _ (up to 60), starting with a letter or digit';
  return undefined;
}

/** The text of a new spec file: formatted JSON with one layer a line, as in the examples. */
export function specFileText(spec: TrainingSpec): string {
  if (!('layers' in spec.model)) return JSON.stringify(spec, null, 2) + '\n';
  const layers = spec.model.layers.map((layer) => `      ${oneLine(layer)}`).join(',\n');
  const text = JSON.stringify({ ...spec, model: { ...spec.model, layers: '__layers__' } }, null, 2);
  return text.replace('"__layers__"', `[\n${layers}\n    ]`) + '\n';
}

function oneLine(value: unknown): string {
  return JSON.stringify(value)
    .replace(/,"/g, ', "')
    .replace(/":/g, '": ')
    .replace(/,(-?\d)/g, ', $1')
    .replace(/^\{/, '{ ')
    .replace(/\}$/, ' }');
}
