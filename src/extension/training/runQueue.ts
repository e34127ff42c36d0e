// Admission of training jobs: at most `capacity` run at once, the rest wait
// in arrival order. Pure bookkeeping; the caller starts and finishes jobs.

export class RunQueue<T> {
  private readonly waiting: T[] = [];
  private readonly active = new Set<T>();

  constructor(
    private capacity: number,
    /** Called for each job as it is admitted, in order. */
    private readonly start: (job: T) => void,
  ) {
    this.capacity = normalize(capacity);
  }

  get running(): readonly T[] {
    return [...this.active];
  }

  get queued(): readonly T[] {
    return [...this.waiting];
  }

  /** Position in the waiting line (1 = next), or 0 when the job is not waiting. */
  position(job: T): number {
    return this.waiting.indexOf(job) + 1;
  }

  /** Adds a job; it starts at once when there is room. Returns true when it started. */
  enqueue(job: T): boolean {
    this.waiting.push(job);
    this.admit();
    return this.active.has(job);
  }

  /** A running job ended: its slot goes to the next one waiting. */
  finish(job: T): void {
    if (this.active.delete(job)) this.admit();
  }

  /** Removes a job that has not started. Returns false when it was not waiting. */
  cancel(job: T): boolean {
    const index = this.waiting.indexOf(job);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  /** A new limit applies to jobs admitted from now on; running jobs are never stopped by it. */
  setCapacity(capacity: number): void {
    this.capacity = normalize(capacity);
    this.admit();
  }

  private admit(): void {
    while (this.active.size < this.capacity && this.waiting.length > 0) {
      const job = this.waiting.shift() as T;
      this.active.add(job);
      this.start(job);
    }
  }
}

function normalize(capacity: number): number {
  return Number.isFinite(capacity) && capacity >= 1 ? Math.floor(capacity) : 1;
}
