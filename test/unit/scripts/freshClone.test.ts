// `npm start` and `npm test` run on a fresh clone before anything is
// installed: their scripts, and every local script they import up front, may
// import only node's built-ins (npm packages are imported after the install).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/repoRoot';

/** The modules of every static `import ... from '...'` (and `import '...'`) in a script. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((match) => match[1]);
}

/** The npm packages a script loads before its first line runs, following local imports. */
function packagesLoadedUpFront(entry: string, seen = new Set<string>()): string[] {
  if (seen.has(entry)) return [];
  seen.add(entry);
  return staticImports(entry).flatMap((name) => {
    if (name.startsWith('node:')) return [];
    if (name.startsWith('.')) return packagesLoadedUpFront(resolve(dirname(entry), name), seen);
    return [`${relative(REPO_ROOT, entry)} imports '${name}'`];
  });
}

test('the README commands import only node built-ins before they install the dependencies', () => {
  for (const script of ['scripts/start.mjs', 'scripts/test.mjs']) {
    assert.deepEqual(packagesLoadedUpFront(join(REPO_ROOT, script)), [], script);
  }
});

test('the check finds an npm package imported up front', () => {
  assert.deepEqual(packagesLoadedUpFront(join(REPO_ROOT, 'scripts', 'build.mjs')), ["scripts/build.mjs imports 'esbuild'"]);
});
