import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argumentsKey, DoubleClickGuard } from '../../../../src/extension/commands/doubleClick';

describe('the double-click guard', () => {
  it('ignores only the same call again within half a second while the first still runs', () => {
    let now = 1_000;
    const guard = new DoubleClickGuard(() => now);
    const node = argumentsKey([{ kind: 'run', view: { runId: 'run-1' } }]);
    const first = guard.start(node);
    assert.ok(first);
    now += 200;
    assert.equal(guard.start(node), undefined, 'a double click');
    const other = guard.start(argumentsKey([{ kind: 'run', view: { runId: 'run-2' } }]));
    assert.ok(other, 'another resource runs at once');
    assert.ok(guard.start(argumentsKey([])), 'the palette (no arguments) too');
    now += 400;
    const later = guard.start(node);
    assert.ok(later, 'a second click later runs (its resource lock decides)');
    first();
    later();
    assert.ok(guard.start(node), 'and after the calls ended');
  });

  it('keys arguments that cannot be serialised by their types', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    assert.equal(argumentsKey([cyclic, 'x']), 'object,string');
    assert.equal(argumentsKey(['run-1']), '["run-1"]');
  });
});
