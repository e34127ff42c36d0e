// Checkpoints: the model with its optimizer state plus where training was,
// under checkpoints/<name>/. Each is saved whole or not at all
// (core/atomicFolder.ts), and they order by the progress in their state, not
// by name: names of older versions (epoch-0000-batch-000151, numbered by the
// batches of one process) do not sort by progress.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import { isTempFolderName, recoverFolder, recoverFoldersIn, type ReplaceOptions } from '../../core/atomicFolder';
import { MODEL_JSON, saveModelToFolder } from '../../core/modelFolder';
import { CHECKPOINTS_FOLDER, MODEL_FOLDER } from '../../core/runStore';
import type { Metrics } from '../../shared/events';

export interface CheckpointState {
  /** Whole epochs completed when it was taken. */
  epochsCompleted: number;
  /** Shuffle seed of the run, so resumed epochs continue the same sequence. */
  seed: number;
  /** Early-stopping bookkeeping carried across a resume. */
  best?: number;
  wait?: number;
  /** Batches trained in the whole run (the global step); absent in checkpoints of older versions. */
  step?: number;
  /** Batches of epoch `epochsCompleted` already trained: 0 at an epoch's end, all of them when only its validation is left. */
  batchInEpoch?: number;
  /** Batches per epoch when it was taken: a resume continues mid-epoch only when the data still gives as many. */
  batchesPerEpoch?: number;
  /** Metric sums of the unfinished epoch (each batch's value times its size), so its epochEnd averages the whole epoch. */
  epochSums?: Metrics;
  /** Training time of the unfinished epoch so far. */
  epochMs?: number;
}

const STATE_FILE = 'state.json';
/** epoch-0001-step-000001875 (this version), epoch-0001 and epoch-0000-batch-000151 (older ones). */
const NAME_PATTERN = /^epoch-\d{4,}(?:-(?:step|batch)-\d+)?$/;

/** Epochs completed, then the global step: names sort as the run progressed. */
export function checkpointName(epochsCompleted: number, step: number): string {
  return `epoch-${String(epochsCompleted).padStart(4, '0')}-step-${String(step).padStart(9, '0')}`;
}

export async function saveCheckpoint(
  tf: Tf,
  model: LayersModel,
  checkpointsDir: string,
  name: string,
  state: CheckpointState,
  options: ReplaceOptions = {},
): Promise<string> {
  const dir = join(checkpointsDir, name);
  await saveModelToFolder(tf, model, dir, { ...options, includeOptimizer: true, extraFiles: { [STATE_FILE]: JSON.stringify(state) } });
  return dir;
}

export interface Checkpoint {
  name: string;
  dir: string;
  state: CheckpointState;
}

/** The complete checkpoints, oldest first by progress (epochs, then batches, then when saved). */
export async function listCheckpoints(checkpointsDir: string): Promise<Checkpoint[]> {
  let names: string[];
  try {
    names = await readdir(checkpointsDir);
  } catch {
    return [];
  }
  const found: (Checkpoint & { savedMs: number })[] = [];
  for (const name of names) {
    if (!NAME_PATTERN.test(name)) continue;
    const dir = join(checkpointsDir, name);
    const complete = await readComplete(dir);
    if (complete) found.push({ name, dir, ...complete });
  }
  return found.sort((a, b) => compareProgress(a, b)).map(({ name, dir, state }) => ({ name, dir, state }));
}

function compareProgress(a: { state: CheckpointState; savedMs: number }, b: { state: CheckpointState; savedMs: number }): number {
  return (
    a.state.epochsCompleted - b.state.epochsCompleted ||
    (a.state.batchInEpoch ?? 0) - (b.state.batchInEpoch ?? 0) ||
    // Older versions restarted an epoch at its first batch: among theirs, the later save is the later progress.
    a.savedMs - b.savedMs
  );
}

async function readComplete(dir: string): Promise<{ state: CheckpointState; savedMs: number } | undefined> {
  try {
    const file = join(dir, STATE_FILE);
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file), stat(join(dir, MODEL_JSON))]);
    const state = JSON.parse(text) as CheckpointState;
    if (typeof state.epochsCompleted !== 'number' || typeof state.seed !== 'number') return undefined;
    return { state, savedMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}

/** The checkpoint a resume continues from: the furthest complete one. */
export async function latestCheckpoint(checkpointsDir: string): Promise<Checkpoint | undefined> {
  return (await listCheckpoints(checkpointsDir)).at(-1);
}

/**
 * Keeps the `keep` furthest checkpoints and every one in `protect` (the one
 * run.json names, which the next resume reads); deletes the rest.
 */
export async function pruneCheckpoints(checkpointsDir: string, keep: number, protect: readonly string[] = []): Promise<void> {
  const all = await listCheckpoints(checkpointsDir);
  for (const checkpoint of all.slice(0, Math.max(0, all.length - Math.max(1, keep)))) {
    if (protect.includes(checkpoint.name)) continue;
    await rm(checkpoint.dir, { recursive: true, force: true });
  }
}

/**
 * At the start of a run that is not training: finishes or undoes a save that
 * a kill interrupted (model/ and each checkpoint), and deletes checkpoint
 * folders that an older version left without their state.
 */
export async function recoverRunFolder(runFolder: string): Promise<void> {
  await recoverFolder(join(runFolder, MODEL_FOLDER));
  const checkpointsDir = join(runFolder, CHECKPOINTS_FOLDER);
  await recoverFoldersIn(checkpointsDir);
  let names: string[];
  try {
    names = await readdir(checkpointsDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (isTempFolderName(name) || !NAME_PATTERN.test(name)) continue;
    const dir = join(checkpointsDir, name);
    if (!(await readComplete(dir))) await rm(dir, { recursive: true, force: true });
  }
}
