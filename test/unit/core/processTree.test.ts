// Cancelling a command that runs through a shell ends the whole tree, not
// just the shell: a real tree here (Linux), taskkill's command on Windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { killProcessTree, treeSpawnOptions, type TreeKiller } from '../../../src/core/processTree';
import { alive, onCleanup } from '../../helpers/cleanup';

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

test('on Linux and macOS the shell, its child and its grandchild all end', { skip: process.platform === 'win32' && 'a POSIX process group' }, async () => {
  // sh -> sh -> sleep: the grandchild is what a shell-only kill leaves running.
  const shell = spawn('sh', ['-c', "sh -c 'sleep 60 & echo $!; wait' & wait"], { ...treeSpawnOptions('linux'), stdio: ['ignore', 'pipe', 'ignore'] });
  const grandchild = await new Promise<number>((resolve) => shell.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  assert.ok(Number.isInteger(grandchild) && grandchild > 1, `the shell printed the grandchild's pid, not ${grandchild}`);
  onCleanup(() => (alive(grandchild) ? process.kill(grandchild, 'SIGKILL') : undefined));
  assert.ok(alive(grandchild), 'the grandchild runs');
  killProcessTree(shell.pid as number);
  assert.ok(await until(() => !alive(grandchild), 5_000), `the grandchild ${grandchild} still runs`);
  assert.ok(await until(() => shell.exitCode !== null || shell.signalCode !== null, 5_000), 'the shell ended');
  // Ending a tree that is gone is no error.
  killProcessTree(shell.pid as number);
});

function recordingKiller(platform: NodeJS.Platform): TreeKiller & { calls: string[] } {
  const calls: string[] = [];
  return {
    platform,
    calls,
    run: (file, args) => calls.push([file, ...args].join(' ')),
    signalGroup: (pid, signal) => calls.push(`group ${pid} ${signal}`),
  };
}

test('on Windows the tree ends with taskkill /T /F, and the child is spawned hidden, not detached', () => {
  const killer = recordingKiller('win32');
  killProcessTree(4242, 'SIGTERM', killer);
  assert.deepEqual(killer.calls, ['taskkill /pid 4242 /T /F']);
  assert.deepEqual(treeSpawnOptions('win32'), { detached: false, windowsHide: true }, 'detached would open a console window on Windows');
});

test('on Linux and macOS the process group gets the signal, and the child leads its own group', () => {
  for (const platform of ['linux', 'darwin'] as const) {
    const killer = recordingKiller(platform);
    killProcessTree(4242, 'SIGTERM', killer);
    assert.deepEqual(killer.calls, ['group 4242 SIGTERM']);
    assert.deepEqual(treeSpawnOptions(platform), { detached: true, windowsHide: true });
  }
});
