// Synthetic but realistic MNIST-MLP training events, for the benchmark and the
// browser tests only: loss and accuracy curves shaped like a real run (noisy
// per batch, smooth per epoch), a confusion matrix and misclassified examples.
// Deterministic for a given seed. No DOM, no node APIs.

import type { BatchEndEvent, ConfusionMatrix, MisclassifiedExample, RunRecord, TrainerEvent } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import { mnistMlpModel } from '../../src/shared/mnistMlp';
import { seededRandom } from '../../src/shared/seededRandom';

export interface SyntheticRunOptions {
  runId: string;
  name?: string;
  epochs?: number;
  batchesPerEpoch?: number;
  /** Stop producing batches after this many (a run still in progress); default: all. */
  batches?: number;
  seed?: number;
  /** Scales the loss curve: >1 a worse run, <1 a better one (for compare screenshots). */
  difficulty?: number;
  /** Pixels for misclassified examples: a 28x28 grey image of the given label, base64, or undefined. */
  exampleImage?: (label: number, nth: number) => { index: number; base64: string } | undefined;
  startTime?: number;
}

/** A 28x28 grey digit (base64 bytes) the harness can show as a misclassified example. */
export interface HarnessImage {
  label: number;
  index: number;
  base64: string;
}

export interface SyntheticRun {
  record: RunRecord;
  events: TrainerEvent[];
}

const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
/** Confusions a real MNIST MLP makes most: actual -> predicted. */
const COMMON_MISTAKES: [number, number][] = [
  [4, 9], [7, 2], [9, 4], [5, 3], [3, 5], [8, 3], [2, 7], [6, 0], [9, 7], [8, 5], [3, 8], [5, 6], [2, 8], [7, 9], [1, 8], [0, 6],
];

