// How many trials train at once by default: one per core (a WebAssembly
// trainer uses one; native TensorFlow is bound by per-op dispatch, which one
// core mostly serves), no more than free memory holds, never more than trials.
import { availableParallelism, freemem } from 'node:os';

/** Memory to count per trainer: a trainer on full MNIST peaks near 380 MB (bench/trainerMemory.ts); room for bigger models. */
export const TRIAL_MEMORY_BYTES = 768 * 1024 * 1024;
/** Beyond this, trainers mostly wait on each other. */
export const MAX_DEFAULT_PARALLEL = 16;

export interface MachineFacts {
  cores: number;
  freeBytes: number;
}

export function machineFacts(): MachineFacts {
  return { cores: availableParallelism(), freeBytes: freemem() };
}

export interface ParallelChoice {
  count: number;
  /** "2 cores, 5.1 GiB free" */
  why: string;
}

export function defaultParallelTrials(trials: number, machine: MachineFacts = machineFacts()): ParallelChoice {
  const byMemory = Math.floor(machine.freeBytes / TRIAL_MEMORY_BYTES);
  const count = Math.max(1, Math.min(machine.cores, byMemory, trials, MAX_DEFAULT_PARALLEL));
  return { count, why: `${machine.cores} core${machine.cores === 1 ? '' : 's'}, ${(machine.freeBytes / 2 ** 30).toFixed(1)} GiB free` };
}
