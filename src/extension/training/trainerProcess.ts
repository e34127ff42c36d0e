// One trainer child process: forked with an IPC channel, sent one 'train'
// request, stopped with 'stop'. It settles `exited` on every way a process
// can end (normal exit, crash before the first event, spawn failure), so a
// caller awaiting it never hangs. Messages from the trainer pass the
// protocol's guard or are ignored and reported. No `vscode` import: unit
// tests run it.
import { fork, type ChildProcess } from 'node:child_process';
import type { RunOutcome, TrainerEvent } from '../../shared/events';
import { describeForLog } from '../../shared/protocol/guards';
import { isTrainerToHostMessage, type HostToTrainerMessage, type TrainRequest } from '../../shared/protocol/trainer';

/** How a trainer process ended, as the UI reports it. */
export interface TrainerResult {
  status: RunOutcome;
  /** Set once the trainer created its run folder. */
  runId?: string;
  /** In words for people; absent when it simply completed. */
  reason?: string;
  /** The user's mistake (bad spec, missing data): show the message, not a stack. */
  userError: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the process wrote to stderr, for the log. */
  stderrTail: string[];
  /** The runFinished event, when the trainer got that far. */
  finished?: Extract<TrainerEvent, { type: 'runFinished' }>;
}

export interface TrainerProcessOptions {
  /** The trainer bundle (dist/trainer.js) or any script that speaks the protocol. */
  trainerPath: string;
  request: TrainRequest;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: TrainerEvent) => void;
  onStderr?: (line: string) => void;
  /** A message from the trainer that failed the protocol's guard (it was ignored). */
  onMalformedMessage?: (description: string) => void;
  /** After stop(), how long the trainer may take to save before it is killed. */
  stopGraceMs?: number;
  stderrTailLines?: number;
}

/** Grace long enough to save a checkpoint of a large model, short enough that Stop feels like it works. */
const DEFAULT_STOP_GRACE_MS = 15_000;

export class TrainerProcess {
  readonly exited: Promise<TrainerResult>;
  private readonly child: ChildProcess;
  private runId: string | undefined;
  private finished: TrainerResult['finished'];
  private errorMessage: { message: string; userError: boolean } | undefined;
  private spawnError: Error | undefined;
  private stderrTail: string[] = [];
  private partialLine = '';
  private stopRequested = false;
  private killTimer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(private readonly options: TrainerProcessOptions) {
    this.child = fork(options.trainerPath, [], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // The extension host may run inside Electron: keep the child a plain Node process.
      execArgv: [],
    });
    this.exited = new Promise((resolve) => {
      const settle = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
        if (this.done) return;
        this.done = true;
        clearTimeout(this.killTimer);
        this.flushStderr();
        resolve(this.result(exitCode, signal));
      };
      this.child.on('error', (error) => {
        // Spawn failures never emit 'close'; errors on a live process are followed by it.
        this.spawnError = error;
        if (this.child.pid === undefined) settle(null, null);
      });
      // 'close' comes after 'exit' once stdio is drained, so every message and stderr line is in.
      this.child.on('close', (code, signal) => settle(code, signal));
    });
    this.child.on('message', (message: unknown) => this.onMessage(message));
    this.child.stdout?.resume();
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.onStderr(chunk));
    if (this.child.connected) this.send({ type: 'train', request: options.request });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The run's id once the trainer announced it (its first event). */
  get currentRunId(): string | undefined {
    return this.runId;
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Asks the trainer to finish the batch, save and exit; kills it if it does not within the grace period. */
  stop(): void {
    if (this.done || this.stopRequested) return;
    this.stopRequested = true;
    this.send({ type: 'stop' });
    this.killTimer = setTimeout(() => this.kill(), this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    this.killTimer.unref?.();
  }

  kill(): void {
    if (this.done) return;
    this.child.kill('SIGKILL');
  }

  /** Stops the trainer (it saves what it has) and stops listening. */
  dispose(): void {
    this.stop();
  }

  private send(message: HostToTrainerMessage): void {
    if (!this.child.connected) return;
    this.child.send(message, (error) => {
      // The child may have exited between the check and the write; 'close' reports that.
      if (error) this.onStderrLine(`could not send '${message.type}' to the trainer: ${error.message}`);
    });
  }

  private onMessage(message: unknown): void {
    if (!isTrainerToHostMessage(message)) {
      this.options.onMalformedMessage?.(`Ignored a malformed message from the trainer: ${describeForLog(message)}`);
      return;
    }
    if (message.type === 'error') {
      this.errorMessage = { message: message.message, userError: message.userError };
      return;
    }
    this.runId ??= message.runId;
    if (message.type === 'runFinished') this.finished = message;
    this.options.onEvent?.(message);
  }

  private onStderr(chunk: string): void {
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.onStderrLine(line);
  }

  private flushStderr(): void {
    if (this.partialLine) this.onStderrLine(this.partialLine);
    this.partialLine = '';
  }

  private onStderrLine(line: string): void {
    this.options.onStderr?.(line);
    this.stderrTail.push(line);
    const keep = this.options.stderrTailLines ?? 40;
    if (this.stderrTail.length > keep) this.stderrTail.splice(0, this.stderrTail.length - keep);
  }

  private result(exitCode: number | null, signal: NodeJS.Signals | null): TrainerResult {
    const base = { runId: this.runId, exitCode, signal, stderrTail: this.stderrTail, finished: this.finished };
    if (this.spawnError && exitCode === null && signal === null) {
      return { ...base, status: 'failed', userError: false, reason: `The trainer could not start: ${this.spawnError.message}` };
    }
    if (this.errorMessage) {
      return { ...base, status: 'failed', userError: this.errorMessage.userError, reason: this.errorMessage.message };
    }
    if (this.finished) {
      return { ...base, status: this.finished.status, userError: false, reason: this.finished.reason };
    }
    if (exitCode === 0) {
      return { ...base, status: this.stopRequested ? 'stopped' : 'completed', userError: false };
    }
    if (this.stopRequested && signal === 'SIGKILL') {
      return { ...base, status: 'stopped', userError: false, reason: 'The trainer did not stop in time and was ended; the run keeps its last checkpoint.' };
    }
    const how = signal ? `was ended by ${signal}` : `exited with code ${exitCode}`;
    const last = this.stderrTail.filter((l) => l.trim()).at(-1);
    return { ...base, status: 'failed', userError: exitCode === 2, reason: `The trainer ${how}${last ? `: ${last.trim()}` : ''}.` };
  }
}
