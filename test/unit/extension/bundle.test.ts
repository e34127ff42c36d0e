// The extension host bundle stays small and free of the heavy libraries:
// TF.js trains in child processes, the Google clients load from dist/cloud.js
// on first use. Reads dist/extension.js as built by `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bundle = join(__dirname, '..', '..', '..', 'dist', 'extension.js');

describe('dist/extension.js', () => {
  it('is built (npm run build) before this test runs', () => {
    assert.ok(existsSync(bundle), `${bundle} is missing: run npm run build`);
  });

  it('contains neither TF.js nor the Google client libraries, and stays under 1 MB', () => {
    const text = readFileSync(bundle, 'utf8');
    // Marker strings that only the libraries' own code contains.
    for (const marker of ['registerKernel(', 'tfjs-core', 'google-gax', '@grpc/grpc-js', 'google.cloud.aiplatform', 'GoogleAuth(']) {
      assert.ok(!text.includes(marker), `the extension bundle contains "${marker}"`);
    }
    assert.ok(text.length < 1024 * 1024, `the extension bundle is ${(text.length / 1024).toFixed(0)} KB`);
  });
});
