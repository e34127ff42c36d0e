import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyStopping } from '../../../src/trainer/earlyStopping';

test('stops after `patience` epochs without improvement of val_loss', () => {
  const es = new EarlyStopping({ patience: 2 });
  assert.equal(es.update(0, { val_loss: 1.0 }), undefined);
  assert.equal(es.update(1, { val_loss: 0.8 }), undefined);
  assert.equal(es.update(2, { val_loss: 0.9 }), undefined);
  const reason = es.update(3, { val_loss: 0.85 });
  assert.match(reason ?? '', /epoch 4.*val_loss did not improve for 2 epochs/);
});

test('accuracy-like monitors must rise in auto mode', () => {
  const es = new EarlyStopping({ monitor: 'val_acc', patience: 1 });
  assert.equal(es.update(0, { val_acc: 0.5 }), undefined);
  assert.equal(es.update(1, { val_acc: 0.6 }), undefined);
  assert.ok(es.update(2, { val_acc: 0.55 }));
});

test('minDelta ignores improvements that are too small', () => {
  const es = new EarlyStopping({ patience: 1, minDelta: 0.1 });
  es.update(0, { val_loss: 1.0 });
  assert.ok(es.update(1, { val_loss: 0.95 }));
});

test('state carries across a resume', () => {
  const first = new EarlyStopping({ patience: 2 });
  first.update(0, { val_loss: 1 });
  first.update(1, { val_loss: 2 });
  const resumed = new EarlyStopping({ patience: 2 }, first.state());
  assert.ok(resumed.update(2, { val_loss: 3 }), 'the wait counted before the resume still counts');
});
