// The webview side of every panel's protocol, with a fake window and VS Code
// API: the ready handshake, the guard on incoming messages, request/reply.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { HostClient, type MessageSource, type VsCodeApi } from '../../../../webview/shared/hostClient';
import { isHostToWebviewMessage, type HostToWebviewMessage, type WebviewToHostMessage } from '../../../../src/shared/protocol/dashboard';
import { isPredictToWebview, type PredictFromWebview, type PredictToWebview } from '../../../../src/shared/protocol/predict';

class FakeWindow implements MessageSource {
  listeners: ((event: { data: unknown }) => void)[] = [];
  addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.listeners.push(listener);
  }
  removeEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }
  /** What VS Code does when the host posts. */
  deliver(data: unknown): void {
    for (const listener of this.listeners) listener({ data });
  }
}

class FakeApi implements VsCodeApi {
  posted: unknown[] = [];
  state: unknown;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  getState(): unknown {
    return this.state;
  }
  setState(state: unknown): void {
    this.state = state;
  }
}

function predictPage(): { client: HostClient<PredictToWebview, PredictFromWebview>; page: FakeWindow; api: FakeApi; received: PredictToWebview[] } {
  const page = new FakeWindow();
  const api = new FakeApi();
  const client = new HostClient<PredictToWebview, PredictFromWebview>({ name: 'Prediction panel', isMessage: isPredictToWebview, source: page, api });
  const received: PredictToWebview[] = [];
  client.connect((message) => received.push(message));
  return { client, page, api, received };
}

test('connect listens first, then says ready; posts go to VS Code as they are', () => {
  const { client, page, api } = predictPage();
  assert.equal(page.listeners.length, 1);
  assert.deepEqual(api.posted, [{ type: 'ready' }]);
  client.post({ type: 'samples', count: 8 });
  assert.deepEqual(api.posted[1], { type: 'samples', count: 8 });
  client.setState({ shown: 1 });
  assert.deepEqual(client.getState(), { shown: 1 });
});

test('messages that fail the guard are ignored and warned about; valid ones arrive', (t) => {
  const warn = t.mock.method(console, 'warn', () => undefined);
  const { page, received } = predictPage();
  page.deliver({ type: 'result', source: 'x', answeredBy: 'y', ms: 1, rows: [{ top: [{ cls: 1, p: Number.NaN }] }] });
  page.deliver({ type: 'init', endpointName: 'e' });
  page.deliver('hello');
  assert.deepEqual(received, []);
  assert.equal(warn.mock.callCount(), 3);
  assert.match(String(warn.mock.calls[0].arguments[0]), /^Prediction panel: ignored a malformed message from the extension: \{"type":"result"/);
  page.deliver({ type: 'busy', message: 'Sending 8 instances…' });
  assert.deepEqual(received, [{ type: 'busy', message: 'Sending 8 instances…' }]);
});

function dashboardPage(): { client: HostClient<HostToWebviewMessage, WebviewToHostMessage>; page: FakeWindow; api: FakeApi; received: unknown[] } {
  const page = new FakeWindow();
  const api = new FakeApi();
  const client = new HostClient<HostToWebviewMessage, WebviewToHostMessage>({ name: 'Dashboard', isMessage: isHostToWebviewMessage, source: page, api });
  const received: unknown[] = [];
  client.connect((message) => received.push(message));
  return { client, page, api, received };
}

test('a request gets a fresh id and settles with the reply of that id; replies are not passed on', async () => {
  const { client, page, api, received } = dashboardPage();
  const stop = client.request((requestId) => ({ type: 'stop', requestId, runId: 'run-a' }));
  const push = client.request((requestId) => ({ type: 'pushRun', requestId, runId: 'run-b' }));
  const [, stopRequest, pushRequest] = api.posted as { requestId: number }[];
  assert.notEqual(stopRequest.requestId, pushRequest.requestId);
  page.deliver({ type: 'reply', requestId: pushRequest.requestId, error: 'No Google Cloud project is set.' });
  page.deliver({ type: 'reply', requestId: stopRequest.requestId });
  await stop;
  await assert.rejects(push, /No Google Cloud project is set\./);
  assert.deepEqual(received, []);
  page.deliver({ type: 'reply', requestId: 999 });
});

test('a request the host never answers rejects after its timeout; dispose rejects the rest and stops listening', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { client, page } = dashboardPage();
    const slow = client.request((requestId) => ({ type: 'openFolder', requestId, runId: 'run-a' }), 1000);
    mock.timers.tick(1000);
    await assert.rejects(slow, /did not answer in time/);
    const pending = client.request((requestId) => ({ type: 'selectRuns', requestId, runIds: ['a', 'b'] }));
    client.dispose();
    await assert.rejects(pending, /closed before the extension answered/);
    assert.equal(page.listeners.length, 0);
  } finally {
    mock.timers.reset();
  }
});
