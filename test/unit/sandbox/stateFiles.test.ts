// The sandbox's state files: a fresh folder starts empty, state survives a
// save and a new start, and a damaged file is a one-line error naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobsFile } from '../../../src/sandbox/vertex/jobState';
import { StateFile } from '../../../src/sandbox/vertex/state';
import { isUserError } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/cleanup';

test('state saved by one sandbox is read by the next, with no temporary file left behind', () => {
  const dir = tempDir('ms-state-');
  const first = new StateFile(dir);
  assert.deepEqual(first.state, { version: 1, models: {}, endpoints: {}, operations: {} });
  first.state.operations.x = { name: 'x' } as never;
  first.save();
  const jobs = new JobsFile(dir);
  assert.deepEqual(jobs.state, { version: 1, customJobs: {}, tuningJobs: {} });
  jobs.save();
  assert.deepEqual(new StateFile(dir).state.operations, { x: { name: 'x' } });
  assert.deepEqual(readdirSync(dir).sort(), ['jobs-state.json', 'vertex-state.json']);
});

test('a damaged state file is a user error that names the file and the fix', () => {
  const dir = tempDir('ms-state-');
  writeFileSync(join(dir, 'vertex-state.json'), '{"version":');
  assert.throws(() => new StateFile(dir), (e) => isUserError(e) && /vertex-state\.json is damaged \(not JSON\): delete it/.test(e.message));
  writeFileSync(join(dir, 'vertex-state.json'), '{"version":2}');
  assert.throws(() => new StateFile(dir), /has state version 2, this sandbox reads version 1: delete it to start afresh/);
  for (const text of ['not json', 'null', '{"version":2}']) {
    writeFileSync(join(dir, 'jobs-state.json'), text);
    assert.throws(() => new JobsFile(dir), (e) => isUserError(e) && /jobs-state\.json is damaged: delete it to start the sandbox with no training jobs/.test(e.message), text);
  }
});
