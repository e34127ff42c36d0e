// Ends the window's trainers when the extension deactivates (the window
// closes or reloads), so no trainer outlives it: each is asked to stop (it
// saves where it is), and whatever has not exited within the grace period is
// killed. No `vscode` import: tests run it against the real trainer bundle.
import type { TrainerProcess } from './trainerProcess';

/** VS Code gives deactivate() about five seconds: stop within three, then kill and wait at most one more. */
export const SHUTDOWN_GRACE_MS = 3_000;
const AFTER_KILL_MS = 1_000;

export async function shutdownTrainers(trainers: readonly TrainerProcess[], graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  if (trainers.length === 0) return;
  for (const trainer of trainers) trainer.stop();
  const all = Promise.all(trainers.map((trainer) => trainer.exited));
  if (await settlesWithin(all, graceMs)) return;
  for (const trainer of trainers) trainer.kill();
  await settlesWithin(all, AFTER_KILL_MS);
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
