// Sweeps through the built CLI: a spec with a search section, the JSON events
// `sweep --json` prints, and the trainers of a workspace, so that a test
// (passing or failing) leaves none running.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import type { SearchSpec, SweepEvent, SweepRecord } from '../../src/shared/sweep';
import { isProcessAlive, processStartToken } from '../../src/core/runLiveness';

/** A small MNIST MLP without dropout (each trial repeats exactly for its seed), validating on a held-out 20%. */
export function sweepSpec(search: SearchSpec, options: { epochs?: number; train?: number; units?: number } = {}): TrainingSpec {
  return {
    name: 'mnist-sweep',
    data: { type: 'mnist', subset: { train: options.train ?? 1000, test: 200 } },
    model: {
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: options.units ?? 32, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: options.epochs ?? 2, batchSize: 32, seed: 3, validationSplit: 0.2 },
    search,
  };
}

export function sweepEvents(stdout: string): SweepEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as SweepEvent);
}

/** Resolves with every event so far once one matches `predicate`. */
export function waitForSweepEvent(child: ChildProcess, predicate: (e: SweepEvent, all: SweepEvent[]) => boolean, timeoutMs = 120_000): Promise<SweepEvent[]> {
  return new Promise((resolve, reject) => {
    const seen: SweepEvent[] = [];
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for a sweep event; saw ${seen.map((e) => e.type).join(', ')}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.startsWith('{'))) {
        const event = JSON.parse(line) as SweepEvent;
        seen.push(event);
        if (predicate(event, seen)) {
          clearTimeout(timer);
          resolve([...seen]);
        }
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`the CLI ended before the event; saw ${seen.map((e) => e.type).join(', ')}`));
    });
  });
}

export function readSweepJson(ws: string, sweepId: string): SweepRecord {
  return JSON.parse(readFileSync(join(ws, '.model-studio', 'sweeps', sweepId, 'sweep.json'), 'utf8')) as SweepRecord;
}

export function readRunJson(ws: string, runId: string): RunRecord {
  return JSON.parse(readFileSync(join(ws, '.model-studio', 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
}

export function runRecords(ws: string): RunRecord[] {
  const runs = join(ws, '.model-studio', 'runs');
  return existsSync(runs) ? readdirSync(runs).map((id) => readRunJson(ws, id)) : [];
}

/** The trainers of the workspace's runs that are still alive (their PID with the same start time). */
export function liveTrainers(ws: string): number[] {
  return runRecords(ws)
    .filter((r) => isProcessAlive(r.pid) && (r.processStart === undefined || processStartToken(r.pid) === r.processStart))
    .map((r) => r.pid);
}

/** Ends whatever a test left running: its CLI processes, then every trainer of its workspaces. */
export function cleanUp(children: ChildProcess[], workspaces: string[]): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const ws of workspaces) for (const pid of liveTrainers(ws)) process.kill(pid, 'SIGKILL');
}

/** The `units` of each Dense layer in a saved model.json. */
export function denseUnits(modelJson: string): number[] {
  const model = JSON.parse(readFileSync(modelJson, 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: { units?: number } }[] } } };
  return model.modelTopology.config.layers.filter((l) => l.class_name === 'Dense').map((l) => l.config.units as number);
}

/** The learning rate a checkpoint's optimizer was saved with. */
export function checkpointLearningRate(runFolder: string, checkpoint: string): number {
  const model = JSON.parse(readFileSync(join(runFolder, checkpoint, 'model.json'), 'utf8')) as { trainingConfig: { optimizer_config: { config: { learningRate: number } } } };
  return model.trainingConfig.optimizer_config.config.learningRate;
}
