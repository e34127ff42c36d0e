// The extension host bundle stays small and free of the heavy libraries:
// TF.js trains in child processes, the Google clients load from dist/cloud.js
// on first use, and the spec validation for the editor (ajv and the schema)
// from dist/specCheck.js at the first check. Reads dist/ as built by `npm run build`.
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

  it('leaves the spec validation (ajv, the schema) to dist/specCheck.js, which finds what the trainer refuses', () => {
    const text = readFileSync(bundle, 'utf8');
    for (const marker of ['strictTypes', 'must have required property', 'defaultSnippets']) {
      assert.ok(!text.includes(marker), `the extension bundle contains "${marker}"`);
    }
    const specCheck = join(__dirname, '..', '..', '..', 'dist', 'specCheck.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, as the extension loads it
    const { findSpecProblem } = require(specCheck) as typeof import('../../../src/extension/specs/specCheckBundle');
    const problem = findSpecProblem('{ "name": "x", "dat": {} }');
    assert.ok(problem);
    assert.match(problem.message(), /Unknown field 'dat'.*did you mean 'data'\?/);
  });
});
