// The check `npm test` runs after the suites: what a run left behind (files in
// its TMPDIR, processes carrying its marker) is found, only that run's, and
// cleaned up.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MARKER, createRunScope, describeLeftovers } from '../../../scripts/leftovers.mjs';
import { killAndWait } from '../../helpers/cli';
import { onCleanup } from '../../helpers/cleanup';

/** A detached node process that idles (as a forgotten sandbox would), ended at the latest when the file is done. */
async function idler(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")'], { env, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  onCleanup(() => killAndWait(child));
  await once(child.stdout!, 'data');
  return child;
}

test("a run's leftover files and processes are found, other processes are not, and clean-up removes them", async () => {
  const scope = createRunScope('ms-scope-');
  onCleanup(() => scope.cleanUp());
  assert.equal(scope.env.TMPDIR, scope.dir);
  assert.equal(scope.env.MODEL_STUDIO_SANDBOX_DIR, join(scope.dir, 'sandbox'));
  const ours = await idler(scope.env);
  const someoneElses = await idler({ ...process.env, [MARKER]: 'another-run' });
  mkdirSync(join(scope.dir, 'sandbox'));
  writeFileSync(join(scope.dir, 'tsx-0'), '');

  const found = await scope.leftovers({ graceMs: 300, ignore: [/^tsx-\d+$/] });
  assert.deepEqual(found.processes.map((p) => p.pid), [ours.pid]);
  assert.match(found.processes[0].command, /setInterval/);
  assert.deepEqual(found.files, ['sandbox']);
  assert.deepEqual(describeLeftovers(found, scope.dir), [`still running: pid ${ours.pid} ${found.processes[0].command}`, `left in the temp folder: ${join(scope.dir, 'sandbox')}`]);

  const ended = once(ours, 'exit');
  await scope.cleanUp();
  await ended;
  assert.equal(existsSync(scope.dir), false);
  assert.equal(someoneElses.exitCode, null, "another run's process is left alone");
});

test('a process that ends within the grace period is not a leftover', async () => {
  const scope = createRunScope('ms-scope-');
  onCleanup(() => scope.cleanUp());
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { env: scope.env, stdio: 'ignore' });
  onCleanup(() => killAndWait(child));
  const found = await scope.leftovers({ graceMs: 5000 });
  assert.deepEqual(found, { processes: [], files: [] });
});
