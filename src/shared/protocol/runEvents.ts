// Guards for the trainer's events, evaluations and run records, wherever they
// are read: the trainer's IPC channel, metrics.jsonl and run.json on disk, the
// CLI's `evaluate --json` output, the dashboard webview. Bounds are generous:
// they stop a runaway or corrupted sender, not a big model.

import {
  BACKEND_NAMES,
  RUN_OUTCOMES,
  RUN_STATUSES,
  type BackendInfo,
  type ConfusionMatrix,
  type DataSummary,
  type Evaluation,
  type Metrics,
  type MisclassifiedExample,
  type RunRecord,
  type SplitSummary,
  type TrainerEvent,
} from '../events';
import type { TrainingSpec } from '../spec';
import type { TrialInfo } from '../sweep';
import {
  arrayOf,
  boundedString,
  integerIn,
  isRecord,
  isRunId,
  MAX_MESSAGE_TEXT,
  messagesOf,
  numberIn,
  objectOf,
  oneOf,
  optional,
  recordOf,
  type Guard,
} from './guards';

/** Names, versions, device descriptions, timestamps. */
const MAX_NAME = 1000;
/** File paths (spec, checkpoint, native library). */
const MAX_PATH = 4096;
const MAX_METRICS = 200;
/** Classes a confusion matrix or class-name list may have. */
export const MAX_CLASSES = 10_000;
/** Misclassified examples one evaluation may carry. */
export const MAX_EXAMPLES = 10_000;
const MAX_SHAPE_RANK = 16;

const isName = boundedString(MAX_NAME);
const isPath = boundedString(MAX_PATH);
const isText = boundedString(MAX_MESSAGE_TEXT);
const isCount = integerIn(0, Number.MAX_SAFE_INTEGER);
const isPositiveCount = integerIn(1, Number.MAX_SAFE_INTEGER);
const isTime = numberIn(0, Number.MAX_SAFE_INTEGER);
const isRate = numberIn(0, Number.MAX_VALUE);

/**
 * A metric value. JSON (the IPC channel, metrics.jsonl, postMessage) writes
 * NaN and ±Infinity as null, so a diverged value arrives as null; every view
 * draws it as a gap, as it did NaN.
 */
function isMetricValue(value: unknown): value is number {
  return typeof value === 'number' || value === null;
}

export const isMetrics: Guard<Metrics> = recordOf(boundedString(200, 1), isMetricValue, MAX_METRICS);

/**
 * The trainer validated the spec against its JSON schema when it loaded it;
 * this checks the parts that the host and the dashboard read.
 */
export function isTrainingSpec(value: unknown): value is TrainingSpec {
  if (!isRecord(value) || !isName(value.name)) return false;
  const { data, model, compile, fit } = value;
  return (
    isRecord(data) &&
    typeof data.type === 'string' &&
    isRecord(model) &&
    (Array.isArray(model.layers) || typeof model.module === 'string') &&
    isRecord(compile) &&
    (compile.metrics === undefined || Array.isArray(compile.metrics)) &&
    isRecord(fit)
  );
}

export const isBackendInfo: Guard<BackendInfo> = objectOf<BackendInfo>({
  name: oneOf(BACKEND_NAMES),
  device: isName,
  version: isName,
  loadedFrom: optional(isPath),
});

const isSplitSummary: Guard<SplitSummary> = objectOf<SplitSummary>({ count: isCount });

export const isDataSummary: Guard<DataSummary> = objectOf<DataSummary>({
  sampleShape: arrayOf(isCount, { max: MAX_SHAPE_RANK }),
  numClasses: optional(isCount),
  classNames: optional(arrayOf(isName, { max: MAX_CLASSES })),
  train: isSplitSummary,
  validation: optional(isSplitSummary),
  test: optional(isSplitSummary),
  kind: oneOf(['image', 'tabular'] as const),
  loadMs: isTime,
});

/** labels.length rows of labels.length counts. */
export function isConfusionMatrix(value: unknown): value is ConfusionMatrix {
  if (!isRecord(value) || !arrayOf(isName, { min: 1, max: MAX_CLASSES })(value.labels)) return false;
  const size = value.labels.length;
  return arrayOf(arrayOf(isCount, { min: size, max: size }), { min: size, max: size })(value.matrix);
}

