// Dynamic batching: requests that arrive while the model is busy, or within
// the same turn of the event loop, are merged into one model call and their
// rows handed back. With a synchronous backend (wasm, tfjs-node) requests pile
// up in the socket buffers while predict runs, so batches form without
// adding a fixed wait; `windowMs` adds one for bursty low traffic.

export interface BatcherOptions {
  /** Most instances in one model call (a single larger request runs alone). */
  maxBatchSize: number;
  /** Extra time to wait for more requests before a call; 0 = the current event-loop turn. */
  windowMs: number;
}

/** Runs the model on `count` packed instances and returns `count * outputSize` values. */
export type BatchRunner = (input: Float32Array, count: number) => Promise<Float32Array>;

interface Job {
  input: Float32Array;
  count: number;
  resolve(output: Float32Array): void;
  reject(error: unknown): void;
}

export class Batcher {
  private queue: Job[] = [];
  private queued = 0;
  private scheduled = false;
  private running = false;
  /** Model calls and instances, for logs and tests. */
  readonly stats = { calls: 0, instances: 0, largestBatch: 0 };

  constructor(
    private readonly run: BatchRunner,
    private readonly inputSize: number,
    private readonly outputSize: number,
    private readonly options: BatcherOptions,
  ) {}

  submit(input: Float32Array, count: number): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, count, resolve, reject });
      this.queued += count;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    const flush = (): void => {
      this.scheduled = false;
      void this.flush();
    };
    if (this.options.windowMs > 0 && this.queued < this.options.maxBatchSize) setTimeout(flush, this.options.windowMs);
    else setImmediate(flush);
  }

  private async flush(): Promise<void> {
    const jobs = this.take();
    if (jobs.length === 0) return;
    this.running = true;
    try {
      const count = jobs.reduce((n, j) => n + j.count, 0);
      const input = jobs.length === 1 ? jobs[0].input : concat(jobs, count * this.inputSize, this.inputSize);
      this.stats.calls += 1;
      this.stats.instances += count;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, count);
      const output = await this.run(input, count);
      let row = 0;
      for (const job of jobs) {
        job.resolve(output.subarray(row * this.outputSize, (row + job.count) * this.outputSize));
        row += job.count;
      }
    } catch (error) {
      for (const job of jobs) job.reject(error);
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** Takes queued jobs up to maxBatchSize instances (always at least one job). */
  private take(): Job[] {
    let total = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || total + this.queue[n].count <= this.options.maxBatchSize)) {
      total += this.queue[n].count;
      n += 1;
    }
    const jobs = this.queue.splice(0, n);
    this.queued -= total;
    return jobs;
  }
}

function concat(jobs: Job[], length: number, inputSize: number): Float32Array {
  const out = new Float32Array(length);
  let row = 0;
  for (const job of jobs) {
    out.set(job.input, row * inputSize);
    row += job.count;
  }
  return out;
}
