// A training job's run, mirrored from its bucket into a local runs folder so
// the same dashboard shows it: metrics.jsonl grows line by line as the job's
// trainer copies it up (each new event is also handed on live), run.json is
// refreshed, and a heartbeat says the run is alive while the job is. No vscode
// here: the command wires it to the dashboard.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CloudClients } from '../../cloud';
import type { RunRecord, TrainerEvent } from '../../shared/events';
import { HEARTBEAT_FILE } from '../../core/runLiveness';
import { METRICS_FILE, RUN_FILE, runDir } from '../../core/runStore';
import type { CloudModule } from './cloudConnection';

export interface MirrorOptions {
  cloud: CloudModule;
  clients: CloudClients;
  /** gs://.../ with the job's (or trial's) run.json and metrics.jsonl. */
  outputDir: string;
  /** The local runs folder the dashboard reads. */
  runsDir: string;
  /** Whether the job still runs (polled). */
  isActive(): Promise<boolean>;
  onEvent(event: TrainerEvent): void;
  /** The run appeared (its id known, run.json written locally). */
  onRun(record: RunRecord): void;
  onError(message: string): void;
  pollMs?: number;
}

export class JobRunMirror {
  private stopped = false;
  private record: RunRecord | undefined;

  constructor(private readonly options: MirrorOptions) {}

  /** Polls until the job ends (one last read after) or stop() is called. */
  async run(): Promise<void> {
    const { cloud, clients, outputDir } = this.options;
    const tail = new cloud.MetricsTail(clients.storage, outputDir);
    for (;;) {
      if (this.stopped) return;
      try {
        const active = await this.options.isActive();
        await this.step(tail, active);
        if (!active) return;
      } catch (error) {
        this.options.onError(error instanceof Error ? error.message : String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 2000));
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private async step(tail: InstanceType<CloudModule['MetricsTail']>, active: boolean): Promise<void> {
    const { cloud, clients, outputDir, runsDir } = this.options;
    const record = await cloud.readJobRun(clients.storage, outputDir);
    if (!record) return;
    const folder = runDir(runsDir, record.id);
    await mkdir(folder, { recursive: true });
    const events = await tail.read();
    if (events.length > 0) await appendFile(join(folder, METRICS_FILE), events.map((e) => JSON.stringify(e) + '\n').join(''));
    await writeFile(join(folder, RUN_FILE), JSON.stringify(record, null, 2));
    if (active) await writeFile(join(folder, HEARTBEAT_FILE), new Date().toISOString());
    if (!this.record) {
      this.record = record;
      this.options.onRun(record);
    }
    for (const event of events) this.options.onEvent(event);
  }
}
