// A stand-in trainer that speaks the IPC protocol, so lifecycle tests run in
// milliseconds. FAKE_TRAINER picks its behaviour:
//   complete  runStarted, batches, runFinished(completed), exit 0
//   slow      batches every 20 ms until 'stop', then runFinished(stopped), exit 0
//   crash     exit 1 before any event, after writing to stderr
//   usererror one {type:'error', userError:true}, exit 2
//   hang      ignores 'stop' (to test the kill after the grace period)
//   nostart   exits at once without reading the request
//   malformed sends messages that break the protocol between real ones, then completes
// Its real messages have the shapes the real trainer sends (the host checks them).
const mode = process.env.FAKE_TRAINER;
const runId = 'fake-run-0001';
const send = (m) => new Promise((resolve) => process.send(m, undefined, {}, resolve));
const event = (type, extra) => ({ type, runId, time: Date.now(), ...extra });
const spec = {
  name: 'fake',
  data: { type: 'mnist', subset: { train: 320, test: 100 } },
  model: { layers: [{ type: 'flatten', inputShape: [28, 28] }, { type: 'dense', units: 10, activation: 'softmax' }] },
  compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
  fit: { epochs: 2, batchSize: 32 },
};
const data = { sampleShape: [28, 28], numClasses: 10, train: { count: 320 }, test: { count: 100 }, kind: 'image', loadMs: 3 };
/** What a broken or hostile trainer might send: each breaks one rule of the protocol. */
const malformed = [
  'not an object',
  { type: 'surprise', runId },
  event('batchEnd', { epoch: 0, batch: 0, batchesPerEpoch: 10, step: 'one', loss: 1, metrics: {}, samplesPerSecond: 1 }),
  event('batchEnd', { epoch: -1, batch: 0, batchesPerEpoch: 10, step: 1, loss: 1, metrics: {}, samplesPerSecond: 1 }),
  event('epochEnd', { epoch: 0, epochs: 2, metrics: { loss: 'low' }, durationMs: 1, samplesPerSecond: 1 }),
  event('runFinished', { status: 'exploded', epochsCompleted: 0, finalMetrics: {}, durationMs: 1 }),
  { type: 'batchEnd', runId: '../../etc', time: 1, epoch: 0, batch: 0, batchesPerEpoch: 10, step: 1, loss: 1, metrics: {}, samplesPerSecond: 1 },
  { type: 'error', message: 'x'.repeat(100_000), userError: true },
];

if (mode === 'crash') {
  process.stderr.write('loading the spec\nTypeError: boom at the very start\n');
  process.exit(1);
}
if (mode === 'nostart') process.exit(3);

let stopped = false;
process.on('message', async (message) => {
  if (message.type === 'stop') {
    if (mode !== 'hang') stopped = true;
    return;
  }
  if (message.type !== 'train') return;
  if (mode === 'usererror') {
    await send({ type: 'error', message: `${message.request.specPath}: "epochs" must be at least 1`, userError: true });
    process.exit(2);
  }
  await send(event('runStarted', { epochs: 2, batchSize: 32, batchesPerEpoch: 10, initialEpoch: 0, parameters: 7850, spec, backend: { name: 'cpu', device: 'test', version: '0' }, data }));
  let step = 0;
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let batch = 0; batch < 10; batch++) {
      if (stopped) {
        await send(event('runFinished', { status: 'stopped', reason: 'Stopped by the user.', epochsCompleted: epoch, finalMetrics: {}, durationMs: 5 }));
        process.exit(0);
      }
      step++;
      if (mode === 'malformed' && step <= malformed.length) await send(malformed[step - 1]);
      await send(event('batchEnd', { epoch, batch, batchesPerEpoch: 10, step, loss: 1 / step, metrics: { acc: step / 20 }, samplesPerSecond: 1000 }));
      if (mode === 'slow' || mode === 'hang') await new Promise((r) => setTimeout(r, 20));
    }
    await send(event('epochEnd', { epoch, epochs: 2, metrics: { loss: 0.5, acc: 0.8 }, durationMs: 1, samplesPerSecond: 1000 }));
  }
  if (mode === 'slow' || mode === 'hang') {
    // Keep going until stopped (or killed).
    for (;;) {
      if (stopped) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await send(event('runFinished', { status: 'stopped', reason: 'Stopped by the user.', epochsCompleted: 2, finalMetrics: {}, durationMs: 5 }));
    process.exit(0);
  }
  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  const matrix = labels.map((_, actual) => labels.map((_, predicted) => (actual === predicted ? 9 : actual === 4 && predicted === 9 ? 1 : 0)));
  const misclassified = [{ index: 7, actual: 4, predicted: 9, confidence: 0.8, image: { width: 28, height: 28, channels: 1, base64: Buffer.alloc(784).toString('base64') } }];
  await send(event('evaluation', { metrics: { loss: 0.3, acc: 0.91 }, samples: 100, confusionMatrix: { labels, matrix }, misclassified }));
  await send(event('runFinished', { status: 'completed', epochsCompleted: 2, finalMetrics: { loss: 0.5, acc: 0.8 }, testMetrics: { loss: 0.3, acc: 0.91 }, durationMs: 5 }));
  process.exit(0);
});
