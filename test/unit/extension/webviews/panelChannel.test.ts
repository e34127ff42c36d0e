// The host side of every panel's protocol, driven with the traffic editor's
// and the dashboard's real guards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelChannel } from '../../../../src/extension/webviews/panelChannel';
import type { ReplyMessage } from '../../../../src/shared/protocol/guards';
import { isWebviewToHostMessage, type HostToWebviewMessage, type WebviewToHostMessage } from '../../../../src/shared/protocol/dashboard';
import { isTrafficFromWebview, type ApplyTrafficMessage, type TrafficFromWebview, type TrafficToWebview } from '../../../../src/shared/protocol/traffic';

class FakeLog {
  warnings: string[] = [];
  errors: string[] = [];
  warn(message: string): void {
    this.warnings.push(message);
  }
  error(message: string): void {
    this.errors.push(message);
  }
}

function trafficChannel(): { channel: PanelChannel<TrafficFromWebview, TrafficToWebview>; log: FakeLog; applied: ApplyTrafficMessage[]; posted: unknown[] } {
  const log = new FakeLog();
  const applied: ApplyTrafficMessage[] = [];
  const posted: unknown[] = [];
  const channel: PanelChannel<TrafficFromWebview, TrafficToWebview> = new PanelChannel<TrafficFromWebview, TrafficToWebview>({
    name: 'Traffic editor',
    isMessage: isTrafficFromWebview,
    post: (message) => posted.push(message),
    log,
    handlers: {
      ready: (): Promise<void> => channel.post({ type: 'busy', message: 'ready seen' }),
      reload: () => undefined,
      apply: (message) => void applied.push(message),
    },
  });
  return { channel, log, applied, posted };
}

test('a malformed message is logged and ignored; a valid one after it is still handled', async () => {
  const { channel, log, applied, posted } = trafficChannel();
  await channel.receive({ type: 'apply', etag: 'etag-1', split: { '7001': Number.NaN } });
  await channel.receive({ type: 'apply', split: { '7001': 100 } });
  await channel.receive({ type: 'format-disk' });
  assert.equal(applied.length, 0);
  assert.equal(log.warnings.length, 3);
  assert.match(log.warnings[0], /^Traffic editor: ignored a malformed message from the webview: \{"type":"apply"/);

  await channel.receive({ type: 'apply', etag: 'etag-1', split: { '7001': 60, '7002': 40 } });
  await channel.receive({ type: 'ready' });
  assert.deepEqual(applied, [{ type: 'apply', etag: 'etag-1', split: { '7001': 60, '7002': 40 } }]);
  assert.deepEqual(posted, [{ type: 'busy', message: 'ready seen' }]);
  assert.equal(log.errors.length, 0);
});

test('a notification whose handler throws is logged, not thrown at the caller', async () => {
  const log = new FakeLog();
  const channel = new PanelChannel<TrafficFromWebview, TrafficToWebview>({
    name: 'Traffic editor',
    isMessage: isTrafficFromWebview,
    post: () => true,
    log,
    handlers: {
      ready: () => undefined,
      reload: async () => {
        throw new Error('Vertex AI is unreachable');
      },
      apply: () => undefined,
    },
  });
  await channel.receive({ type: 'reload' });
  assert.deepEqual(log.errors, ["Traffic editor: handling 'reload' failed: Vertex AI is unreachable"]);
});

function dashboardChannel(stop: (runId: string, signal: AbortSignal) => Promise<void>): { channel: PanelChannel<WebviewToHostMessage, HostToWebviewMessage>; log: FakeLog; posted: (HostToWebviewMessage | ReplyMessage)[] } {
  const log = new FakeLog();
  const posted: (HostToWebviewMessage | ReplyMessage)[] = [];
  const channel = new PanelChannel<WebviewToHostMessage, HostToWebviewMessage>({
    name: 'Dashboard',
    isMessage: isWebviewToHostMessage,
    post: (message) => posted.push(message),
    log,
    handlers: {
      ready: () => undefined,
      stop: (request, signal) => stop(request.runId, signal),
      openFolder: () => undefined,
      pushRun: () => undefined,
      resumeRun: () => undefined,
      selectRuns: () => undefined,
    },
  });
  return { channel, log, posted };
}

test('a request is answered with a reply carrying its id, and the error in words when it failed', async () => {
  const { channel, posted, log } = dashboardChannel(async (runId) => {
    if (runId === 'gone') throw new Error("Run 'gone' is not training.");
  });
  await channel.receive({ type: 'stop', requestId: 7, runId: 'run-a' });
  await channel.receive({ type: 'stop', requestId: 8, runId: 'gone' });
  await channel.receive({ type: 'stop', requestId: 9, runId: '../../etc' });
  assert.deepEqual(posted, [
    { type: 'reply', requestId: 7, error: undefined },
    { type: 'reply', requestId: 8, error: "Run 'gone' is not training." },
  ]);
  assert.equal(log.warnings.length, 1, 'the request with a bad run id got no reply, only a log line');
});

test('after dispose nothing is handled or posted, and work still running sees its signal aborted', async () => {
  let release = (): void => undefined;
  let seen: AbortSignal | undefined;
  const { channel, posted } = dashboardChannel(
    (_runId, signal) =>
      new Promise<void>((resolve) => {
        seen = signal;
        release = resolve;
      }),
  );
  const answering = channel.receive({ type: 'stop', requestId: 1, runId: 'run-a' });
  channel.dispose();
  assert.equal(seen?.aborted, true);
  release();
  await answering;
  await channel.receive({ type: 'stop', requestId: 2, runId: 'run-a' });
  await channel.post({ type: 'events', events: [] });
  assert.deepEqual(posted, [], 'no reply and no message after dispose');
});

test('a failed delivery to the webview is logged', async () => {
  const log = new FakeLog();
  const channel = new PanelChannel<TrafficFromWebview, TrafficToWebview>({
    name: 'Traffic editor',
    isMessage: isTrafficFromWebview,
    post: () => Promise.reject(new Error('Webview is disposed')),
    log,
    handlers: { ready: () => undefined, reload: () => undefined, apply: () => undefined },
  });
  await channel.post({ type: 'busy', message: 'Applying…' });
  assert.deepEqual(log.errors, ['Traffic editor: a message to the webview failed: Webview is disposed']);
});
