import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { isProcessAlive } from '../../../src/core/runStore';
import { hasExited } from '../../../src/core/sandboxInfo';

describe('whether a sandbox process has exited', () => {
  it('is false for a running process and true for one that is gone', () => {
    assert.equal(hasExited(process.pid), false);
    assert.equal(hasExited(2 ** 22 + 12345), true);
  });

  it('counts a zombie (exited, never reaped by the process that adopted it) as exited', { skip: process.platform !== 'linux' && 'zombies are read from /proc' }, async () => {
    // The shell's background child becomes the child of `sleep 5` (exec), which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((done) => parent.stdout.once('data', (d: Buffer) => done(d.toString().trim()))));
      await new Promise((done) => setTimeout(done, 600));
      assert.equal(isProcessAlive(pid), true, 'kill(pid, 0) still finds the zombie');
      assert.equal(hasExited(pid), true);
    } finally {
      parent.kill();
    }
  });
});
