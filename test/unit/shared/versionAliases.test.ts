import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aliasProblem, mergeAliases, parseAliasList } from '../../../src/shared/versionAliases';

test('an alias matches [a-z][a-zA-Z0-9-]{0,126}[a-z0-9], and a bad one is told the rule', () => {
  for (const good of ['champion', 'prodV2', 'a1', 'blue-green', `a${'b'.repeat(126)}c`]) assert.equal(aliasProblem(good), undefined, good);
  for (const bad of ['x', 'Champion', '1st', 'ends-', 'endsX', 'has_underscore', `a${'b'.repeat(127)}c`, '']) {
    assert.match(aliasProblem(bad) ?? '', /must match \[a-z\]\[a-zA-Z0-9-\]\{0,126\}\[a-z0-9\]/, bad);
  }
});

test('MergeVersionAliases semantics: "-x" removes x, and the same alias added and removed cancels out', () => {
  assert.deepEqual(mergeAliases(['a'], ['b']), ['a', 'b']);
  assert.deepEqual(mergeAliases(['a', 'b'], ['-a']), ['b']);
  assert.deepEqual(mergeAliases(['a'], ['a', '-a']), ['a']);
  assert.deepEqual(mergeAliases([], ['c', '-c']), []);
});

test('an alias list is split on commas with blanks dropped', () => {
  assert.deepEqual(parseAliasList(' a, b ,,c '), ['a', 'b', 'c']);
});
