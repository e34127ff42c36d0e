// The building blocks every protocol's guard is made of.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrayOf,
  boundedString,
  byType,
  describeForLog,
  integerIn,
  isFiniteNumber,
  isReplyMessage,
  isRequestId,
  messageOf,
  messagesOf,
  numberIn,
  objectOf,
  oneOf,
  optional,
  recordOf,
  tagOnly,
} from '../../../../src/shared/protocol/guards';

test('numbers: NaN and infinities are never finite; ranges and whole numbers are enforced', () => {
  for (const bad of [Number.NaN, Infinity, -Infinity, '1', null, undefined]) assert.equal(isFiniteNumber(bad), false, String(bad));
  const percent = integerIn(0, 100);
  assert.ok(percent(0) && percent(100));
  for (const bad of [-1, 101, 50.5, Number.NaN, '50']) assert.equal(percent(bad), false, String(bad));
  const unit = numberIn(0, 1);
  assert.ok(unit(0) && unit(0.5) && unit(1));
  for (const bad of [-0.001, 1.001, Number.NaN]) assert.equal(unit(bad), false, String(bad));
});

test('request ids are non-negative whole numbers', () => {
  assert.ok(isRequestId(0) && isRequestId(41));
  for (const bad of [-1, 1.5, '1', Number.NaN, Number.MAX_SAFE_INTEGER + 2]) assert.equal(isRequestId(bad), false, String(bad));
});

test('strings and arrays are bounded', () => {
  const name = boundedString(5, 1);
  assert.ok(name('a') && name('abcde'));
  for (const bad of ['', 'abcdef', 5, null]) assert.equal(name(bad), false, String(bad));
  const pair = arrayOf(integerIn(0, 9), { min: 2, max: 2 });
  assert.ok(pair([1, 2]));
  for (const bad of [[1], [1, 2, 3], [1, 'x'], 'ab', { 0: 1, 1: 2, length: 2 }]) assert.equal(pair(bad), false, JSON.stringify(bad));
});

test('maps check every key and value and their number', () => {
  const shares = recordOf(oneOf(['a', 'b'] as const), integerIn(0, 100), 2);
  assert.ok(shares({ a: 10, b: 90 }) && shares({}));
  for (const bad of [{ a: 10, c: 90 }, { a: 'ten' }, { a: 1, b: 2, c: 3 }, [], null]) assert.equal(shares(bad), false, JSON.stringify(bad));
});

test('objects need every field of their type; optional ones may be absent but not wrong', () => {
  interface Point {
    x: number;
    label?: string;
  }
  const isPoint = objectOf<Point>({ x: isFiniteNumber, label: optional(boundedString(10)) });
  assert.ok(isPoint({ x: 1 }) && isPoint({ x: 1, label: 'p' }) && isPoint({ x: 1, extra: true }));
  for (const bad of [{}, { x: '1' }, { x: 1, label: 7 }, null, [1]]) assert.equal(isPoint(bad), false, JSON.stringify(bad));
  // @ts-expect-error a shape that leaves out a field of the type does not compile
  objectOf<Point>({ x: isFiniteNumber });
});

test('tagged unions are decided by the guard of the message’s own type, never by inherited keys', () => {
  type Message = { type: 'ping' } | { type: 'move'; to: number };
  const isMessage = byType<Message>({ ping: tagOnly('ping'), move: objectOf<{ type: 'move'; to: number }>({ type: oneOf(['move'] as const), to: isFiniteNumber }) });
  assert.ok(isMessage({ type: 'ping' }) && isMessage({ type: 'move', to: 3 }));
  for (const bad of [{ type: 'move' }, { type: 'toString' }, { type: 'constructor' }, { type: '__proto__' }, { to: 3 }, 'ping']) {
    assert.equal(isMessage(bad), false, JSON.stringify(bad));
  }
});

test('a protocol given by its messages\' fields checks each message\'s tag and fields; a shared message keeps its own guard', () => {
  type Move = { type: 'move'; to: number; note?: string };
  type Message = { type: 'ping' } | Move | { type: 'shared'; n: number };
  const isShared = messageOf<{ type: 'shared'; n: number }>('shared', { n: integerIn(0, 9) });
  const isMessage = messagesOf<Message>({ ping: {}, move: { to: isFiniteNumber, note: optional(boundedString(5)) }, shared: isShared });
  for (const good of [{ type: 'ping' }, { type: 'move', to: 3 }, { type: 'move', to: 3, note: 'ok' }, { type: 'shared', n: 4 }]) {
    assert.ok(isMessage(good), JSON.stringify(good));
  }
  const bad = [{ type: 'move' }, { type: 'move', to: 3, note: 'too long' }, { type: 'shared', n: 10 }, { type: 'toString' }, { to: 3 }, { type: 'pong' }, null, 'ping'];
  for (const each of bad) assert.equal(isMessage(each), false, JSON.stringify(each));
  // A message guard checks its own tag too, wherever it is used on its own.
  assert.equal(isShared({ type: 'other', n: 1 }), false);
});

test('replies carry a request id and, when the request failed, an error text', () => {
  assert.ok(isReplyMessage({ type: 'reply', requestId: 3 }));
  assert.ok(isReplyMessage({ type: 'reply', requestId: 3, error: 'no such run' }));
  for (const bad of [{ type: 'reply' }, { type: 'reply', requestId: 3, error: 5 }, { type: 'reply', requestId: 1, error: 'x'.repeat(70_000) }]) {
    assert.equal(isReplyMessage(bad), false, JSON.stringify(bad).slice(0, 80));
  }
});

test('a rejected message is described in one bounded line', () => {
  assert.equal(describeForLog({ type: 'x' }), '{"type":"x"}');
  assert.equal(describeForLog(undefined), 'undefined');
  const long = describeForLog({ text: 'y'.repeat(1000) });
  assert.equal(long.length, 201);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(describeForLog(cyclic), '[object Object]');
});
