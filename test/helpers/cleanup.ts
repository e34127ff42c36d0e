// Clean-up that runs when the test file is done, whether its tests passed or
// failed: the newest task first, so servers and processes end before their
// folders go. (node:test's after() called inside a before() hook runs right
// after that hook, so helpers register here, with one file-level after() hook.
// That hook runs before the file's own top-level after() hooks: whatever
// writes into a temp folder from here must be ended through onCleanup too.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

type Task = () => unknown;
const tasks: Task[] = [];

after(async () => {
  const errors: unknown[] = [];
  for (const task of tasks.splice(0).reverse()) {
    try {
      await task();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} clean-up task(s) failed`);
});

export function onCleanup(task: Task): void {
  tasks.push(task);
}

/** A fresh folder in the temp folder, removed when the test file is done. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}

/** Whether process `pid` still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a process that is not our child (a detached sandbox): SIGTERM, then SIGKILL after `graceMs`; waits until it is gone. */
export async function endProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}
