// The launcher that puts `model-studio` on VS Code's terminal PATH: written as
// the extension writes it, it runs the CLI with the given Node.js and passes
// every argument through unchanged, also from paths with spaces and quotes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { launcherFor } from '../../../src/extension/terminal/cliOnPath';
import { tempDir } from '../../helpers/cleanup';

describe('the model-studio launcher', () => {
  it('runs the CLI with VS Code’s Node.js (as Node, not as the editor) and passes the arguments through', { skip: process.platform === 'win32' }, () => {
    const dir = tempDir("ms launcher 'q' ");
    const cli = join(dir, 'dist', 'cli.js');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(cli, 'console.log(JSON.stringify({ args: process.argv.slice(2), electronAsNode: process.env.ELECTRON_RUN_AS_NODE }));\n');
    const launcher = launcherFor('linux', process.execPath, cli);
    assert.equal(launcher.name, 'model-studio');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, launcher.name), launcher.text);
    chmodSync(join(bin, launcher.name), 0o755);
    const out = execFileSync('sh', ['-c', 'model-studio train "my spec.train.json" --epochs 1'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), { args: ['train', 'my spec.train.json', '--epochs', '1'], electronAsNode: '1' });
  });

  it('is a .cmd file on Windows that keeps its variable to itself', () => {
    const launcher = launcherFor('win32', 'C:\\VS Code\\Code.exe', 'C:\\ext\\dist\\cli.js');
    assert.equal(launcher.name, 'model-studio.cmd');
    assert.match(launcher.text, /setlocal\r\nset ELECTRON_RUN_AS_NODE=1\r\n"C:\\VS Code\\Code.exe" "C:\\ext\\dist\\cli.js" %\*/);
  });
});
