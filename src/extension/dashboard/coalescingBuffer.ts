// Collects items and hands them over in batches, at most one batch per
// interval (20 a second by default), so a fast trainer cannot flood the
// webview's message channel. Order is kept; nothing is dropped.

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class CoalescingBuffer<T> {
  private items: T[] = [];
  private lastFlush = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private paused = false;
  private disposed = false;

  constructor(
    private readonly send: (items: T[]) => void,
    readonly intervalMs = 50,
    private readonly clock: Clock = systemClock,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.disposed) return;
    this.items.push(item);
    this.schedule();
  }

  /** Holds items (e.g. until the webview says it is ready) without sending them. */
  pause(): void {
    this.paused = true;
    this.cancelTimer();
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Drops what is held (the webview will reload it from disk). */
  clear(): void {
    this.items = [];
    this.cancelTimer();
  }

  /** Sends what is held now, whatever the rate; a no-op when empty or paused. */
  flush(): void {
    this.cancelTimer();
    if (this.paused || this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.lastFlush = this.clock.now();
    this.send(batch);
  }

  /** Sends what is left (unless paused), then accepts nothing more. */
  dispose(): void {
    if (this.disposed) return;
    this.flush();
    this.disposed = true;
    this.items = [];
  }

  private schedule(): void {
    if (this.paused || this.timer !== undefined || this.items.length === 0) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
