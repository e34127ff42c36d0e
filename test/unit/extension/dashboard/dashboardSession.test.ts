import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardSession, type SessionHost } from '../../../../src/extension/dashboard/dashboardSession';
import type { BatchEndEvent, RunRecord, TrainerEvent } from '../../../../src/shared/events';
import type { HostToWebviewMessage, RunHistory } from '../../../../src/shared/protocol/dashboard';
import { ManualClock } from '../../../helpers/manualClock';

function batch(runId: string, step: number): BatchEndEvent {
  return { type: 'batchEnd', runId, time: step, epoch: 0, batch: step - 1, batchesPerEpoch: 100, step, loss: 1 / step, metrics: { acc: 0.5 }, samplesPerSecond: 1000 };
}

class FakeHost implements SessionHost {
  posted: HostToWebviewMessage[] = [];
  stopped: string[] = [];
  pushed: string[] = [];
  resumed: string[] = [];
  errors: string[] = [];
  disk = new Map<string, TrainerEvent[]>();
  failStop = false;
  newest: string | undefined = 'newest-run';

  async loadRuns(runIds: readonly string[]): Promise<RunHistory[]> {
    return runIds.map((runId) => ({ runId, events: [...(this.disk.get(runId) ?? [])] }));
  }
  async loadRecords(): Promise<RunRecord[]> {
    return [];
  }
  async listAvailable(): Promise<[]> {
    return [];
  }
  async newestRunId(): Promise<string | undefined> {
    return this.newest;
  }
  post(message: HostToWebviewMessage): boolean {
    this.posted.push(message);
    return true;
  }
  async stop(runId: string): Promise<void> {
    if (this.failStop) throw new Error(`Run '${runId}' is not training.`);
    this.stopped.push(runId);
  }
  async openFolder(): Promise<void> {}
  async pushRun(runId: string): Promise<void> {
    this.pushed.push(runId);
  }
  async resumeRun(runId: string): Promise<void> {
    this.resumed.push(runId);
  }
  shownRunsChanged(): void {}
  logError(message: string): void {
    this.errors.push(message);
  }
  types(): string[] {
    return this.posted.map((m) => m.type);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('nothing is posted before the webview says ready; then init, then the live events held meanwhile', async () => {
  const host = new FakeHost();
  const clock = new ManualClock();
  host.disk.set('run-a', [batch('run-a', 1)]);
  const session = new DashboardSession(host, 50, clock);
  await session.show(['run-a']);
  session.post(batch('run-a', 2));
  clock.advance(1000);
  assert.equal(host.posted.length, 0);

  await session.receive({ type: 'ready' });
  clock.advance(50);
  assert.deepEqual(host.types(), ['init', 'events']);
  const init = host.posted[0];
  assert.ok(init.type === 'init' && init.runs[0].events.length === 1);
  const events = host.posted[1];
  assert.ok(events.type === 'events' && events.events[0].type === 'batchEnd' && events.events[0].step === 2);
});

test('live events are coalesced to at most one message per 50 ms, in order', async () => {
  const host = new FakeHost();
  const clock = new ManualClock();
  const session = new DashboardSession(host, 50, clock);
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  for (let step = 1; step <= 1000; step++) {
    session.post(batch('run-a', step));
    if (step % 10 === 0) clock.advance(1);
  }
  clock.advance(100);
  const messages = host.posted.filter((m) => m.type === 'events');
  assert.ok(messages.length <= 100 / 50 + 2, `${messages.length} messages for 100 ms of batches`);
  const steps = messages.flatMap((m) => (m.type === 'events' ? m.events.map((e) => (e.type === 'batchEnd' ? e.step : -1)) : []));
  assert.deepEqual(steps, Array.from({ length: 1000 }, (_, i) => i + 1));
});

test('events of runs the panel does not show are not forwarded', async () => {
  const host = new FakeHost();
  const clock = new ManualClock();
  const session = new DashboardSession(host, 50, clock);
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  session.post(batch('run-b', 1));
  clock.advance(100);
  assert.deepEqual(host.types(), ['init']);
});

test('after the webview is hidden and reloaded, ready restores from disk again and sends what arrived meanwhile', async () => {
  const host = new FakeHost();
  const clock = new ManualClock();
  const session = new DashboardSession(host, 50, clock);
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  session.webviewHidden();
  session.post(batch('run-a', 5));
  clock.advance(1000);
  assert.deepEqual(host.types(), ['init'], 'nothing goes to a hidden webview');
  host.disk.set('run-a', [batch('run-a', 1), batch('run-a', 2)]);
  await session.receive({ type: 'ready' });
  clock.advance(50);
  assert.deepEqual(host.types(), ['init', 'init', 'events']);
  const second = host.posted[1];
  assert.ok(second.type === 'init' && second.runs[0].events.length === 2);
});

test('no runs chosen: the newest run is shown', async () => {
  const host = new FakeHost();
  const session = new DashboardSession(host, 50, new ManualClock());
  await session.show([]);
  assert.deepEqual(session.runIds, ['newest-run']);
});

test('Stop from the webview stops the run and replies to the request', async () => {
  const host = new FakeHost();
  const session = new DashboardSession(host, 50, new ManualClock());
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  await session.receive({ type: 'stop', requestId: 9, runId: 'run-a' });
  assert.deepEqual(host.stopped, ['run-a']);
  assert.deepEqual(host.posted.at(-1), { type: 'reply', requestId: 9, error: undefined });
});

test('Push to Vertex AI from the webview hands the run id to the push callback and replies when it ends', async () => {
  const host = new FakeHost();
  const session = new DashboardSession(host, 50, new ManualClock());
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  await session.receive({ type: 'pushRun', requestId: 11, runId: 'run-a' });
  assert.deepEqual(host.pushed, ['run-a']);
  assert.deepEqual(host.posted.at(-1), { type: 'reply', requestId: 11, error: undefined });
  await session.receive({ type: 'pushRun', requestId: 12, runId: '../run-a' });
  assert.deepEqual(host.pushed, ['run-a'], 'a run id that leaves the runs folder is not pushed');
  assert.equal(host.errors.length, 1);
});

test('Resume from the webview hands the run id to the resume callback and replies', async () => {
  const host = new FakeHost();
  const session = new DashboardSession(host, 50, new ManualClock());
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  await session.receive({ type: 'resumeRun', requestId: 13, runId: 'run-a' });
  assert.deepEqual(host.resumed, ['run-a']);
  assert.deepEqual(host.posted.at(-1), { type: 'reply', requestId: 13, error: undefined });
  await session.receive({ type: 'resumeRun', requestId: 14, runId: '../run-a' });
  assert.deepEqual(host.resumed, ['run-a'], 'a run id that leaves the runs folder is not resumed');
});

test('a failing request is answered with the error in words', async () => {
  const host = new FakeHost();
  host.failStop = true;
  const session = new DashboardSession(host, 50, new ManualClock());
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  await session.receive({ type: 'stop', requestId: 4, runId: 'run-a' });
  assert.deepEqual(host.posted.at(-1), { type: 'reply', requestId: 4, error: "Run 'run-a' is not training." });
});

test('selectRuns switches to comparing runs with a fresh init', async () => {
  const host = new FakeHost();
  const session = new DashboardSession(host, 50, new ManualClock());
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  await session.receive({ type: 'selectRuns', requestId: 1, runIds: ['run-a', 'run-b'] });
  const init = host.posted.filter((m) => m.type === 'init').at(-1);
  assert.ok(init?.type === 'init');
  assert.deepEqual(init.runs.map((r) => r.runId), ['run-a', 'run-b']);
  assert.equal(host.posted.at(-1)?.type, 'reply');
});

test('malformed messages are logged and ignored', async () => {
  const host = new FakeHost();
  const session = new DashboardSession(host, 50, new ManualClock());
  await session.receive({ type: 'stop', runId: '../../etc' });
  assert.equal(host.posted.length, 0);
  assert.equal(host.errors.length, 1);
});

test('after dispose nothing is posted, whatever arrives', async () => {
  const host = new FakeHost();
  const clock = new ManualClock();
  const session = new DashboardSession(host, 50, clock);
  await session.show(['run-a']);
  await session.receive({ type: 'ready' });
  session.post(batch('run-a', 1));
  session.dispose();
  session.post(batch('run-a', 2));
  session.runsChanged();
  await session.receive({ type: 'ready' });
  clock.advance(1000);
  await settle();
  assert.deepEqual(host.types(), ['init']);
});
