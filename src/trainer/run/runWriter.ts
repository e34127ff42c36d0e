// Writes one run folder: run.json (replaced atomically on every change),
// metrics.jsonl (appended one whole line per event with a single write, so
// after `kill -9` every line already there still parses) and the heartbeat
// file that tells readers on any machine the trainer is alive.
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunRecord, TrainerEvent } from '../../shared/events';
import type { TrainingSpec } from '../../shared/spec';
import { CHECKPOINTS_FOLDER, METRICS_FILE, MODEL_FOLDER, runDir, writeRecordFile } from '../../core/runStore';
import { HEARTBEAT_FILE, HEARTBEAT_INTERVAL_MS, processStartToken } from '../../core/runLiveness';

export class RunWriter {
  private metricsFd: number | undefined;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly dir: string,
    private record: RunRecord,
  ) {
    mkdirSync(join(dir, CHECKPOINTS_FOLDER), { recursive: true });
    this.metricsFd = openSync(join(dir, METRICS_FILE), 'a+');
    this.endTornLine(this.metricsFd);
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
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
      processStart: processStartToken(process.pid),
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
      processStart: processStartToken(process.pid),
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
    clearInterval(this.heartbeat);
    if (this.metricsFd !== undefined) closeSync(this.metricsFd);
    this.metricsFd = undefined;
  }

  private writeRecord(): void {
    writeRecordFile(this.dir, this.record);
  }

  private beat(): void {
    try {
      writeFileSync(join(this.dir, HEARTBEAT_FILE), new Date().toISOString());
    } catch {
      // A full or vanished disk: run.json's own writes report that.
    }
  }

  /** A process killed mid-write may have left a torn last line: end it, so the next event starts a line of its own. */
  private endTornLine(fd: number): void {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) writeSync(fd, '\n');
  }
}

/** "mnist-mlp-20261127-104512-3fa2": sortable, readable, unique. */
export function newRunId(name: string, now = new Date()): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${slug}-${stamp}-${randomBytes(2).toString('hex')}`;
}
