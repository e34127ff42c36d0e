// How many threads native TensorFlow gives one op. TensorFlow splits an op's
// work over its intra-op pool (a thread per core) while the calling thread
// waits or takes a share, and each split costs a hand-off. On two cores a
// small op loses more to the hand-off than it gains from the second core:
// on this project's 2-core machine the example CNN's training step took
// 4.0 ms on one thread per op against 6.5 ms (at half the CPU time), the
// MLP's 0.9 against 1.9 ms; a convolution of 36 million FLOPs ran 20% faster
// on one thread, one of 170 million 25% slower (bench/intraOpThreads.ts).
// So a run whose largest layer is small runs each op on one thread there;
// everything else keeps TensorFlow's default. More cores: not measured here.
import { availableParallelism } from 'node:os';

/** TensorFlow reads it once, when its first context starts. */
export const INTRA_OP_THREADS_ENV = 'TF_NUM_INTRAOP_THREADS';

/** Machines with this many cores or fewer may get one thread per op. */
export const SINGLE_THREAD_MAX_CORES = 2;

/** A run whose largest layer takes fewer FLOPs than this a batch is made of small ops. */
export const SMALL_LAYER_FLOPS = 50e6;

export interface ThreadChoice {
  /** Where TensorFlow reads its settings (process.env by default). */
  env?: NodeJS.ProcessEnv;
  /** The machine's cores (os.availableParallelism() by default). */
  cores?: number;
  /** FLOPs of the run's largest layer for one batch, when known (core/spec/layerCost.ts). */
  largestLayerFlops?: number;
}

/**
 * Sets TensorFlow's intra-op threads to one for a run of small ops on a small
 * machine, unless the user set them; returns the count in effect when one is
 * set (undefined: TensorFlow's default, one per core). Call before TensorFlow loads.
 */
export function applyIntraOpThreads({ env = process.env, cores = availableParallelism(), largestLayerFlops }: ThreadChoice = {}): number | undefined {
  const small = largestLayerFlops !== undefined && largestLayerFlops < SMALL_LAYER_FLOPS;
  if (env[INTRA_OP_THREADS_ENV] === undefined && cores <= SINGLE_THREAD_MAX_CORES && small) env[INTRA_OP_THREADS_ENV] = '1';
  const threads = Number(env[INTRA_OP_THREADS_ENV]);
  // TensorFlow treats 0 (and what it cannot parse) as its default.
  return Number.isInteger(threads) && threads > 0 ? threads : undefined;
}

/** ", 1 intra-op thread" for the device description; empty for TensorFlow's default. */
export function threadsDescription(threads: number | undefined): string {
  if (threads === undefined) return '';
  return `, ${threads} intra-op ${threads === 1 ? 'thread' : 'threads'}`;
}