type ExampleImage = NonNullable<MisclassifiedExample['image']>;

/** Grey or RGB(A) bytes as base64: exactly width x height x channels of them. */
function isExampleImage(value: unknown): value is ExampleImage {
  const dimension = integerIn(1, 4096);
  if (!isRecord(value) || !dimension(value.width) || !dimension(value.height) || !integerIn(1, 4)(value.channels)) return false;
  const bytes = value.width * value.height * value.channels;
  return typeof value.base64 === 'string' && value.base64.length === Math.ceil(bytes / 3) * 4 && /^[A-Za-z0-9+/]*={0,2}$/.test(value.base64);
}

const isMisclassified: Guard<MisclassifiedExample> = objectOf<MisclassifiedExample>({
  index: isCount,
  actual: isCount,
  predicted: isCount,
  // Softmax output in [0, 1], but a model that ends in logits gives any number.
  confidence: numberIn(-Number.MAX_VALUE, Number.MAX_VALUE),
  image: optional(isExampleImage),
});

const evaluationFields = {
  metrics: isMetrics,
  samples: isCount,
  confusionMatrix: optional(isConfusionMatrix),
  misclassified: optional(arrayOf(isMisclassified, { max: MAX_EXAMPLES })),
};

/** An evaluation as the trainer reports it and `model-studio evaluate --json` prints it. */
export const isEvaluation: Guard<Evaluation> = objectOf<Evaluation>(evaluationFields);

const base = { runId: isRunId, time: isTime };

export const isTrainerEvent: Guard<TrainerEvent> = messagesOf<TrainerEvent>({
  runStarted: {
    ...base,
    spec: isTrainingSpec,
    backend: isBackendInfo,
    data: isDataSummary,
    epochs: isCount,
    batchSize: isPositiveCount,
    batchesPerEpoch: isCount,
    initialEpoch: isCount,
    initialBatch: optional(isCount),
    initialStep: optional(isCount),
    parameters: isCount,
  },
  batchEnd: {
    ...base,
    epoch: isCount,
    batch: isCount,
    batchesPerEpoch: isPositiveCount,
    step: isPositiveCount,
    loss: isMetricValue,
    metrics: isMetrics,
    epochAverage: optional(isMetrics),
    samplesPerSecond: isRate,
  },
  epochEnd: {
    ...base,
    epoch: isCount,
    epochs: isCount,
    metrics: isMetrics,
    durationMs: isTime,
    samplesPerSecond: isRate,
  },
  checkpointSaved: {
    ...base,
    epoch: isCount,
    path: isPath,
  },
  evaluation: {
    ...base,
    ...evaluationFields,
  },
  runFinished: {
    ...base,
    status: oneOf(RUN_OUTCOMES),
    reason: optional(isText),
    epochsCompleted: isCount,
    finalMetrics: isMetrics,
    testMetrics: optional(isMetrics),
    durationMs: isTime,
  },
  log: {
    ...base,
    level: oneOf(['info', 'warning', 'error'] as const),
    message: isText,
  },
});

const isTrialValue = (value: unknown): value is number | string => isMetricValue(value) || isName(value);

/** A run's place in a sweep: in run.json and in the trainer's request. */
export const isTrialInfo: Guard<TrialInfo> = objectOf<TrialInfo>({
  sweepId: isPath,
  trialId: isName,
  parameters: recordOf(isPath, isTrialValue, MAX_METRICS),
});

/** A run.json as the trainer writes it (status possibly derived as 'crashed'). */
export const isRunRecord: Guard<RunRecord> = objectOf<RunRecord>({
  id: isRunId,
  name: isName,
  specPath: isPath,
  spec: isTrainingSpec,
  status: oneOf(RUN_STATUSES),
  reason: optional(isText),
  backend: optional(isBackendInfo),
  data: optional(isDataSummary),
  pid: isCount,
  hostname: isName,
  processStart: optional(isName),
  createdAt: isName,
  updatedAt: isName,
  endedAt: optional(isName),
  epochs: isCount,
  epochsCompleted: isCount,
  lastCheckpoint: optional(isPath),
  finalMetrics: optional(isMetrics),
  testMetrics: optional(isMetrics),
  durationMs: optional(isTime),
  trial: optional(isTrialInfo),
});
