// Install Native TensorFlow Backend offers what the platform can run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeChoices } from '../../../src/extension/native/nativeChoices';

test('macOS is offered the CPU build only: there is no CUDA there', () => {
  assert.deepEqual(nativeChoices('darwin', undefined).map((c) => c.pkg), ['@tensorflow/tfjs-node']);
});

test('on Linux and Windows with an NVIDIA GPU the GPU build comes first and names the GPU', () => {
  for (const platform of ['linux', 'win32'] as const) {
    const choices = nativeChoices(platform, { name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 });
    assert.deepEqual(choices.map((c) => c.pkg), ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    assert.match(choices[0].detail, /^NVIDIA GeForce RTX 4090 found; needs CUDA/);
  }
});

test('on Linux and Windows without one the CPU build comes first and the GPU build says none was found', () => {
  for (const platform of ['linux', 'win32'] as const) {
    const choices = nativeChoices(platform, undefined);
    assert.deepEqual(choices.map((c) => c.label), ['CPU', 'GPU (CUDA)']);
    assert.equal(choices[1].detail, 'No NVIDIA GPU found on this machine');
  }
});
