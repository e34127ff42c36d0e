import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchSandboxStatus, stopSandbox, type SandboxStatus } from '../../../src/core/sandboxControl';
import type { SandboxInfo } from '../../../src/core/sandboxInfo';
import { startControlServer } from '../../../src/sandbox/control';

const STATUS: SandboxStatus = { pid: process.pid, idleForMs: 1234, requestsInFlight: 0, idleMinutes: 30, revision: 7 };

function infoWith(control: SandboxInfo['control']): SandboxInfo {
  return { pid: process.pid, apiEndpoint: '127.0.0.1:1', storageEndpoint: 'http://127.0.0.1:2', project: 'p', region: 'us-central1', dataDir: '/tmp/x', startedAt: '', control };
}

describe('the sandbox control endpoint', () => {
  it('answers status and shutdown only with its token, and shuts down once after answering', async () => {
    let shutdowns = 0;
    const server = await startControlServer({ status: () => STATUS, onShutdown: () => shutdowns++ });
    try {
      const { url, token } = server.control;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(token.length >= 32);
      const call = (path: string, init: RequestInit = {}): Promise<Response> => fetch(new URL(path, url), init);
      const auth = { authorization: `Bearer ${token}` };

      assert.equal((await call('/status')).status, 401);
      assert.equal((await call('/status', { headers: { authorization: `Bearer ${token.slice(1)}x` } })).status, 401);
      assert.equal((await call('/shutdown', { method: 'POST', headers: { authorization: 'Bearer nope' } })).status, 401);
      assert.equal(shutdowns, 0);
      assert.equal((await call('/shutdown', { headers: auth })).status, 405, 'shutdown is a POST');
      assert.equal((await call('/elsewhere', { headers: auth })).status, 404);
      assert.deepEqual(await fetchSandboxStatus(infoWith(server.control)), STATUS);
      assert.equal(await fetchSandboxStatus(infoWith({ url, token: 'wrong' })), undefined);

      const stop = await call('/shutdown', { method: 'POST', headers: auth });
      assert.equal(stop.status, 202);
      assert.deepEqual(await stop.json(), { stopping: true });
      await call('/shutdown', { method: 'POST', headers: auth });
      await new Promise((done) => setTimeout(done, 50));
      assert.equal(shutdowns, 1);
    } finally {
      await server.close();
    }
  });

  it('stopSandbox says so when the sandbox refuses the request, instead of waiting', async () => {
    const server = await startControlServer({ status: () => STATUS, onShutdown: () => assert.fail('must not shut down') });
    try {
      const stale = infoWith({ url: server.control.url, token: 'from-another-sandbox' });
      await assert.rejects(stopSandbox(stale, { timeoutMs: 500 }), /refused the shutdown request \(HTTP 401\)/);
    } finally {
      await server.close();
    }
  });
});
