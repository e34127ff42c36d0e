// The sandbox's lifecycle through the real CLI, as the extension drives it:
// `sandbox start --detach --idle-minutes N` stops itself once nobody has
// asked anything for N minutes (requests keep it alive), and `sandbox stop`
// ends it with a shutdown request to its control endpoint, not a signal.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { isProcessAlive } from '../../src/core/runStore';
import { hasExited, type SandboxInfo } from '../../src/core/sandboxInfo';

const root = resolve(__dirname, '..', '..');
const bundle = join(root, 'dist', 'cli.js');
const cli = existsSync(bundle) ? [bundle] : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return Date.now() - started;
}

describe('the sandbox lifecycle from the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ms-sandbox-life-'));
  const dataDir = join(dir, 'sandbox');
  const pids: number[] = [];
  after(() => {
    for (const pid of pids) if (isProcessAlive(pid)) process.kill(pid);
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (...flags: string[]): Promise<SandboxInfo> => {
    const started = await run(['sandbox', 'start', '--detach', '--json', '--data-dir', dataDir, ...flags]);
    assert.equal(started.code, 0, started.stderr);
    const printed = JSON.parse(started.stdout) as SandboxInfo & { controlUrl?: string };
    pids.push(printed.pid);
    assert.equal(printed.control, undefined, 'the control token is never printed');
    assert.match(printed.controlUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    return JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8')) as SandboxInfo;
  };
  const log = (): string => readFileSync(join(dataDir, 'sandbox.log'), 'utf8');

  it('stops itself after the idle minutes, kept alive only while requests come', async () => {
    // 0.05 minutes: 3 s without a request.
    const info = await start('--idle-minutes', '0.05');
    assert.equal(info.idleMinutes, 0.05);
    if (process.platform !== 'win32') assert.equal(statSync(join(dataDir, 'sandbox.json')).mode & 0o777, 0o600, 'sandbox.json holds the token: owner only');
    // A storage request every second for 6 s: twice the idle time, and it still runs.
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${info.storageEndpoint}/storage/v1/b?project=${info.project}`);
      assert.equal(response.status, 200);
      await new Promise((done) => setTimeout(done, 1_000));
      assert.ok(isProcessAlive(info.pid), `still running after ${i + 1} s of requests`);
    }
    const waited = await waitUntil('the idle sandbox to stop itself', () => hasExited(info.pid), 15_000);
    assert.ok(waited >= 1_500, `stopped ${waited} ms after the last request; the idle time is 3 s`);
    assert.equal(existsSync(join(dataDir, 'sandbox.json')), false, 'it removed its sandbox.json');
    assert.match(log(), /Sandbox stopped after no requests for the idle minutes\./);
    const status = await run(['sandbox', 'status', '--data-dir', dataDir]);
    assert.match(status.stdout, /No sandbox is running/);
  });

  it('`sandbox stop` ends it with a shutdown request, and it cleans up', async () => {
    const info = await start();
    assert.equal(info.idleMinutes, undefined, 'without --idle-minutes it runs until stopped');
    const described = await run(['sandbox', 'status', '--data-dir', dataDir]);
    assert.match(described.stdout, /Runs until `model-studio sandbox stop`/);
    const stopped = await run(['sandbox', 'stop', '--data-dir', dataDir]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, new RegExp(`Stopped the sandbox \\(pid ${info.pid}\\)`));
    // Exited: a zombie counts, since whatever adopted the detached sandbox may reap it late.
    assert.equal(hasExited(info.pid), true);
    assert.equal(existsSync(join(dataDir, 'sandbox.json')), false);
    assert.match(log(), /Sandbox stopped after a shutdown request\./);
  });
});
