// `model-studio sandbox start|stop|status`: the local Vertex AI + Cloud
// Storage sandbox. `start` runs in the foreground (Ctrl-C stops it) or, with
// --detach, in a background process whose log goes to DATA_DIR/sandbox.log;
// with --idle-minutes N it stops itself after N minutes without a request.
// `stop` sends a shutdown request to its control endpoint (no signals: they
// do not exist on Windows).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stopSandbox } from '../core/sandboxControl';
import { defaultSandboxDir, publicSandboxInfo, readSandboxInfo, type SandboxInfo } from '../core/sandboxInfo';
import type { FaultKind, FaultRule } from '../sandbox/vertex/faults';
import { errorMessage, isUserError, UserError } from '../shared/errors';
import { parseCommandArgs, positiveInteger } from '../core/commandArgs';
import { runVerb, type VerbTable } from './verbs';

const USAGE = {
  start:
    'model-studio sandbox start [--detach] [--data-dir DIR] [--port N] [--storage-port N] [--idle-minutes N] [--operation-delay-ms N] [--fault METHOD=KIND[*TIMES]]... [--json]',
  stop: 'model-studio sandbox stop [--data-dir DIR]',
  status: 'model-studio sandbox status [--data-dir DIR] [--json]',
};

function describe(info: SandboxInfo): string {
  return [
    `Vertex AI API:  ${info.apiEndpoint} (plaintext gRPC)`,
    `Cloud Storage:  ${info.storageEndpoint}`,
    `Project:        ${info.project}, region ${info.region}`,
    `State:          ${info.dataDir}`,
    info.idleMinutes ? `Stops itself after ${info.idleMinutes} minutes without a request.` : 'Runs until `model-studio sandbox stop`.',
    `pid ${info.pid}; \`model-studio cloud ...\` commands use it while no --project is given.`,
  ].join('\n');
}

/** --idle-minutes: a number of minutes above 0 (fractions allowed, for tests); 0 means never. */
function idleMinutes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UserError(`--idle-minutes must be a number of minutes of at least 0 (0: never stop), not '${value}'`);
  return n > 0 ? n : undefined;
}

function nonNegative(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag} must be a whole number of at least 0, not '${value}'`);
  return n;
}

async function start(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      detach: { type: 'boolean' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'storage-port': { type: 'string' },
      'idle-minutes': { type: 'string' },
      'operation-delay-ms': { type: 'string' },
      fault: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    USAGE.start,
  );
  const faults = (values.fault ?? []).map(parseFault);
  const dataDir = resolve(values['data-dir'] ?? defaultSandboxDir());
  const running = readSandboxInfo(dataDir);
  if (running) throw new UserError(`A sandbox is already running (pid ${running.pid}) at ${running.apiEndpoint}; stop it with \`model-studio sandbox stop\``);
  const vertexPort = positiveInteger(values.port, '--port');
  const storagePort = positiveInteger(values['storage-port'], '--storage-port');
  const operationDelayMs = nonNegative(values['operation-delay-ms'], '--operation-delay-ms');
  const idle = idleMinutes(values['idle-minutes']);
  if (values.detach) return detach(argv, dataDir, values.json ?? false);

  const { startSandbox } = await import('../sandbox');
  const sandbox = await startSandbox({
    dataDir,
    vertexPort,
    storagePort,
    operationDelayMs,
    faults,
    idleMinutes: idle,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(publicSandboxInfo(sandbox.info))}\n` : `Sandbox running.\n${describe(sandbox.info)}\n`);
  const reason = await Promise.race([
    sandbox.stopRequested,
    new Promise<string>((done) => {
      process.once('SIGINT', () => done('Ctrl-C'));
      process.once('SIGTERM', () => done('SIGTERM'));
    }),
  ]);
  await sandbox.close();
  process.stderr.write(`${new Date().toISOString()} Sandbox stopped after ${reason}.\n`);
  return 0;
}

const FAULT_KINDS: readonly FaultKind[] = ['permission-denied', 'service-disabled', 'unavailable', 'quota-exceeded', 'deadline-exceeded', 'internal'];

/** --fault DeployModel=permission-denied*2: the next 2 DeployModel calls fail that way. */
export function parseFault(text: string): FaultRule {
  const match = /^([A-Za-z]+|\*)=([a-z-]+)(?:\*(\d+|always))?$/.exec(text);
  if (!match || !(FAULT_KINDS as readonly string[]).includes(match[2])) {
    throw new UserError(`--fault "${text}" is not METHOD=KIND[*TIMES] with KIND one of ${FAULT_KINDS.join(', ')}, e.g. DeployModel=permission-denied*2`);
  }
  const times = match[3] === undefined ? 1 : match[3] === 'always' ? Infinity : Number(match[3]);
  return { method: match[1], fault: match[2] as FaultKind, times };
}

/** Starts the same command without --detach in the background and waits until it listens. */
async function detach(argv: string[], dataDir: string, json: boolean): Promise<number> {
  const args = [...process.execArgv, process.argv[1], 'sandbox', 'start', ...argv.filter((a) => a !== '--detach' && a !== '--json'), '--data-dir', dataDir];
  mkdirSync(dataDir, { recursive: true });
  const logPath = join(dataDir, 'sandbox.log');
  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, args, { detached: true, windowsHide: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.unref();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const info = readSandboxInfo(dataDir);
    if (info && info.pid === child.pid) {
      process.stdout.write(json ? `${JSON.stringify(publicSandboxInfo(info))}\n` : `Sandbox running in the background (log: ${logPath}).\n${describe(info)}\n`);
      return 0;
    }
    const code = await Promise.race([exited, new Promise<undefined>((done) => setTimeout(() => done(undefined), 100))]);
    if (code !== undefined) throw new Error(`The sandbox exited with code ${code} while starting; see ${logPath}`);
  }
  throw new Error(`The sandbox did not start within 30 s; see ${logPath}`);
}

async function stop(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { 'data-dir': { type: 'string' } }, USAGE.stop);
  const dataDir = resolve(values['data-dir'] ?? defaultSandboxDir());
  const info = readSandboxInfo(dataDir);
  if (!info) {
    process.stdout.write(`No sandbox is running from ${dataDir}.\n`);
    return 0;
  }
  await stopSandbox(info);
  process.stdout.write(`Stopped the sandbox (pid ${info.pid}); its state stays in ${info.dataDir}.\n`);
  return 0;
}

async function status(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } }, USAGE.status);
  const dataDir = resolve(values['data-dir'] ?? defaultSandboxDir());
  const info = readSandboxInfo(dataDir);
  if (values.json) process.stdout.write(`${JSON.stringify(info ? { running: true, ...publicSandboxInfo(info) } : { running: false, dataDir })}\n`);
  else process.stdout.write(info ? `Sandbox running.\n${describe(info)}\n` : `No sandbox is running from ${dataDir}; start one with \`model-studio sandbox start --detach\`.\n`);
  return 0;
}

const verbs: VerbTable = {
  start: { run: start, usage: USAGE.start },
  stop: { run: stop, usage: USAGE.stop },
  status: { run: status, usage: USAGE.status },
};

export async function sandboxCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    return await runVerb('sandbox', verbs, verb, rest);
  } catch (error) {
    process.stderr.write(`${errorMessage(error).replace(/\s*\n\s*/g, ' ')}\n`);
    return isUserError(error) ? 2 : 1;
  }
}
