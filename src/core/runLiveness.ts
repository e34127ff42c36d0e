// Is the trainer that wrote a run still training it? Two signs, because
// neither alone answers every case:
// - The process's identity, PID plus its start time (Linux: /proc/PID/stat,
//   with the boot id): exact and immediate on the machine that trains, and it
//   tells a reused PID from the trainer (kill(pid, 0) alone cannot, so a dead
//   run stayed "running" for ever).
// - A heartbeat file the trainer touches every HEARTBEAT_INTERVAL_MS: the only
//   sign that reaches another machine (a shared folder) and platforms without
//   /proc. It goes stale after HEARTBEAT_STALE_MS, a window wide enough that a
//   slow batch or a busy network disk never makes a live run look crashed.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '../shared/events';

export const HEARTBEAT_FILE = 'heartbeat';
export const HEARTBEAT_INTERVAL_MS = 15_000;
export const HEARTBEAT_STALE_MS = 120_000;

let bootId: string | undefined;

/**
 * "BOOT-ID:START-TICKS" of a process on Linux, which no other process has or
 * will have; undefined elsewhere or when the process does not exist.
 */
export function processStartToken(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and ')': count from the last ')'. Field 22 is the start time.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    if (!startTicks) return undefined;
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${bootId}:${startTicks}`;
  } catch {
    return undefined;
  }
}

/** True while a process with this PID exists (EPERM: it does, as someone else's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type Liveness = { alive: true } | { alive: false; reason: string } | { alive: 'unknown' };

/** Milliseconds since the heartbeat file was last touched; undefined when there is none. */
export async function heartbeatAgeMs(runFolder: string, now = Date.now()): Promise<number | undefined> {
  try {
    return now - (await stat(join(runFolder, HEARTBEAT_FILE))).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether the trainer of a record that says 'running' is still at it. */
export async function runLiveness(record: RunRecord, runFolder: string, now = Date.now()): Promise<Liveness> {
  const age = await heartbeatAgeMs(runFolder, now);
  const stale = age !== undefined && age > HEARTBEAT_STALE_MS;
  const silent = `no heartbeat for ${Math.round((age ?? 0) / 60_000)} min`;
  if (record.hostname !== hostname()) {
    if (stale) return { alive: false, reason: `The trainer on ${record.hostname} stopped answering (${silent}).` };
    return age === undefined ? { alive: 'unknown' } : { alive: true };
  }
  if (!isProcessAlive(record.pid)) return { alive: false, reason: 'The trainer process ended without finishing the run.' };
  const token = processStartToken(record.pid);
  if (record.processStart !== undefined && token !== undefined) {
    return token === record.processStart
      ? { alive: true }
      : { alive: false, reason: `The trainer process ended without finishing the run (PID ${record.pid} now belongs to another process).` };
  }
  if (stale) return { alive: false, reason: `The trainer process stopped answering (${silent}).` };
  // A live PID without a start time to compare (another OS, a record of an older version): likely, not certain.
  return age === undefined && record.processStart === undefined ? { alive: 'unknown' } : { alive: true };
}
