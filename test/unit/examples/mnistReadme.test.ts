// examples/mnist/README.md is read by someone who has that folder open in VS
// Code: it starts with the ▶ Train CodeLens, and its terminal commands work
// in the workspace terminal (`model-studio` on the PATH, paths relative to
// the folder, flags the CLI has).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../helpers/repoRoot';

const folder = join(REPO_ROOT, 'examples', 'mnist');
const readme = readFileSync(join(folder, 'README.md'), 'utf8');
const trainUsage = /const USAGE = `([^`]*)`/.exec(readFileSync(join(REPO_ROOT, 'src', 'cli', 'commands', 'train.ts'), 'utf8'))?.[1] ?? '';

/** The `model-studio ...` lines of the README's shell blocks, comments cut. */
function commands(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((b) => b.split('\n')).map((line) => line.replace(/#.*$/, '').trim()).filter((line) => line.startsWith('model-studio '));
}

describe('examples/mnist/README.md', () => {
  it('starts with the ▶ Train CodeLens, before any terminal command', () => {
    const lens = readme.indexOf('**▶ Train**');
    assert.ok(lens > 0, 'mentions ▶ Train');
    assert.ok(lens < readme.indexOf('```sh'), 'the CodeLens comes first');
  });

  it('trains specs by paths relative to the opened folder, all of which exist', () => {
    const trains = commands().filter((c) => c.startsWith('model-studio train '));
    assert.ok(trains.length >= 3, `train commands: ${trains.join(' | ')}`);
    for (const command of trains) {
      const spec = command.split(/\s+/)[2];
      assert.ok(existsSync(join(folder, spec)), `${spec} (from "${command}") is in examples/mnist`);
    }
    assert.doesNotMatch(readme, /examples\/mnist\/|node dist\/cli\.js/, 'no repository-relative paths');
  });

  it('names only flags that model-studio train has', () => {
    const flags = new Set([...readme.matchAll(/`(--[a-z-]+)/g)].map((m) => m[1]));
    assert.ok(flags.has('--batch-size') && flags.has('--learning-rate'));
    for (const flag of flags) assert.ok(trainUsage.includes(`[${flag}`), `${flag} is in "${trainUsage}"`);
  });
});
