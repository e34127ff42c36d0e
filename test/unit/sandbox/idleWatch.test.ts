import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdleWatch } from '../../../src/sandbox/idleWatch';
import { ManualClock } from '../../helpers/manualClock';

const MINUTE = 60_000;

describe('the sandbox idle watch', () => {
  it('says idle once, after the idle minutes without a request since the start', () => {
    const clock = new ManualClock();
    let idle = 0;
    new IdleWatch(30 * MINUTE, () => idle++, clock);
    clock.advance(30 * MINUTE - 1);
    assert.equal(idle, 0);
    clock.advance(1);
    assert.equal(idle, 1);
    clock.advance(120 * MINUTE);
    assert.equal(idle, 1, 'once only');
  });

  it('counts from the end of the last request, and never while a request is in flight', () => {
    const clock = new ManualClock();
    let idle = 0;
    const watch = new IdleWatch(10 * MINUTE, () => idle++, clock);
    clock.advance(9 * MINUTE);
    const end = watch.begin();
    // A long request (a big upload, a slow deploy wait) keeps it alive however long it takes.
    clock.advance(60 * MINUTE);
    assert.equal(idle, 0);
    assert.equal(watch.idleFor(), 0);
    assert.equal(watch.requestsInFlight, 1);
    end();
    end(); // ending twice (close after finish) counts once
    assert.equal(watch.requestsInFlight, 0);
    clock.advance(10 * MINUTE - 1);
    assert.equal(watch.idleFor(), 10 * MINUTE - 1);
    assert.equal(idle, 0);
    watch.begin()();
    clock.advance(10 * MINUTE - 1);
    assert.equal(idle, 0, 'the request in between restarted the count');
    clock.advance(1);
    assert.equal(idle, 1);
  });

  it('never says idle without idle minutes, or after close', () => {
    const clock = new ManualClock();
    let idle = 0;
    const never = new IdleWatch(undefined, () => idle++, clock);
    clock.advance(10_000 * MINUTE);
    assert.equal(never.idleFor(), 10_000 * MINUTE);
    const closed = new IdleWatch(MINUTE, () => idle++, clock);
    closed.close();
    clock.advance(5 * MINUTE);
    closed.begin()();
    clock.advance(5 * MINUTE);
    assert.equal(idle, 0);
  });
});
