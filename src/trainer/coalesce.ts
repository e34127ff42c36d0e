// Keeps the IPC stream near 20 messages a second however fast batches are:
// batchEnd events inside one window collapse to the latest; every other event
// is sent at once, after any pending batch so the order holds.
import type { TrainerEvent } from '../shared/events';

export class EventCoalescer {
  private pending: TrainerEvent | undefined;
  private lastSent = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (event: TrainerEvent) => void,
    private readonly intervalMs = 50,
    private readonly now: () => number = Date.now,
  ) {}

  push(event: TrainerEvent): void {
    if (event.type !== 'batchEnd') {
      this.flush();
      this.send(event);
      return;
    }
    this.pending = event;
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait <= 0) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), wait);
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const event = this.pending;
    this.pending = undefined;
    this.lastSent = this.now();
    this.send(event);
  }
}
