// The sweep folders: `.model-studio/sweeps/<sweep-id>/sweep.json`, replaced
// whole (a temporary file renamed over it) on every change, so a reader never
// sees half a record. A record says 'running' while its process works; when
// that process is gone the sweep crashed, which is derived on reading (like
// runs, by PID plus start time).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../../shared/errors';
import { isSweepRecord } from '../../shared/protocol/sweep';
import type { SweepRecord } from '../../shared/sweep';
import { isProcessAlive, processStartToken } from '../runLiveness';

export const SWEEPS_FOLDER = join('.model-studio', 'sweeps');
export const SWEEP_FILE = 'sweep.json';

export function sweepsDirFor(workspaceFolder: string): string {
  return join(workspaceFolder, SWEEPS_FOLDER);
}

export function sweepDir(sweepsDir: string, sweepId: string): string {
  return join(sweepsDir, sweepId);
}

/** "mnist-mlp-sweep-20261202-104512-3fa2": sortable, readable, unique. */
export function newSweepId(name: string, now = new Date()): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'sweep';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${slug}-sweep-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** This process as the one running a sweep: what tells a live sweep from a crashed one. */
export function sweepOwner(): Pick<SweepRecord, 'pid' | 'hostname' | 'processStart'> {
  return { pid: process.pid, hostname: hostname(), processStart: processStartToken(process.pid) };
}

export function writeSweepRecord(sweepsDir: string, record: SweepRecord): void {
  const folder = sweepDir(sweepsDir, record.id);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, SWEEP_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record, null, 2) + '\n');
  renameSync(temp, file);
}

/** Whether the process that runs a 'running' sweep is gone; 'unknown' on another machine. */
export function sweepProcessGone(record: SweepRecord): boolean | 'unknown' {
  if (record.pid === undefined || record.hostname !== hostname()) return 'unknown';
  if (!isProcessAlive(record.pid)) return true;
  const token = processStartToken(record.pid);
  return record.processStart !== undefined && token !== undefined && token !== record.processStart;
}

/** A 'running' sweep whose process is gone reads as crashed. */
export function withDerivedSweepStatus(record: SweepRecord): SweepRecord {
  if (record.status !== 'running' || sweepProcessGone(record) !== true) return record;
  return { ...record, status: 'crashed', reason: record.reason ?? 'The process that ran the sweep ended without finishing it.' };
}

export async function readSweep(sweepsDir: string, sweepId: string): Promise<SweepRecord> {
  const file = join(sweepDir(sweepsDir, sweepId), SWEEP_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`No sweep '${sweepId}' in ${sweepsDir}: list sweeps with \`model-studio sweeps\`.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`${file} is not valid JSON: the sweep record is damaged; delete the sweep folder or restore the file.`);
  }
  if (!isSweepRecord(value)) throw new UserError(`${file} is not a sweep record Model Studio can read; delete the sweep folder or restore the file.`);
  return withDerivedSweepStatus(value);
}

/** Every sweep in the folder, newest first. Unreadable folders are skipped. */
export async function listSweeps(sweepsDir: string): Promise<SweepRecord[]> {
  let entries: string[];
  try {
    entries = await readdir(sweepsDir);
  } catch {
    return [];
  }
  const records = await Promise.all(entries.map((id) => readSweep(sweepsDir, id).catch(() => undefined)));
  return records.filter((r): r is SweepRecord => r !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
