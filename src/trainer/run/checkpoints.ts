// Checkpoints: the model with its optimizer state plus where training was,
// under checkpoints/<name>/. Resume reads the newest one.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import { saveModelToFolder } from '../../core/modelFolder';
import { UserError } from '../../shared/errors';

export interface CheckpointState {
  /** Whole epochs completed when it was taken. */
  epochsCompleted: number;
  /** Shuffle seed of the run, so resumed epochs continue the same sequence. */
  seed: number;
  /** Early-stopping bookkeeping carried across a resume. */
  best?: number;
  wait?: number;
}

const STATE_FILE = 'state.json';

export function checkpointName(epochsCompleted: number, batch?: number): string {
  const epoch = `epoch-${String(epochsCompleted).padStart(4, '0')}`;
  return batch === undefined ? epoch : `${epoch}-batch-${String(batch).padStart(6, '0')}`;
}

export async function saveCheckpoint(
  tf: Tf,
  model: LayersModel,
  checkpointsDir: string,
  name: string,
  state: CheckpointState,
): Promise<string> {
  const dir = join(checkpointsDir, name);
  await saveModelToFolder(tf, model, dir, { includeOptimizer: true });
  await writeFile(join(dir, STATE_FILE), JSON.stringify(state));
  return dir;
}

/** Keeps the newest `keep` checkpoints (names sort by epoch and batch). */
export async function pruneCheckpoints(checkpointsDir: string, keep: number): Promise<void> {
  const names = (await readdir(checkpointsDir)).filter((n) => n.startsWith('epoch-')).sort();
  for (const name of names.slice(0, Math.max(0, names.length - keep))) {
    await rm(join(checkpointsDir, name), { recursive: true, force: true });
  }
}

export async function readCheckpointState(dir: string): Promise<CheckpointState> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as CheckpointState;
  } catch {
    throw new UserError(`Checkpoint ${dir} is missing or incomplete: resume from another run or train the spec again.`);
  }
}
