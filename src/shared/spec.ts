// The training spec (`*.train.json`). The JSON Schema in
// schemas/train-spec.schema.json describes the same shape for editors; the
// trainer validates against it and then relies on these types.
import type { SearchSpec } from './sweep';

export interface TrainingSpec {
  $schema?: string;
  /** Short name used for run ids and in the UI, e.g. "mnist-mlp". */
  name: string;
  description?: string;
  data: DataSpec;
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
  earlyStopping?: EarlyStoppingSpec;
  checkpoints?: CheckpointSpec;
  evaluate?: EvaluateSpec;
  /** Hyperparameter search over this spec (`model-studio sweep`, Vertex AI tuning jobs). */
  search?: SearchSpec;
}

/** Keep only the first N samples of a split: for quick runs and tests. */
export interface SubsetSpec {
  train?: number;
  test?: number;
}

export interface MnistDataSpec {
  type: 'mnist';
  /** Where a downloaded mnist.npz is cached; default: the user's cache folder. */
  cacheDir?: string;
  /** Override the download URL (Keras' public mnist.npz by default). */
  url?: string;
  /** Expected SHA-256 of the downloaded file (hex). */
  sha256?: string;
  subset?: SubsetSpec;
}

export interface IdxFilePair {
  images: string;
  labels: string;
}

export interface IdxDataSpec {
  type: 'idx';
  train: IdxFilePair;
  test?: IdxFilePair;
  /** Divide pixel values by this number (default 255). */
  scale?: number;
  subset?: SubsetSpec;
}

export interface CsvDataSpec {
  type: 'csv';
  train: string;
  test?: string;
  /** Header name of the label column. */
  labelColumn: string;
  /** Feature columns to use (default: every other numeric column). */
  featureColumns?: string[];
  /** 'class': labels are class names or integers; 'regression': numbers. Default 'class'. */
  task?: 'class' | 'regression';
  delimiter?: string;
  /**
   * Read the file in passes instead of loading it whole (for data bigger than
   * memory). Default: when the train and test files together exceed 256 MB.
   */
  streaming?: boolean;
  /** Rows the shuffle buffer holds when streaming. Default: as many as fit in 64 MB. */
  shuffleBuffer?: number;
  subset?: SubsetSpec;
}

export interface NpzDataSpec {
  type: 'npz';
  path: string;
  /** Member names; defaults follow Keras: x_train, y_train, x_test, y_test. */
  keys?: { xTrain?: string; yTrain?: string; xTest?: string; yTest?: string };
  scale?: number;
  subset?: SubsetSpec;
}

export interface NpyFilePair {
  x: string;
  y: string;
}

export interface NpyDataSpec {
  type: 'npy';
  train: NpyFilePair;
  test?: NpyFilePair;
  scale?: number;
  subset?: SubsetSpec;
}

export interface ImageFolderDataSpec {
  type: 'imageFolder';
  /** Folder with one sub-folder per class holding PNG or JPEG files. */
  train: string;
  test?: string;
  /** [height, width] every image is resized to. */
  imageSize: [number, number];
  channels?: 1 | 3;
  subset?: SubsetSpec;
}

export type DataSpec =
  | MnistDataSpec
  | IdxDataSpec
  | CsvDataSpec
  | NpzDataSpec
  | NpyDataSpec
  | ImageFolderDataSpec;

export type DataType = DataSpec['type'];

export type Activation =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'elu'
  | 'selu'
  | 'sigmoid'
  | 'hardSigmoid'
  | 'tanh'
  | 'softmax'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'mish'
  | 'gelu';

/** TF.js weight initializers; the random ones are seeded from fit.seed. */
export type InitializerName =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'leCunUniform'
  | 'leCunNormal'
  | 'randomUniform'
  | 'randomNormal'
  | 'truncatedNormal'
  | 'varianceScaling'
  | 'orthogonal'
  | 'zeros'
  | 'ones';

interface LayerBase {
  name?: string;
  /** Only on the first layer; defaults to the data's sample shape. */
  inputShape?: number[];
}

export interface DenseLayerSpec extends LayerBase {
  type: 'dense';
  units: number;
  activation?: Activation;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  kernelRegularizer?: RegularizerSpec;
}

