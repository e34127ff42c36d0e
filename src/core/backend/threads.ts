// How many threads native TensorFlow gives one op. TensorFlow splits an op's
// work over its intra-op pool (a thread per core) and the calling thread
// takes a share too, so on two cores three threads contend for two. The
// models people train on such machines are small enough that the split costs
// more than it gains: on this project's 2-core machine one thread per op
// trained the example CNN at 4.0 ms a step (4.0 ms CPU) instead of 6.5 ms
// (8.7 ms CPU), the MLP at 0.9 ms instead of 1.9 (bench/fastPathProfile.ts).
// Larger machines keep TensorFlow's default: not measured here.
import { availableParallelism } from 'node:os';

/** TensorFlow reads it once, when its first context starts. */
export const INTRA_OP_THREADS_ENV = 'TF_NUM_INTRAOP_THREADS';

/** Machines with this many cores or fewer get one thread per op. */
export const SINGLE_THREAD_MAX_CORES = 2;

/**
 * Sets TensorFlow's intra-op threads in `env` for a machine with `cores`
 * cores, unless the user set them; returns the count in effect when one is
 * set (undefined: TensorFlow's default, one per core). Call before TensorFlow loads.
 */
export function applyIntraOpThreads(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number | undefined {
  if (env[INTRA_OP_THREADS_ENV] === undefined && cores <= SINGLE_THREAD_MAX_CORES) env[INTRA_OP_THREADS_ENV] = '1';
  const threads = Number(env[INTRA_OP_THREADS_ENV]);
  // TensorFlow treats 0 (and what it cannot parse) as its default.
  return Number.isInteger(threads) && threads > 0 ? threads : undefined;
}

/** ", 1 intra-op thread" for the device description; empty for TensorFlow's default. */
export function threadsDescription(threads: number | undefined): string {
  if (threads === undefined) return '';
  return `, ${threads} intra-op ${threads === 1 ? 'thread' : 'threads'}`;
}
