// Trainer throughput against plain model.fit: the same model, data, batch size
// and backend in the same process, alternating runs to share the noise.
// The trainer streams every batch event (JSON-encoded, as --json does) and
// persists it to metrics.jsonl, and its time includes shuffling and checkpoints.
// Usage: node --import tsx bench/trainerThroughput.ts [samples=12000] [rounds=2]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { loadBackend } from '../src/core/backend';
import { loadDataset } from '../src/trainer/data';
import { buildModel } from '../src/trainer/model';
import { train } from '../src/trainer/train';
import type { TrainingSpec } from '../src/shared/spec';
import type { TrainerEvent } from '../src/shared/events';

const samples = Number(process.argv[2] ?? 12000);
const rounds = Number(process.argv[3] ?? 2);

const spec: TrainingSpec = {
  name: 'bench-mlp',
  data: { type: 'mnist', subset: { train: samples, test: 100 } },
  model: {
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  },
  compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
  fit: { epochs: 1, batchSize: 32, seed: 1 },
  evaluate: { enabled: false },
};

async function plainFit(): Promise<number> {
  const { tf } = await loadBackend('wasm');
  const data = await loadDataset(spec.data, { baseDir: process.cwd() });
  const model = await buildModel(tf, spec, { sampleShape: data.sampleShape, numClasses: data.numClasses, baseDir: process.cwd() });
  const x: Tensor = tf.tensor(data.train.x, [data.train.count, 28, 28]);
  const y: Tensor = tf.tensor1d(Float32Array.from(data.train.y));
  const start = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return data.train.count / seconds;
}

async function trainer(): Promise<number> {
  const ws = mkdtempSync(join(tmpdir(), 'bench-tp-'));
  const specPath = join(ws, 'bench.train.json');
  writeFileSync(specPath, JSON.stringify(spec));
  let startedAt = 0;
  let endedAt = 0;
  let bytes = 0;
  const emit = (event: TrainerEvent): void => {
    bytes += JSON.stringify(event).length; // what --json would print
    if (event.type === 'runStarted') startedAt = performance.now();
    if (event.type === 'epochEnd') endedAt = performance.now();
  };
  await train(
    { specPath, runsDir: join(ws, 'runs'), backend: 'wasm' },
    { emit, stop: new AbortController().signal, log: () => undefined },
  );
  void bytes;
  return samples / ((endedAt - startedAt) / 1000);
}

async function main(): Promise<void> {
  const plain: number[] = [];
  const ours: number[] = [];
  await plainFit(); // warm-up: wasm compile, first-call costs
  for (let i = 0; i < rounds; i++) {
    plain.push(await plainFit());
    ours.push(await trainer());
  }
  const best = (xs: number[]): number => Math.max(...xs);
  console.log(`samples per round: ${samples}, batch 32, backend wasm, rounds: ${rounds}`);
  console.log(`plain model.fit : ${plain.map((v) => v.toFixed(0)).join(', ')} samples/s (best ${best(plain).toFixed(0)})`);
  console.log(`model-studio    : ${ours.map((v) => v.toFixed(0)).join(', ')} samples/s (best ${best(ours).toFixed(0)})`);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`ratio (best/best): ${(best(ours) / best(plain)).toFixed(3)}, (median/median): ${(median(ours) / median(plain)).toFixed(3)}  (goal >= 0.95)`);
}

void main();