export interface FlattenLayerSpec extends LayerBase {
  type: 'flatten';
}

export interface DropoutLayerSpec extends LayerBase {
  type: 'dropout';
  rate: number;
  /** Fixes this layer's mask for every batch (TF.js's seed); fit.seed seeds a new mask each batch. */
  seed?: number;
}

export interface Conv2dLayerSpec extends LayerBase {
  type: 'conv2d';
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  activation?: Activation;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  kernelRegularizer?: RegularizerSpec;
}

export interface DepthwiseConv2dLayerSpec extends LayerBase {
  type: 'depthwiseConv2d';
  kernelSize: number | [number, number];
  depthMultiplier?: number;
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  activation?: Activation;
  useBias?: boolean;
}

export interface Pooling2dLayerSpec extends LayerBase {
  type: 'maxPooling2d' | 'averagePooling2d';
  poolSize?: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
}

export interface GlobalPooling2dLayerSpec extends LayerBase {
  type: 'globalAveragePooling2d' | 'globalMaxPooling2d';
}

export interface BatchNormalizationLayerSpec extends LayerBase {
  type: 'batchNormalization';
  momentum?: number;
  epsilon?: number;
}

export interface ReshapeLayerSpec extends LayerBase {
  type: 'reshape';
  targetShape: number[];
}

export interface ActivationLayerSpec extends LayerBase {
  type: 'activation';
  activation: Activation;
}

export type LayerSpec =
  | DenseLayerSpec
  | FlattenLayerSpec
  | DropoutLayerSpec
  | Conv2dLayerSpec
  | DepthwiseConv2dLayerSpec
  | Pooling2dLayerSpec
  | GlobalPooling2dLayerSpec
  | BatchNormalizationLayerSpec
  | ReshapeLayerSpec
  | ActivationLayerSpec;

export type LayerType = LayerSpec['type'];

export interface RegularizerSpec {
  l1?: number;
  l2?: number;
}

export interface LayersModelSpec {
  layers: LayerSpec[];
}

/**
 * The user's own TS or JS module, transpiled on the fly (no build step). It exports
 * (by `export`, default "buildModel") a function `(tf, info) => LayersModel`
 * where info has the data's sample shape and class count.
 */
export interface ModuleModelSpec {
  module: string;
  export?: string;
}

export type ModelSpec = LayersModelSpec | ModuleModelSpec;

export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamax' | 'adagrad' | 'adadelta' | 'rmsprop';

export interface OptimizerSpec {
  type: OptimizerName;
  learningRate?: number;
  /** For 'momentum'. */
  momentum?: number;
}

export type LossName =
  | 'sparseCategoricalCrossentropy'
  | 'categoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'huberLoss';

export type MetricName = 'accuracy' | 'precision' | 'recall' | 'meanSquaredError' | 'meanAbsoluteError';

export interface CompileSpec {
  optimizer: OptimizerName | OptimizerSpec;
  loss: LossName;
  metrics?: MetricName[];
}

/** fit.batchSize when the spec leaves it out, as TF.js's fit. */
export const DEFAULT_BATCH_SIZE = 32;

export interface FitSpec {
  epochs: number;
  batchSize?: number;
  /** Fraction of the training data held out for validation (0 to <1). */
  validationSplit?: number;
  /** Validate on the test split instead of a held-out fraction. */
  validationData?: 'test';
  shuffle?: boolean;
  /** Seeds weight initialisation, shuffling and each batch's dropout masks, so runs repeat batch for batch. */
  seed?: number;
}

export interface EarlyStoppingSpec {
  monitor?: string;
  patience?: number;
  minDelta?: number;
  mode?: 'min' | 'max' | 'auto';
}

export interface CheckpointSpec {
  /** Save a checkpoint every N epochs (default 1). */
  everyEpochs?: number;
  /** How many checkpoints to keep (default 2). */
  keep?: number;
}

export interface EvaluateSpec {
  /** Evaluate on the test split when training ends (default true when there is one). */
  enabled?: boolean;
  /** How many misclassified examples to keep for the dashboard (default 16). */
  worstExamples?: number;
}

export function isModuleModel(model: ModelSpec): model is ModuleModelSpec {
  return 'module' in model;
}
