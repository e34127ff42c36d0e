// Ending a child and everything it started. A command run through a shell
// (npm.cmd needs cmd.exe on Windows) is a tree: killing the shell leaves npm
// and its install scripts running. On Windows `taskkill /T` ends the tree;
// elsewhere the child leads a process group of its own (spawned detached)
// and the whole group gets the signal.
import { spawn, type SpawnOptions } from 'node:child_process';

/** Spawn options that make the child's tree killable, with no console window on Windows. */
export function treeSpawnOptions(platform: NodeJS.Platform = process.platform): Pick<SpawnOptions, 'detached' | 'windowsHide'> {
  // detached on Windows would open a console of its own instead.
  return { detached: platform !== 'win32', windowsHide: true };
}

/** What ending a tree does on a platform; `run` starts a helper program (taskkill), `signalGroup` signals a process group. */
export interface TreeKiller {
  platform: NodeJS.Platform;
  run(file: string, args: readonly string[]): void;
  signalGroup(pid: number, signal: NodeJS.Signals): void;
}

export function nodeTreeKiller(platform: NodeJS.Platform = process.platform): TreeKiller {
  return {
    platform,
    run(file, args) {
      const helper = spawn(file, args, { stdio: 'ignore', windowsHide: true });
      // A tree that is already gone makes taskkill fail: nothing to report.
      helper.on('error', () => undefined);
    },
    signalGroup(pid, signal) {
      process.kill(-pid, signal);
    },
  };
}

/**
 * Ends the process `pid` and its descendants: on Windows with `taskkill /pid
 * N /T /F`, elsewhere by signalling its process group (it must have been
 * spawned with treeSpawnOptions). A tree that is already gone is no error.
 */
export function killProcessTree(pid: number, signal: NodeJS.Signals = 'SIGTERM', killer: TreeKiller = nodeTreeKiller()): void {
  if (killer.platform === 'win32') {
    killer.run('taskkill', ['/pid', String(pid), '/T', '/F']);
    return;
  }
  try {
    killer.signalGroup(pid, signal);
  } catch {
    // ESRCH: the group has already exited.
  }
}
