// Runs the built CLI (dist/cli.js) as a user would, in a temp workspace.
// Workspaces are removed and CLI processes still running are killed when the
// test file ends, passed or failed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TrainerEvent } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import { onCleanup, tempDir } from './cleanup';

export const repoRoot = resolve(__dirname, '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function tempWorkspace(prefix = 'ms-ws-'): string {
  return tempDir(prefix);
}

/** A small MNIST MLP spec: trains in seconds on a subset. */
export function mnistSpec(changes: Partial<TrainingSpec> = {}, subset = { train: 2000, test: 500 }): TrainingSpec {
  return {
    name: 'mnist-small',
    data: { type: 'mnist', subset },
    model: {
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 64, activation: 'relu' },
        { type: 'dropout', rate: 0.2 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 2, batchSize: 32, seed: 1 },
    ...changes,
  };
}

export function writeSpec(workspace: string, spec: TrainingSpec | string, name = 'test.train.json'): string {
  const file = join(workspace, name);
  writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2));
  return file;
}

export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, FORCE_COLOR: '0' } });
  onCleanup(() => killAndWait(child));
  return child;
}

/** Ends `child` if it still runs (a test that failed half-way) and waits for it. */
export async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  child.kill('SIGKILL');
  await exited;
}

export function collect(child: ChildProcess): Promise<CliResult> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}

export function runCli(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return collect(startCli(args, cwd, env));
}

/** The JSON a `--json` command printed, after checking that it succeeded. */
export function jsonOutput<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

export function jsonEvents(stdout: string): TrainerEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TrainerEvent);
}

/** Resolves when the child has printed a JSON event matching `predicate`. */
export function waitForEvent(child: ChildProcess, predicate: (e: TrainerEvent) => boolean, timeoutMs = 60_000): Promise<TrainerEvent> {
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const event = JSON.parse(line) as TrainerEvent;
        if (predicate(event)) {
          clearTimeout(timer);
          resolvePromise(event);
        }
      }
    });
    child.on('close', () => reject(new Error('process ended before the event')));
  });
}

/** Runs `model-studio train ARGS --json` (WebAssembly) in `cwd`, sends Ctrl+C once it reports batch `stopAfter` (0-based), and expects exit 0; its events. */
export async function trainUntil(cwd: string, args: string[], stopAfter?: number): Promise<TrainerEvent[]> {
  const child = startCli([...args, '--json', '--backend', 'wasm'], cwd);
  const done = collect(child);
  if (stopAfter !== undefined) {
    await waitForEvent(child, (e) => e.type === 'batchEnd' && e.batch >= stopAfter, 300_000);
    child.kill('SIGINT');
  }
  const result = await done;
  assert.equal(result.code, 0, result.stderr);
  return jsonEvents(result.stdout);
}
