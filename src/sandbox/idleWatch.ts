// Counts the sandbox's requests (gRPC calls and storage HTTP requests) and
// says when none has arrived for `idleMs` while none is in flight. The
// sandbox stops itself then, when it was started with --idle-minutes: it is
// the one process that sees every client (each VS Code window, the CLI,
// scripts), and it keeps counting after the editor that started it is gone.

export interface IdleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class IdleWatch {
  private last: number;
  private inFlight = 0;
  private timer: unknown;
  private fired = false;

  /** `idleMs` undefined or 0: never idle, only counted. */
  constructor(
    private readonly idleMs: number | undefined,
    private readonly onIdle: () => void,
    private readonly clock: IdleClock = realClock,
  ) {
    this.last = clock.now();
    this.arm();
  }

  /** A request starts; call the returned function when it ends (answered, failed or aborted). */
  begin(): () => void {
    this.inFlight++;
    this.last = this.clock.now();
    this.disarm();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      this.last = this.clock.now();
      this.arm();
    };
  }

  /** Milliseconds since the last request ended (0 while one is in flight). */
  idleFor(): number {
    return this.inFlight > 0 ? 0 : Math.max(0, this.clock.now() - this.last);
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  close(): void {
    this.disarm();
    this.fired = true;
  }

  private arm(): void {
    this.disarm();
    if (!this.idleMs || this.fired || this.inFlight > 0) return;
    const wait = Math.max(0, this.last + this.idleMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.check(), wait);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    if (this.fired || this.inFlight > 0 || !this.idleMs) return;
    if (this.clock.now() - this.last < this.idleMs) {
      this.arm();
      return;
    }
    this.fired = true;
    this.onIdle();
  }
}
