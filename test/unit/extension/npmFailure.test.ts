// Install Native TensorFlow Backend turns npm's output into one sentence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNpmFailure } from '../../../src/extension/native/npmFailure';

describe('npm failure messages', () => {
  it('says which host could not be reached when offline', () => {
    const output = 'npm error code ENOTFOUND\nnpm error syscall getaddrinfo\nnpm error errno ENOTFOUND\nnpm error network request to https://registry.npmjs.org/@tensorflow%2ftfjs-node failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org';
    const message = describeNpmFailure('@tensorflow/tfjs-node', output, 1);
    assert.match(message, /^Could not download @tensorflow\/tfjs-node: this machine cannot reach registry\.npmjs\.org\./);
    assert.match(message, /Training keeps using WebAssembly/);
  });

  it('recognises the libtensorflow download failing in the install script', () => {
    const output = 'npm error path /x/node_modules/@tensorflow/tfjs-node\nnpm error command sh -c node scripts/install.js\nnpm error * Downloading libtensorflow\nnpm error Error: getaddrinfo ENOTFOUND storage.googleapis.com';
    assert.match(describeNpmFailure('@tensorflow/tfjs-node', output, 1), /cannot reach storage\.googleapis\.com/);
  });

  it('names permission and disk problems', () => {
    assert.match(describeNpmFailure('@tensorflow/tfjs-node-gpu', 'npm error code EACCES', 243), /permission denied/);
    assert.match(describeNpmFailure('@tensorflow/tfjs-node', 'npm error code ENOSPC', 1), /disk is full/);
  });

  it('falls back to the last line of output with the exit code', () => {
    assert.equal(describeNpmFailure('@tensorflow/tfjs-node', 'something\nnpm error weird thing\n', 7), 'npm install @tensorflow/tfjs-node failed (exit 7): npm error weird thing. See the log for npm’s output.');
  });
});
