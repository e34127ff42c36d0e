// Writes one run folder: run.json (replaced atomically on every change) and
// metrics.jsonl (appended one whole line per event with a single write, so
// after `kill -9` every line already there still parses).
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunRecord, TrainerEvent } from '../../shared/events';
import type { TrainingSpec } from '../../shared/spec';
import { CHECKPOINTS_FOLDER, METRICS_FILE, MODEL_FOLDER, RUN_FILE, runDir } from '../../core/runStore';

export class RunWriter {
  private metricsFd: number | undefined;

  private constructor(
    readonly dir: string,
    private record: RunRecord,
  ) {
    mkdirSync(join(dir, CHECKPOINTS_FOLDER), { recursive: true });
    this.metricsFd = openSync(join(dir, METRICS_FILE), 'a');
    this.writeRecord();
  }

  /** Starts a new run folder for `spec`. */
  static create(runsDir: string, spec: TrainingSpec, specPath: string, epochs: number): RunWriter {
    const id = newRunId(spec.name);
    const now = new Date().toISOString();
    return new RunWriter(runDir(runsDir, id), {
      id,
      name: spec.name,
      specPath,
      spec,
      status: 'running',
      pid: process.pid,
      hostname: hostname(),
      createdAt: now,
      updatedAt: now,
      epochs,
      epochsCompleted: 0,
    });
  }

  /** Reopens an existing run to continue it (resume). */
  static reopen(runsDir: string, record: RunRecord, epochs: number): RunWriter {
    const { reason: _reason, endedAt: _endedAt, ...rest } = record;
    return new RunWriter(runDir(runsDir, record.id), {
      ...rest,
      status: 'running',
      pid: process.pid,
      hostname: hostname(),
      updatedAt: new Date().toISOString(),
      epochs,
    });
  }

  get id(): string {
    return this.record.id;
  }

  get modelDir(): string {
    return join(this.dir, MODEL_FOLDER);
  }

  get checkpointsDir(): string {
    return join(this.dir, CHECKPOINTS_FOLDER);
  }

  get current(): Readonly<RunRecord> {
    return this.record;
  }

  update(changes: Partial<RunRecord>): void {
    this.record = { ...this.record, ...changes, updatedAt: new Date().toISOString() };
    this.writeRecord();
  }

  append(event: TrainerEvent): void {
    if (this.metricsFd === undefined) return;
    writeSync(this.metricsFd, JSON.stringify(event) + '\n');
  }

  close(): void {
    if (this.metricsFd !== undefined) closeSync(this.metricsFd);
    this.metricsFd = undefined;
  }

  private writeRecord(): void {
    const file = join(this.dir, RUN_FILE);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.record, null, 2) + '\n');
    renameSync(temp, file);
  }
}

/** "mnist-mlp-20261127-104512-3fa2": sortable, readable, unique. */
export function newRunId(name: string, now = new Date()): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${slug}-${stamp}-${randomBytes(2).toString('hex')}`;
}
