// Time from spawning the trainer child process (as the extension does) to
// its first batch event on full MNIST, against the floor of spawning node and
// loading the same bundle without training, in the same command.
// Usage: npm run build && node --import tsx bench/firstBatch.ts [runs=3]
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunStartedEvent } from '../src/shared/events';
import type { HostToTrainerMessage, TrainerToHostMessage } from '../src/shared/protocol/trainer';

const trainerPath = resolve(__dirname, '..', 'dist', 'trainer.js');
const runs = Number(process.argv[2] ?? 3);

function specFile(): { ws: string; specPath: string } {
  const ws = mkdtempSync(join(tmpdir(), 'bench-fb-'));
  const specPath = join(ws, 'mnist.train.json');
  writeFileSync(
    specPath,
    JSON.stringify({
      name: 'mnist-mlp',
      data: { type: 'mnist' },
      model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 128, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 10, activation: 'softmax' }] },
      compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
      fit: { epochs: 1, batchSize: 32 },
    }),
  );
  return { ws, specPath };
}

function toFirstBatch(): Promise<{ total: number; loadMs: number }> {
  const { ws, specPath } = specFile();
  const start = performance.now();
  const child = fork(trainerPath, [], { cwd: ws, execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let loadMs = 0;
  return new Promise((done, fail) => {
    child.on('message', (message: TrainerToHostMessage) => {
      if (message.type === 'runStarted') loadMs = (message as RunStartedEvent).data.loadMs;
      if (message.type === 'error') fail(new Error(message.message));
      if (message.type === 'batchEnd') {
        const total = performance.now() - start;
        child.kill('SIGKILL');
        done({ total, loadMs });
      }
    });
    child.on('exit', () => fail(new Error('trainer exited before its first batch')));
    child.send({ type: 'train', request: { specPath, runsDir: join(ws, 'runs'), backend: 'wasm' } } satisfies HostToTrainerMessage);
  });
}

function spawnFloor(): Promise<number> {
  // node starting and parsing the same bundle, then exiting: the part no trainer can avoid.
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(trainerPath)}); process.exit(0)`], { stdio: 'ignore' });
  return new Promise((done) => child.on('exit', () => done(performance.now() - start)));
}

async function main(): Promise<void> {
  const results: { total: number; loadMs: number }[] = [];
  const floors: number[] = [];
  for (let i = 0; i < runs; i++) {
    floors.push(await spawnFloor());
    results.push(await toFirstBatch());
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const total = median(results.map((r) => r.total));
  console.log(`spawn -> first batch event (full MNIST, wasm): ${results.map((r) => r.total.toFixed(0)).join(', ')} ms; median ${total.toFixed(0)} ms (goal <= 3000)`);
  console.log(`  of which loading the 70,000 images: median ${median(results.map((r) => r.loadMs)).toFixed(0)} ms`);
  console.log(`spawn + load bundle, no training (floor): median ${median(floors).toFixed(0)} ms`);
  console.log(`ratio first-batch / floor: ${(total / median(floors)).toFixed(2)}`);
}

void main();
