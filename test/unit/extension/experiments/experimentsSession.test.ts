// The host side of an experiments panel: the ready handshake, live updates
// coalesced to the rows that changed, and requests answered with replies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentsScopeOf } from '../../../../src/extension/commands/experimentsCommands';
import { ExperimentsSession, type ExperimentsHost } from '../../../../src/extension/experiments/experimentsSession';
import type { ExperimentsSnapshot } from '../../../../src/extension/experiments/experimentsSource';
import { MarksStore, type StateStore } from '../../../../src/extension/experiments/marksStore';
import type { ExperimentRow, ExperimentsScope, ExperimentsToWebview, Marks } from '../../../../src/shared/protocol/experiments';
import { syntheticExperiments } from '../../../../webview/harness/syntheticExperiments';
import { ManualClock } from '../../../helpers/manualClock';

class FakeHost implements ExperimentsHost {
  posted: ExperimentsToWebview[] = [];
  errors: string[] = [];
  calls: string[] = [];
  loads = 0;
  rows: ExperimentRow[] = syntheticExperiments({ count: 4 });
  marksNow: Marks = { starred: [] };
  fail: string | undefined;
  titles: string[] = [];

  async load(scope: ExperimentsScope): Promise<ExperimentsSnapshot> {
    this.loads++;
    if (this.fail) throw new Error(this.fail);
    return { title: scope.sweepId ? `Sweep ${scope.sweepId}` : 'Experiments', rows: this.rows.map((r) => ({ ...r })) };
  }
  marks(): Marks {
    return this.marksNow;
  }
  async setStar(runId: string, starred: boolean): Promise<void> {
    this.calls.push(`star ${runId} ${starred}`);
  }
  async setBaseline(runId: string | undefined): Promise<void> {
    this.calls.push(`baseline ${runId}`);
  }
  async openRuns(runIds: readonly string[]): Promise<void> {
    this.calls.push(`open ${runIds.join(',')}`);
  }
  async exportCsv(csv: string, fileName: string): Promise<void> {
    this.calls.push(`csv ${fileName} ${csv.length}`);
  }
  async pushRun(runId: string): Promise<void> {
    this.calls.push(`push ${runId}`);
  }
  async openAsSpec(runId: string): Promise<void> {
    throw new Error(`Run ${runId} is not in the runs folder any more.`);
  }
  post(message: ExperimentsToWebview): boolean {
    this.posted.push(message);
    return true;
  }
  titleChanged(title: string): void {
    this.titles.push(title);
  }
  logError(message: string): void {
    this.errors.push(message);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('nothing is posted before ready; then the whole scope once, titled', async () => {
  const host = new FakeHost();
  const clock = new ManualClock();
  const session = new ExperimentsSession({ sweepId: 'sw' }, host, clock);
  session.changed();
  clock.advance(1000);
  await settle();
  assert.equal(host.posted.length, 0);
  assert.equal(host.loads, 0);
  await session.receive({ type: 'ready' });
  assert.equal(host.posted.length, 1);
  const init = host.posted[0];
  assert.ok(init.type === 'init');
  assert.deepEqual(init.scope, { sweepId: 'sw' });
  assert.equal(init.rows.length, 4);
  assert.deepEqual(host.titles, ['Sweep sw']);
});

test('a burst of changes becomes one load, and only the rows that changed (or went) are sent', async () => {
  const host = new FakeHost();
  const clock = new ManualClock();
  const session = new ExperimentsSession({}, host, clock, 300);
  await session.receive({ type: 'ready' });
  const loads = host.loads;
  for (let i = 0; i < 20; i++) {
    session.changed();
    clock.advance(10);
  }
  assert.equal(host.loads, loads, 'nothing yet: the burst is still coming');
  clock.advance(300);
  await settle();
  assert.equal(host.loads, loads + 1);
  assert.equal(host.posted.length, 1, 'nothing changed: nothing sent');

  host.rows[1] = { ...host.rows[1], status: 'completed', epochsCompleted: 5, metrics: { ...host.rows[1].metrics, val_acc: 0.99 } };
  const gone = host.rows.pop();
  host.rows.push(syntheticExperiments({ count: 6, seed: 99 })[5]);
  session.changed();
  clock.advance(300);
  await settle();
  const update = host.posted.at(-1);
  assert.ok(update?.type === 'update');
  assert.deepEqual(update.upsert.map((r) => r.id), [host.rows[1].id, host.rows[3].id]);
  assert.deepEqual(update.remove, [gone?.id]);
});

test('a load that fails: the first says why on the page; a later one keeps what is shown', async () => {
  const host = new FakeHost();
  host.fail = 'sweep.json is damaged';
  const clock = new ManualClock();
  const session = new ExperimentsSession({ sweepId: 'sw' }, host, clock);
  await session.receive({ type: 'ready' });
  const init = host.posted[0];
  assert.ok(init.type === 'init');
  assert.equal(init.problem, 'sweep.json is damaged');
  session.changed();
  clock.advance(1000);
  await settle();
  assert.equal(host.posted.length, 1, 'no update that would empty the table');
  assert.equal(host.errors.length, 2);
});

test('a reload of the page (hidden, then ready again) sends everything anew', async () => {
  const host = new FakeHost();
  const session = new ExperimentsSession({}, host, new ManualClock());
  await session.receive({ type: 'ready' });
  session.webviewHidden();
  await session.receive({ type: 'ready' });
  assert.deepEqual(host.posted.map((m) => m.type), ['init', 'init']);
});

test('rows the page would refuse are left out and logged, the rest still shown', async () => {
  const host = new FakeHost();
  host.rows[0] = { ...host.rows[0], id: '../escape' };
  const session = new ExperimentsSession({}, host, new ManualClock());
  await session.receive({ type: 'ready' });
  const init = host.posted[0];
  assert.ok(init.type === 'init');
  assert.equal(init.rows.length, 3);
  assert.match(host.errors[0], /left out 1 run/);
});

test('requests reach the host and are answered; a failure is the reply’s error; malformed messages are ignored', async () => {
  const host = new FakeHost();
  const session = new ExperimentsSession({}, host, new ManualClock());
  await session.receive({ type: 'ready' });
  await session.receive({ type: 'star', requestId: 1, runId: 'run-a', starred: true });
  await session.receive({ type: 'baseline', requestId: 2 });
  await session.receive({ type: 'openRuns', requestId: 3, runIds: ['run-a', 'run-b'] });
  await session.receive({ type: 'exportCsv', requestId: 4, csv: 'run\r\n', fileName: 'experiments.csv' });
  await session.receive({ type: 'pushRun', requestId: 5, runId: 'run-a' });
  await session.receive({ type: 'openAsSpec', requestId: 6, runId: 'run-z' });
  await session.receive({ type: 'pushRun', requestId: 7, runId: '../../etc' });
  assert.deepEqual(host.calls, ['star run-a true', 'baseline undefined', 'open run-a,run-b', 'csv experiments.csv 5', 'push run-a']);
  const replies = host.posted.filter((m) => m.type === 'reply');
  assert.deepEqual(replies.map((r) => r.requestId), [1, 2, 3, 4, 5, 6]);
  assert.equal(replies[5].error, 'Run run-z is not in the runs folder any more.');
  assert.match(host.errors.at(-1) ?? '', /ignored a malformed message/);
});

test('marks are sent to a ready page when they change', async () => {
  const host = new FakeHost();
  const session = new ExperimentsSession({}, host, new ManualClock());
  session.marksChanged();
  assert.equal(host.posted.length, 0);
  await session.receive({ type: 'ready' });
  host.marksNow = { starred: ['a'], baseline: 'b' };
  session.marksChanged();
  await settle();
  assert.deepEqual(host.posted.at(-1), { type: 'marks', marks: { starred: ['a'], baseline: 'b' } });
});

test('stars and the baseline persist in the workspace state', async () => {
  const saved = new Map<string, unknown>();
  const state: StateStore = { get: <T>(key: string) => saved.get(key) as T | undefined, update: async (key, value) => void saved.set(key, value) };
  const marks = new MarksStore(state);
  assert.deepEqual(marks.get(), { starred: [] });
  await marks.setStar('a', true);
  await marks.setStar('b', true);
  await marks.setStar('a', false);
  await marks.setBaseline('c');
  assert.deepEqual(new MarksStore(state).get(), { starred: ['b'], baseline: 'c' });
  await marks.setBaseline(undefined);
  assert.deepEqual(marks.get(), { starred: ['b'] });
  saved.set('modelStudio.experiments.marks', { starred: ['../x'] });
  assert.deepEqual(marks.get(), { starred: [] }, 'a damaged state reads as no marks');
});

test('the command’s argument: { sweepId } or a sweep’s tree node opens that sweep, nothing opens every run, a bad id is refused', () => {
  assert.deepEqual(experimentsScopeOf(undefined), {});
  assert.deepEqual(experimentsScopeOf({ sweepId: 'mnist-mlp-sweep-1' }), { sweepId: 'mnist-mlp-sweep-1' });
  assert.deepEqual(experimentsScopeOf({ kind: 'sweep', sweepId: 'sw', label: 'tree node' }), { sweepId: 'sw' });
  // A sweep's (or trial's) row in the Model Explorer passes its node: { kind, entry: { record } }.
  const entry = { folder: {}, record: { id: 'mnist-sweep-20261202-104512-3fa2' } };
  assert.deepEqual(experimentsScopeOf({ kind: 'sweep', entry }), { sweepId: 'mnist-sweep-20261202-104512-3fa2' });
  assert.deepEqual(experimentsScopeOf({ kind: 'trial', entry, trial: { trialId: '2' } }), { sweepId: 'mnist-sweep-20261202-104512-3fa2' });
  assert.deepEqual(experimentsScopeOf({ kind: 'run', entry: { record: { id: 'a-run' } } }), {}, "a run's row is no sweep");
  assert.throws(() => experimentsScopeOf({ kind: 'sweep', entry: { record: { id: '../x' } } }), /Not a sweep id/);
  assert.deepEqual(experimentsScopeOf('mnist.train.json'), {});
  assert.throws(() => experimentsScopeOf({ sweepId: '../../etc' }), /Not a sweep id: "\.\.\/\.\.\/etc"; a sweep id is its folder's name in \.model-studio\/sweeps\./);
});