export function mnistSpec(name = 'mnist-mlp', epochs = 5): TrainingSpec {
  return {
    name,
    description: 'The classic Keras MNIST MLP',
    data: { type: 'mnist' },
    ...mnistMlpModel(),
    fit: { epochs, batchSize: 32, validationSplit: 0.1, seed: 42 },
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Expected train loss after t epochs. */
function lossCurve(t: number, difficulty: number): number {
  return difficulty * (0.06 + 0.3 / (1 + 1.6 * t)) + 1.95 * Math.exp(-12 * t);
}

function accuracyCurve(t: number, difficulty: number): number {
  return Math.max(0.1, 0.985 - 0.885 * Math.exp(-12 * t) - (0.06 * difficulty) / (1 + 2 * t) - 0.01 * (difficulty - 1));
}

export function syntheticRun(options: SyntheticRunOptions): SyntheticRun {
  const random = seededRandom(options.seed ?? 1);
  const epochs = options.epochs ?? 5;
  const batchesPerEpoch = options.batchesPerEpoch ?? 1688;
  const total = Math.min(options.batches ?? epochs * batchesPerEpoch, epochs * batchesPerEpoch);
  const difficulty = options.difficulty ?? 1;
  const name = options.name ?? 'mnist-mlp';
  const runId = options.runId;
  const spec = mnistSpec(name, epochs);
  const batchSize = 32;
  let time = options.startTime ?? Date.UTC(2026, 10, 27, 9, 30, 0);
  const startedAt = time;
  const backend = { name: 'wasm' as const, device: 'CPU · WebAssembly SIMD (1 thread)', version: '4.22.0' };
  const data = {
    sampleShape: [28, 28],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: { count: 54000 },
    validation: { count: 6000 },
    test: { count: 10000 },
    kind: 'image' as const,
    loadMs: 412,
  };
  const events: TrainerEvent[] = [
    { type: 'runStarted', runId, time, spec, backend, data, epochs, batchSize, batchesPerEpoch, initialEpoch: 0, parameters: 101770 },
  ];
  let step = 0;
  let epochLoss = 0;
  let epochAcc = 0;
  let lastEpochMetrics: Record<string, number> = {};
  for (let epoch = 0; epoch < epochs && step < total; epoch++) {
    epochLoss = epochAcc = 0;
    const epochStart = time;
    let batch = 0;
    for (; batch < batchesPerEpoch && step < total; batch++) {
      step++;
      const t = epoch + (batch + 1) / batchesPerEpoch;
      const loss = lossCurve(t, difficulty) * Math.exp(0.38 * gaussian(random) - 0.07);
      const p = accuracyCurve(t, difficulty);
      const acc = Math.min(1, Math.max(0, Math.round((p + Math.sqrt((p * (1 - p)) / batchSize) * gaussian(random)) * batchSize) / batchSize));
      const samplesPerSecond = 2400 * (1 + 0.06 * gaussian(random));
      time += (batchSize / samplesPerSecond) * 1000;
      epochLoss += loss;
      epochAcc += acc;
      const epochAverage = { loss: epochLoss / (batch + 1), acc: epochAcc / (batch + 1) };
      const event: BatchEndEvent = { type: 'batchEnd', runId, time: Math.round(time), epoch, batch, batchesPerEpoch, step, loss, metrics: { acc }, epochAverage, samplesPerSecond };
      events.push(event);
    }
    if (batch < batchesPerEpoch) break;
    const x = epoch + 1;
    lastEpochMetrics = {
      loss: epochLoss / batchesPerEpoch,
      acc: epochAcc / batchesPerEpoch,
      val_loss: lossCurve(x, difficulty) * (0.82 + 0.05 * gaussian(random)) + 0.004 * epoch * difficulty,
      val_acc: Math.min(0.995, accuracyCurve(x, difficulty) + 0.004 + 0.002 * gaussian(random)),
    };
    events.push({ type: 'epochEnd', runId, time: Math.round(time), epoch, epochs, metrics: lastEpochMetrics, durationMs: time - epochStart, samplesPerSecond: (batchesPerEpoch * batchSize * 1000) / (time - epochStart) });
    events.push({ type: 'checkpointSaved', runId, time: Math.round(time), epoch: epoch + 1, path: `checkpoints/epoch-${String(epoch + 1).padStart(4, '0')}` });
  }
  const finished = step === epochs * batchesPerEpoch;
  const record: RunRecord = {
    id: runId,
    name,
    specPath: `examples/mnist/${name}.train.json`,
    spec,
    status: finished ? 'completed' : 'running',
    backend,
    data,
    pid: 4242,
    hostname: 'harness',
    createdAt: new Date(startedAt).toISOString(),
    updatedAt: new Date(time).toISOString(),
    epochs,
    epochsCompleted: Math.floor(step / batchesPerEpoch),
    finalMetrics: lastEpochMetrics,
  };
  if (finished) {
    const confusionMatrix = syntheticConfusion(random, difficulty);
    const correct = confusionMatrix.matrix.reduce((sum, row, i) => sum + row[i], 0);
    const testMetrics = { loss: lossCurve(epochs, difficulty) * 0.85, acc: correct / 10000 };
    time += 2100;
    events.push({ type: 'evaluation', runId, time: Math.round(time), metrics: testMetrics, samples: 10000, confusionMatrix, misclassified: syntheticMistakes(random, options.exampleImage) });
    events.push({ type: 'runFinished', runId, time: Math.round(time), status: 'completed', epochsCompleted: epochs, finalMetrics: lastEpochMetrics, testMetrics, durationMs: time - startedAt });
    Object.assign(record, { status: 'completed', testMetrics, endedAt: new Date(time).toISOString(), durationMs: time - startedAt });
  }
  return { record, events };
}

function syntheticConfusion(random: () => number, difficulty: number): ConfusionMatrix {
  const matrix = TEST_COUNTS.map((count, actual) => {
    const row = new Array<number>(10).fill(0);
    const errors = Math.round(count * (0.012 + 0.03 * random()) * difficulty);
    const favourites = COMMON_MISTAKES.filter(([a]) => a === actual).map(([, p]) => p);
    for (let e = 0; e < errors; e++) {
      const predicted = favourites.length && random() < 0.6 ? favourites[Math.floor(random() * favourites.length)] : (actual + 1 + Math.floor(random() * 9)) % 10;
      row[predicted]++;
    }
    row[actual] = count - errors;
    return row;
  });
  return { labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], matrix };
}

function syntheticMistakes(random: () => number, exampleImage: SyntheticRunOptions['exampleImage']): MisclassifiedExample[] {
  return COMMON_MISTAKES.map(([actual, predicted], nth) => {
    const image = exampleImage?.(actual, nth);
    return {
      index: image?.index ?? Math.floor(random() * 10000),
      actual,
      predicted,
      confidence: 0.99 - nth * 0.025 - 0.02 * random(),
      image: image ? { width: 28, height: 28, channels: 1, base64: image.base64 } : undefined,
    };
  });
}
