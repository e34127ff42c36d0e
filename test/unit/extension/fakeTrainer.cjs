// A stand-in trainer that speaks the IPC protocol, so lifecycle tests run in
// milliseconds. FAKE_TRAINER picks its behaviour:
//   complete  runStarted, batches, runFinished(completed), exit 0
//   slow      batches every 20 ms until 'stop', then runFinished(stopped), exit 0
//   crash     exit 1 before any event, after writing to stderr
//   usererror one {type:'error', userError:true}, exit 2
//   hang      ignores 'stop' (to test the kill after the grace period)
//   nostart   exits at once without reading the request
const mode = process.env.FAKE_TRAINER;
const runId = 'fake-run-0001';
const send = (m) => new Promise((resolve) => process.send(m, undefined, {}, resolve));
const event = (type, extra) => ({ type, runId, time: Date.now(), ...extra });

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
  await send(event('runStarted', { epochs: 2, batchSize: 32, batchesPerEpoch: 10, initialEpoch: 0, parameters: 10, spec: { name: 'fake' }, backend: { name: 'cpu', device: 'test', version: '0' }, data: {} }));
  let step = 0;
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let batch = 0; batch < 10; batch++) {
      if (stopped) {
        await send(event('runFinished', { status: 'stopped', reason: 'Stopped by the user.', epochsCompleted: epoch, finalMetrics: {}, durationMs: 5 }));
        process.exit(0);
      }
      step++;
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
  await send(event('evaluation', { metrics: { loss: 0.3, acc: 0.91 }, samples: 100 }));
  await send(event('runFinished', { status: 'completed', epochsCompleted: 2, finalMetrics: { loss: 0.5, acc: 0.8 }, testMetrics: { loss: 0.3, acc: 0.91 }, durationMs: 5 }));
  process.exit(0);
});
