// One replica of a training job: the trainer image's entry
// (dist/vertexTrainer.js) as a local process, with the environment Vertex AI
// gives a training container and STORAGE_EMULATOR_HOST pointing at the
// sandbox's storage. Its output goes to a log file; the last lines of stderr
// become the job's error when it fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { processStartToken } from '../../core/runLiveness';
import type { StoredReplica } from './jobState';

export interface ReplicaOptions {
  trainerPath: string;
  args: string[];
  env: Record<string, string>;
  logFile: string;
  /** Kill it (as failed) after this long; undefined: no limit. */
  timeoutMs?: number;
}

export interface ReplicaExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The last non-empty line the trainer wrote to stderr. */
  lastError?: string;
}

/** How long a stopped trainer may take to save a checkpoint and copy it up. */
const STOP_GRACE_MS = 20_000;

export class Replica {
  readonly exited: Promise<ReplicaExit>;
  private readonly child: ChildProcess;
  private timedOut = false;
  private lastError: string | undefined;

  constructor(options: ReplicaOptions) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    this.child = spawn(process.execPath, [options.trainerPath, ...options.args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.pipe(log, { end: false });
    let partial = '';
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      log.write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      const last = lines.filter((l) => l.trim() !== '').at(-1);
      if (last) this.lastError = last.trim();
    });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      this.timedOut = true;
      this.stop();
    }, options.timeoutMs);
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        clearTimeout(timer);
        if (partial.trim()) this.lastError = partial.trim();
        log.end();
        resolve({ code, signal, timedOut: this.timedOut, lastError: this.lastError });
      };
      this.child.on('error', (error) => {
        this.lastError = `the trainer could not start: ${error.message}`;
        if (this.child.pid === undefined) finish(null, null);
      });
      this.child.on('close', finish);
    });
  }

  get stored(): StoredReplica | undefined {
    const pid = this.child.pid;
    return pid === undefined ? undefined : { pid, processStart: processStartToken(pid) };
  }

  /** SIGTERM (the trainer saves a checkpoint and copies it up), SIGKILL after a grace period. */
  stop(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    kill.unref();
    void this.exited.then(() => clearTimeout(kill));
  }
}

/** Ends a replica left by a sandbox that died without stopping it (same pid and start time only). */
export function endOrphan(replica: StoredReplica | undefined): void {
  if (!replica || replica.processStart === undefined) return;
  if (processStartToken(replica.pid) !== replica.processStart) return;
  try {
    process.kill(replica.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
